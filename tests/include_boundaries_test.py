#!/usr/bin/env python3
"""The rooms' boundaries hold at compile time (docs/architecture.md): with the flags the build
gives each room, an include of a room it must not see does not compile, and one it may see does.
Usage: include_boundaries_test.py BUILD_DIR SOURCE_DIR. Ends with 'N passed, N failed'."""
import json
import os
import subprocess
import sys
import tempfile

build, source = sys.argv[1], sys.argv[2]
commands = json.load(open(os.path.join(build, "compile_commands.json")))

# (room, header, whether it may be included). The flags are those of the room's library target,
# rdmcp_<room>, from any of its compile commands (a unity build's batches or single files).
CASES = [
    ("common", "protocol/json_rpc.h", False),
    ("protocol", "common/base64.h", True),
    ("protocol", "tools/upstream_client.h", False),
    ("protocol", "server/log.h", False),
    ("protocol", "version.h", False),
    ("tools", "protocol/json_rpc.h", True),
    ("tools", "server/config.h", False),
    ("tools", "version.h", False),
    ("server", "tools/upstream_client.h", True),
]

passed = failed = 0
for room, header, allowed in CASES:
    entry = next(c for c in commands if f"/rdmcp_{room}.dir/" in c["command"])
    flags = entry["command"].split(" -o ")[0]
    # The probe sits in the room's own folder, as its sources do.
    with tempfile.NamedTemporaryFile("w", suffix=".cpp", dir=os.path.join(source, room), delete=False) as probe:
        probe.write(f'#include "{header}"\n')
    try:
        result = subprocess.run(f"{flags} -fsyntax-only {probe.name}", shell=True, cwd=entry["directory"],
                                capture_output=True, text=True)
    finally:
        os.remove(probe.name)
    compiled = result.returncode == 0
    ok = compiled == allowed
    passed += ok
    failed += not ok
    verdict = "compiles" if compiled else "does not compile"
    print(f"{'ok' if ok else 'FAIL'}: {room}/ including {header} {verdict}"
          f"{'' if ok else ' (expected the opposite)'}")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
