# Thin wrapper around CMake (the build lives in CMakeLists.txt). Every target
# first runs scripts/deps.sh, which installs missing Debian packages, so a fresh
# clone needs nothing but `make test` and `make demo`.
#
#   make test                 build in build/ and run every ctest test
#   make demo                 build and run the demo
#   make sanitize             the same tests with ASan+UBSan in build-asan/
#   make fuzz                 libFuzzer targets (clang) in build-fuzz/
#   make vectors              regenerate spec/vectors/ from fixed seeds
#   make schema               regenerate proto/src/body_schema.h from spec §13.5

BUILD       ?= build
BUILD_TYPE  ?= RelWithDebInfo
CMAKE_FLAGS ?=
# Warnings are errors in `make test` and `make sanitize` (and so in CI); a
# plain build or `make demo` keeps what the build directory was configured
# with (off on a fresh clone), so a user's other compiler cannot stop it.
WERROR      ?=
JOBS        ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all deps configure build test demo sanitize fuzz vectors schema clean

all: build

deps:
	@sh scripts/deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(if $(WERROR),-DPARLEY_WERROR=$(WERROR)) $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

test: WERROR = ON
test: build
	@cd $(BUILD) && ctest --output-on-failure --timeout 300 -j $(JOBS)

demo: build
	@sh scripts/demo.sh $(BUILD)

sanitize:
	@$(MAKE) --no-print-directory test BUILD=build-asan CMAKE_FLAGS="-DPARLEY_SANITIZE=ON $(CMAKE_FLAGS)"

fuzz: deps
	@CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPARLEY_FUZZ=ON -DPARLEY_WERROR=ON >/dev/null
	@cmake --build build-fuzz -j $(JOBS)

vectors: build
	@$(BUILD)/tests/parley-vectors spec/vectors --corpus fuzz/corpus

schema:
	@python3 tests/tools/gen_schema.py .

clean:
	rm -rf build build-asan build-fuzz
