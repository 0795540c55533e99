#!/bin/bash
# The image's HEALTHCHECK: GET /healthz on the server's own port, exit 0 on "200".
# The slim image has no curl; bash's /dev/tcp is enough for one plain-HTTP request on loopback.
set -u

# Over stdio (`docker run -i <image> --transport stdio`, or RD_MCP_TRANSPORT=stdio) there is no
# port to ask: the server is the container's process 1, so the container runs exactly as long as
# the server does. Its command line wins over the environment, as in the server.
transport=${RD_MCP_TRANSPORT:-http}
previous=
while IFS= read -r -d '' arg; do
    case "$arg" in
        --transport=*) transport=${arg#--transport=} ;;
        *) [ "$previous" = --transport ] && transport=$arg ;;
    esac
    previous=$arg
done <"${RDMCP_SERVER_CMDLINE:-/proc/1/cmdline}" 2>/dev/null
if [ "$transport" = stdio ]; then
    exit 0
fi

host=${RD_MCP_HOST:-127.0.0.1}
case "$host" in 0.0.0.0 | "::" | "[::]") host=127.0.0.1 ;; esac
host=${host#[}
host=${host%]}
port=${RD_MCP_PORT:-8000}

if ! { exec 3<>"/dev/tcp/$host/$port"; } 2>/dev/null; then
    echo "unhealthy: nothing listens on $host:$port" >&2
    exit 1
fi
printf 'GET /healthz HTTP/1.1\r\nHost: %s:%s\r\nConnection: close\r\n\r\n' "$host" "$port" >&3
status=
IFS=$' \r' read -r -t 4 _ status _ <&3
exec 3>&-
if [ "$status" = 200 ]; then
    exit 0
fi
echo "unhealthy: GET /healthz answered ${status:-nothing}" >&2
exit 1
