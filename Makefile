# The two commands a newcomer needs: `make run` (the demo) and `make test`.
# Both install missing Debian packages first, then configure and build.

BUILD_DIR ?= build
JOBS ?= 2
DEBIAN_PACKAGES := g++ cmake ninja-build ccache libcaf-dev librocksdb-dev \
                   nlohmann-json3-dev catch2 libcli11-dev iproute2

.PHONY: all deps configure build test run bench bench-cluster format clean

all: build

deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" \
	    || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(BUILD_DIR)/build.ninja: CMakeLists.txt | deps
	cmake -S . -B $(BUILD_DIR) -G Ninja

configure: deps $(BUILD_DIR)/build.ninja

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j 1

run: build
	$(BUILD_DIR)/apps/troupe demo --data ./troupe-data/demo

bench: build
	$(BUILD_DIR)/bench/troupe_bench

bench-cluster: build
	$(BUILD_DIR)/bench/troupe_cluster_bench

format:
	clang-format -i $$(git ls-files '*.hpp' '*.cpp')

clean:
	rm -rf $(BUILD_DIR)
