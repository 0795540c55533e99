#!/bin/sh
# Adds retrodiffusion-mcp to Claude Code for your user, one way of four:
#   sh add-server.sh hosted    # https://mcp.example.com/mcp, key sent as a bearer header
#   sh add-server.sh local     # http://127.0.0.1:8000/mcp (the image or --transport http here)
#   sh add-server.sh stdio     # Claude Code starts the binary itself
#   sh add-server.sh container # Claude Code starts the container image over stdio (docker run -i)
# The key comes from RD_API_KEY; Claude Code keeps it in your own ~/.claude.json. For a project
# that is shared, copy project.mcp.json to .mcp.json instead: it names the variable, not the key.
# The name and the URL or command come before --header and --env: those take every argument up to
# the next option or `--` (`claude mcp add` would read the name as one more header or variable).
set -eu
: "${RD_API_KEY:?export RD_API_KEY=<your RetroDiffusion key> first}"

case "${1:-}" in
hosted)
    claude mcp add --transport http --scope user retrodiffusion https://mcp.example.com/mcp \
        --header "Authorization: Bearer $RD_API_KEY"
    ;;
local)
    claude mcp add --transport http --scope user retrodiffusion http://127.0.0.1:8000/mcp \
        --header "Authorization: Bearer $RD_API_KEY"
    ;;
stdio)
    claude mcp add --transport stdio --scope user retrodiffusion --env RD_API_KEY="$RD_API_KEY" \
        -- /usr/local/bin/retrodiffusion-mcp
    ;;
container)
    claude mcp add --transport stdio --scope user retrodiffusion --env RD_API_KEY="$RD_API_KEY" \
        -- docker run -i --rm -e RD_API_KEY ghcr.io/retrodiffusion-mcp/retrodiffusion-mcp --transport stdio
    ;;
*)
    echo "usage: $0 hosted|local|stdio|container" >&2
    exit 2
    ;;
esac
