#!/usr/bin/env bash
# The package test: builds the Debian package from a troupe build directory,
# unpacks it into a scratch root, then builds the consumer project twice
# against that root only (with CMake's find_package, and with pkg-config),
# runs both and checks that the job completed.
# Usage: run.sh SOURCE_DIR BUILD_DIR
set -euo pipefail

source_dir=$(realpath "$1")
build_dir=$(realpath "$2")
work=$(mktemp -d -t troupe-package-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir "$work/src"
# Paths under the scratch directory hash as relative ones, so that reruns in
# another scratch directory hit ccache.
export CCACHE_BASEDIR="$work"

fail() {
  echo "package test: $*" >&2
  exit 1
}

cpack --config "$build_dir/CPackConfig.cmake" -B "$work/deb" >"$work/cpack.log" 2>&1 \
  || { cat "$work/cpack.log"; fail "cpack failed"; }
deb=$(ls "$work"/deb/troupe_*.deb)
echo "package: $(basename "$deb")"
dpkg-deb -x "$deb" "$work/unpacked"
prefix="$work/unpacked/usr"

# The consumer builds from a copy, so no path of its build points into the
# source tree; the user package registry could point at the build tree.
cp "$source_dir/tests/consumer/CMakeLists.txt" \
  "$source_dir/tests/consumer/main.cpp" "$work/src/"
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
cmake -S "$work/src" -B "$work/cmake-build" -G Ninja \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
  -DCMAKE_EXPORT_COMPILE_COMMANDS=ON "${launcher[@]}" >"$work/configure.log" \
  || { cat "$work/configure.log"; fail "the consumer does not configure"; }
grep -q "troupe_DIR:PATH=$prefix/lib/cmake/troupe" \
  "$work/cmake-build/CMakeCache.txt" \
  || fail "find_package(troupe) did not take the unpacked package"
cmake --build "$work/cmake-build" >"$work/build.log" \
  || { cat "$work/build.log"; fail "the consumer does not build"; }
for file in compile_commands.json build.ninja; do
  for tree in "$source_dir" "$build_dir"; do
    if grep -qF "$tree" "$work/cmake-build/$file"; then
      fail "$file of the consumer names $tree"
    fi
  done
done
"$work/cmake-build/troupe_consumer" "$work/data-cmake" \
  || fail "the consumer built with CMake failed"

# The same program through troupe.pc.
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
flags=$(pkg-config --cflags --libs troupe) || fail "pkg-config troupe failed"
case "$flags" in
  *"$source_dir"* | *"$build_dir"*) fail "troupe.pc names the tree: $flags" ;;
esac
# shellcheck disable=SC2086 # the flags are words
${launcher:+ccache} g++ -std=c++17 -o "$work/pkg-config-consumer" \
  "$work/src/main.cpp" $flags
"$work/pkg-config-consumer" "$work/data-pkg-config" \
  || fail "the consumer built with pkg-config failed"
echo "package test: both consumers ran their job against the package alone"
