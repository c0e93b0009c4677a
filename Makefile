# make run    build and start the gateway on the in-memory store
# make test   install what the tests need, start real servers, run every test, then the deployment checks
# make bench  release build, then the benchmarks (one figure per line)
# make fuzz   fuzz the HTTP request parser for FUZZ_SECONDS (default 60)
# make lint   swift format lint, as CI checks it
# make release-static  the release build with the Swift runtime linked in, as the Dockerfile builds it
# make check-deploy    only the deployment checks (Dockerfile, k8s/, alert rules), on the debug build

SWIFT ?= swift
# Extra `swift build` flags for `make release` (release-static adds --static-swift-stdlib).
SWIFT_BUILD_FLAGS ?=
BUILD_PACKAGES := pkg-config libhiredis-dev libcurl4-openssl-dev libssl-dev
# What scripts/check-deploy installs itself too: promtool (prometheus), readelf (binutils), a venv for checkov and
# kubernetes-validate. Listed here so `make test` installs everything in one apt-get run.
DEPLOY_CHECK_PACKAGES := prometheus binutils python3-venv
# chromium, chromium-driver, tesseract-ocr and a font: the consent page rendered, clicked and read back from pixels.
BROWSER_TEST_PACKAGES := chromium chromium-driver tesseract-ocr fonts-dejavu-core
TEST_PACKAGES := $(BUILD_PACKAGES) redis-server nginx-light python3-venv $(DEPLOY_CHECK_PACKAGES) \
	$(BROWSER_TEST_PACKAGES)
BENCH_PACKAGES := $(BUILD_PACKAGES) wrk nginx-light python3 python3-venv
RELEASE_BINARY := .build/release/make-mcp-gateway
# The official MCP Python SDK, the client the interop tests drive the gateway with; Selenium drives Chromium.
TEST_VENV := .build/test-venv
MCP_SDK_VERSION := 2.3.0
SELENIUM_VERSION := 4.51.0
TEST_VENV_STAMP := $(TEST_VENV)/.mcp-$(MCP_SDK_VERSION)-selenium-$(SELENIUM_VERSION)
FUZZ_SECONDS ?= 60

.PHONY: run test bench fuzz lint build release release-static check-deploy toolchain

toolchain:
	@command -v $(SWIFT) >/dev/null || { echo "Swift 6.2 or later is needed: https://www.swift.org/install/linux/ (put swift on PATH)" >&2; exit 1; }

build: toolchain
	@scripts/ensure-packages $(BUILD_PACKAGES)
	$(SWIFT) build

release: toolchain
	@scripts/ensure-packages $(BUILD_PACKAGES)
	$(SWIFT) build -c release $(SWIFT_BUILD_FLAGS)

# The Dockerfile's build: the same release build with the Swift runtime linked statically, so the image needs only
# the C libraries (libcurl, hiredis, OpenSSL) and what debian:bookworm-slim already has.
release-static: override SWIFT_BUILD_FLAGS += --static-swift-stdlib
release-static: release

run: release
	@echo "make-mcp-gateway on http://$${HOST:-127.0.0.1}:$${PORT:-8080} (store: $${REDIS_URL:+redis}$${REDIS_URL:-in-memory})"
	@echo "  MCP Streamable HTTP: /mcp    MCP HTTP+SSE: GET /sse + POST /messages"
	@echo "  GET /health/live   GET /health/ready"
	@echo "  settings: $(RELEASE_BINARY) --help"
	exec $(RELEASE_BINARY)

$(TEST_VENV_STAMP):
	@scripts/ensure-packages python3-venv
	python3 -m venv $(TEST_VENV)
	$(TEST_VENV)/bin/pip install -q "mcp==$(MCP_SDK_VERSION)" "selenium==$(SELENIUM_VERSION)"
	touch $@

test: toolchain $(TEST_VENV_STAMP)
	@scripts/ensure-packages $(TEST_PACKAGES)
	$(SWIFT) build --package-path Tests/interop/SwiftSDKClient --scratch-path .build-swift-sdk-client
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	scripts/check-deploy .build/debug/make-mcp-gateway

check-deploy: build
	scripts/check-deploy .build/debug/make-mcp-gateway

bench: release
	@scripts/ensure-packages $(BENCH_PACKAGES)
	bench/run $(RELEASE_BINARY)

fuzz: toolchain
	@scripts/ensure-packages $(BUILD_PACKAGES)
	Fuzz/run $(FUZZ_SECONDS)

lint: toolchain
	$(SWIFT) format lint --strict --recursive Sources Tests Package.swift
