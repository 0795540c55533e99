# retrodiffusion-mcp over Streamable HTTP: a stateless server any number of replicas can share.
#
#   docker build -t retrodiffusion-mcp .
#   docker run --rm -p 127.0.0.1:8000:8000 --read-only --tmpfs /tmp \
#       -e RD_MCP_JOB_SECRET="$(openssl rand -hex 32)" retrodiffusion-mcp
#
# Or as a stdio server that an MCP client starts itself (macOS and Windows users' usual way to
# run a native server; deploy/clients/*/…container… are ready configurations):
#
#   docker run -i --rm -e RD_API_KEY retrodiffusion-mcp --transport stdio
#
# Configuration is by environment variables only (see `retrodiffusion-mcp --help`); callers
# send their own RetroDiffusion key as `Authorization: Bearer <key>`. The root filesystem may
# be read-only: nothing is written outside /tmp (mount a tmpfs there). deploy/ has a compose
# file, Kubernetes manifests and client configurations; deploy/image/ builds and tests this
# image without a Docker engine. The build uses a cache mount (RUN --mount=type=cache), which
# BuildKit (Docker's default builder), buildah and podman understand.

# ---- build: compile the server --------------------------------------------------------------
FROM debian:bookworm AS build
# libpng-dev and libgif-dev for the server (edit tool masks, GIF frames); doctest-dev only because
# the CMake project configures its tests too; none are built here.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        g++ make cmake pkg-config ccache libcpp-httplib-dev nlohmann-json3-dev libssl-dev doctest-dev \
        libpng-dev libgif-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# -O2 without -g: the project's RelWithDebInfo flags minus the debug info, the optimisation the
# test suite runs at. ccache in a build cache mount makes a rebuild after a small change take
# seconds instead of minutes.
ENV CCACHE_DIR=/ccache
RUN --mount=type=cache,target=/ccache \
    cmake -S . -B /build -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -DNDEBUG" -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
 && cmake --build /build -j "$(nproc)" --target retrodiffusion-mcp \
 && ccache --show-stats \
 && strip /build/retrodiffusion-mcp \
 && /build/retrodiffusion-mcp --version

# ---- runtime: the binary, its shared libraries, CA certificates ------------------------------
FROM debian:bookworm-slim
# libcpp-httplib0.11 brings libssl3, zlib1g and libbrotli1 (named here to be explicit);
# libpng16-16 and libgif7 read edit tool masks and GIFs; ca-certificates lets the server verify
# api.retrodiffusion.ai.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libcpp-httplib0.11 libssl3 zlib1g libbrotli1 libpng16-16 libgif7 ca-certificates \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt /var/log/dpkg.log \
 && groupadd --system --gid 10001 rdmcp \
 && useradd --system --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home \
        --shell /usr/sbin/nologin rdmcp
COPY --from=build /build/retrodiffusion-mcp /usr/local/bin/retrodiffusion-mcp
COPY LICENSE /usr/share/doc/retrodiffusion-mcp/LICENSE
COPY deploy/image/healthcheck.sh /usr/local/bin/rdmcp-healthcheck

# A numeric user, so Kubernetes' runAsNonRoot can verify it.
USER 10001:10001
ENV RD_MCP_TRANSPORT=http \
    RD_MCP_HOST=0.0.0.0 \
    RD_MCP_PORT=8000 \
    RD_MCP_STATELESS=true \
    TMPDIR=/tmp
EXPOSE 8000
# GET /healthz with bash alone (the slim image has no curl); over stdio (`--transport stdio`)
# there is no port, and the check passes: see deploy/image/healthcheck.sh.
HEALTHCHECK --interval=30s --timeout=5s --start-period=5s --retries=3 \
    CMD ["/usr/local/bin/rdmcp-healthcheck"]
ENTRYPOINT ["/usr/local/bin/retrodiffusion-mcp"]

# The version is CMakeLists.txt's project(VERSION): deploy/image/build.sh passes it, and
# tests/deploy/version.test.mjs checks that this default agrees. The MCP registry checks that the
# image belongs to packaging/registry/server.json's entry by its server.name label.
ARG RDMCP_VERSION=0.1.0
LABEL org.opencontainers.image.title="retrodiffusion-mcp" \
      org.opencontainers.image.description="MCP server for the RetroDiffusion pixel-art API (Streamable HTTP, stateless; or stdio with --transport stdio)" \
      org.opencontainers.image.version="${RDMCP_VERSION}" \
      org.opencontainers.image.licenses="MIT" \
      io.modelcontextprotocol.server.name="io.github.retrodiffusion-mcp/retrodiffusion-mcp"
