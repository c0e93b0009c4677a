# syntax=docker/dockerfile:1
# The make-mcp-gateway image: the release binary, built as a developer builds it (`make release-static`) in the Swift
# toolchain image, on debian:bookworm-slim with only the C libraries it links.
#
#   docker build -t make-mcp-gateway .
#   docker run --rm -p 8080:8080 -e PUBLIC_URL=http://localhost:8080 -e MAKE_API_TOKEN=… \
#       -e GATEWAY_API_KEYS="$(openssl rand -hex 32)" make-mcp-gateway
#
# HOST is 0.0.0.0 here, not loopback, so the gateway starts only with client keys (GATEWAY_API_KEYS) or in OAuth mode.
#
# No Docker engine runs in CI, so `make test` (scripts/check-deploy) checks what it can without one: the runtime
# packages against the libraries `ldd` reports for the binary, the shape of this file, checkov, and the HEALTHCHECK
# probe against a running gateway.

FROM swift:6.3-bookworm AS build
WORKDIR /src
# The dependencies first, so a source change reuses the resolved packages.
COPY Package.swift ./
RUN swift package resolve
COPY . .
# `make release-static` installs the -dev packages it builds against (scripts/ensure-packages, as root here).
# --static-swift-stdlib links the Swift runtime and Foundation into the binary; what stays dynamic is glibc, libstdc++
# and libgcc_s (all in debian:bookworm-slim) and the C libraries installed in the runtime stage below.
RUN make release-static \
    && install -D -m 0755 .build/release/make-mcp-gateway /out/make-mcp-gateway \
    && clang -static -Os -Wall -Wextra -Werror -o /out/healthcheck deploy/healthcheck.c

FROM debian:bookworm-slim AS runtime
# The four packages are the shared libraries the binary links, plus the CA bundle libcurl verifies Make's TLS with.
# scripts/check-deploy fails when this list and the binary's libraries disagree.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libcurl4 libhiredis0.14 libssl3 ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 mcpgw \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin mcpgw
COPY --from=build /out/make-mcp-gateway /usr/local/bin/make-mcp-gateway
COPY --from=build /out/healthcheck /usr/local/bin/healthcheck
LABEL org.opencontainers.image.title="make-mcp-gateway" \
      org.opencontainers.image.description="An MCP gateway for Make.com"
# In a container the gateway must listen on every interface; everything else keeps the defaults in README.md.
ENV HOST=0.0.0.0
# A numeric user, so Kubernetes' runAsNonRoot can verify it without reading /etc/passwd.
USER 10001:10001
EXPOSE 8080
# SIGTERM starts the gateway's drain: readiness 503, in-flight requests finish within DRAIN_TIMEOUT (25 s), exit 0.
STOPSIGNAL SIGTERM
# HEALTHCHECK without a shell: Docker runs the exec form directly, and the image has no curl or wget, so the probe is
# /usr/local/bin/healthcheck (deploy/healthcheck.c), a static C program of about 90 lines that sends
# `GET /health/live` to 127.0.0.1:$PORT and exits 0 only on a 200. `make-mcp-gateway --version` would need no extra
# binary but proves only that the binary loads, not that the server answers; bash's /dev/tcp would probe, but through
# a shell (bookworm-slim still ships one as an Essential package; neither the entry point nor the probe uses it). A
# `--health-check` flag in the gateway could replace this program later. Kubernetes ignores HEALTHCHECK and uses the
# probes in k8s/deployment.yaml.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 CMD ["/usr/local/bin/healthcheck"]
ENTRYPOINT ["/usr/local/bin/make-mcp-gateway"]
