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

# (room, a file of that room to take the flags from, header, whether it may be included)
CASES = [
    ("common", "common/base64.cpp", "protocol/json_rpc.h", False),
    ("protocol", "protocol/json_rpc.cpp", "common/base64.h", True),
    ("protocol", "protocol/json_rpc.cpp", "tools/upstream_client.h", False),
    ("protocol", "protocol/json_rpc.cpp", "server/log.h", False),
    ("protocol", "protocol/json_rpc.cpp", "version.h", False),
    ("tools", "tools/cost_model.cpp", "protocol/json_rpc.h", True),
    ("tools", "tools/cost_model.cpp", "server/config.h", False),
    ("tools", "tools/cost_model.cpp", "version.h", False),
    ("server", "server/config.cpp", "tools/upstream_client.h", True),
]

passed = failed = 0
for room, example, header, allowed in CASES:
    entry = next(c for c in commands if c["file"].endswith("/" + example))
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
