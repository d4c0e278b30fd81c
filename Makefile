# The two commands a newcomer needs: `make run` (the demo) and `make test`.
# Both install missing Debian packages first, then configure and build.
# `make package` builds the Debian package (docs/operations.md).

BUILD_DIR ?= build
SANITIZE_DIR ?= build-sanitize
SANITIZERS ?= address,undefined
SANITIZED_SUITES := troupe_unit_tests troupe_messages_tests troupe_storage_tests \
                    troupe_actor_tests troupe_e2e_tests troupe_security_tests
JOBS ?= 2
DEBIAN_PACKAGES := g++ cmake ninja-build ccache libcaf-dev librocksdb-dev \
                   nlohmann-json3-dev catch2 libcli11-dev libspdlog-dev iproute2 clang-format \
                   libsystemd-dev pkg-config dpkg-dev libssl-dev \
                   libjemalloc-dev
# Warnings are errors here and in CI; consumers of the library get warnings.
CMAKE_FLAGS ?= -DTROUPE_WARNINGS_AS_ERRORS=ON

.PHONY: all deps configure build test test-sanitized run bench bench-cluster \
        bench-deps bench-w1 bench-peers \
        package format format-check clean

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
	cmake -S . -B $(BUILD_DIR) -G Ninja $(CMAKE_FLAGS)

configure: deps $(BUILD_DIR)/build.ninja

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure --timeout 900 -j 1

# The unit, storage, actor and end-to-end suites built and run under
# AddressSanitizer and UndefinedBehaviorSanitizer.
test-sanitized: deps
	cmake -S . -B $(SANITIZE_DIR) -G Ninja $(CMAKE_FLAGS) \
	  -DTROUPE_SANITIZE=$(SANITIZERS)
	cmake --build $(SANITIZE_DIR) -j $(JOBS) --target $(SANITIZED_SUITES)
	cd $(SANITIZE_DIR) && ctest --output-on-failure --timeout 900 -j 1 \
	  -L '^(unit|storage|actors|e2e)$$'

# The Debian package troupe_VERSION_ARCH.deb in $(BUILD_DIR): the binary,
# the libraries, the headers, the CMake and pkg-config files, the systemd
# unit and /etc/troupe/troupe.conf.
package: build
	cd $(BUILD_DIR) && cpack

run: build
	$(BUILD_DIR)/apps/troupe demo --data ./troupe-data/demo

bench: build
	$(BUILD_DIR)/bench/troupe_bench

bench-cluster: build
	$(BUILD_DIR)/bench/troupe_cluster_bench

# W1 "no-op burn-down" on the peers' protocol (docs/performance.md), for the
# cluster and the embedded shape.
BENCH_PACKAGES := jq
bench-deps:
	@$(MAKE) --no-print-directory deps DEBIAN_PACKAGES="$(BENCH_PACKAGES)"

bench-w1: build bench-deps
	TROUPE=$(BUILD_DIR)/apps/troupe bench/w1.sh
	TROUPE=$(BUILD_DIR)/apps/troupe SHAPE=embedded bench/w1.sh

# The same beside BullMQ and Sidekiq in one sitting: PEERS names the folder
# of their W1 scripts. Writes the table to $(BUILD_DIR)/bench-peers.md.
bench-peers: build bench-deps
	@test -n "$(PEERS)" || { echo "make bench-peers PEERS=DIR (the peers' W1 scripts)"; exit 2; }
	TROUPE=$(BUILD_DIR)/apps/troupe bench/peers.sh $(PEERS) 100000 \
	  $(BUILD_DIR)/bench-peers.md

format:
	clang-format -i $$(git ls-files '*.hpp' '*.cpp')

format-check: deps
	clang-format --dry-run --Werror $$(git ls-files '*.hpp' '*.cpp')

clean:
	rm -rf $(BUILD_DIR)
