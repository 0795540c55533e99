"""rd-sim's own controls, checked by sim_selftest.py: recorded requests and injected faults,
latency and concurrency, shutdown during a slow request, keys from the command line, TLS."""
import base64
import json
import os
import re
import signal
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zlib

from sim_selftest_support import KEY1, KEY2, Sim, balance, check, infer  # noqa: F401


def test_fail_next_and_recording(sim):
    sim.json("DELETE", "/_sim/requests", token=None)
    before = balance(sim)
    sim.json("POST", "/_sim/fail_next", {"path_prefix": "/v1/inferences", "status": 503,
                                         "retry_after": 7, "count": 2}, token=None)
    for i in range(2):
        s, b, h = infer(sim)
        check(f"fail_next 503 #{i}", s == 503 and h.get("Retry-After") == "7"
              and b["detail"]["code"] == "service_unavailable", (s, b, h))
    s, _, _ = infer(sim)
    check("fail_next consumed", s == 200)
    check("failed requests not charged", abs(balance(sim) - (before - 0.017)) < 1e-9)
    sim.json("POST", "/_sim/fail_next", {"path_prefix": "/v1/inferences", "status": 502,
                                         "raw": "<html>bad gateway</html>", "content_type": "text/html"},
             token=None)
    st, hdr, data = sim.call("POST", "/v1/inferences", {"prompt": "a", "width": 64, "height": 64})
    check("fail_next raw body", st == 502 and data == b"<html>bad gateway</html>"
          and hdr["Content-Type"].startswith("text/html"), (st, data))
    sim.json("POST", "/_sim/fail_next", {"path_prefix": "/v1/edit", "status": 429,
                                         "body": {"detail": "slow down"}}, token=None)
    s, b, _ = sim.json("GET", "/v1/edit/tools")
    check("fail_next custom body", s == 429 and b == {"detail": "slow down"}, (s, b))
    s, reqs, _ = sim.json("GET", "/_sim/requests", token=None)
    first = next(r for r in reqs if r["method"] == "POST")
    check("recorded requests", s == 200 and first["method"] == "POST" and first["path"] == "/v1/inferences"
          and first["token"] == KEY1 and first["body"]["prompt"] == "a corgi"
          and first["headers"]["x-rd-token"] == KEY1 and "content-type" in first["headers"], first)
    check("control calls not recorded", all(not r["path"].startswith("/_sim") for r in reqs))
    check("credits request recorded", any(r["path"] == "/v1/inferences/credits" for r in reqs))
    sim.json("GET", "/v1/status", token=None)
    _, reqs, _ = sim.json("GET", "/_sim/requests", token=None)
    check("missing token recorded as null", reqs[-1]["token"] is None, reqs[-1])
    sim.json("DELETE", "/_sim/requests", token=None)
    _, reqs, _ = sim.json("GET", "/_sim/requests", token=None)
    check("requests cleared", reqs == [], reqs)


def test_latency_and_concurrency(sim):
    sim.json("POST", "/_sim/config", {"latency_ms": 400}, token=None)
    t0 = time.time()
    infer(sim)
    check("latency applied", time.time() - t0 >= 0.4)
    results = []
    threads = [threading.Thread(target=lambda: results.append(infer(sim)[0])) for _ in range(24)]
    t0 = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check("24 slow requests in parallel", results == [200] * 24 and time.time() - t0 < 2.0,
          (results, time.time() - t0))
    sim.json("POST", "/_sim/config", {"latency_ms": 0}, token=None)


def test_shutdown_during_latency(binary):
    sim = Sim(binary, "--latency-ms", "60000")
    threading.Thread(target=lambda: sim.call("POST", "/v1/inferences",
                                             {"prompt": "a", "width": 64, "height": 64}),
                     daemon=True).start()
    time.sleep(0.3)
    t0 = time.time()
    code = sim.stop()
    check("SIGTERM exits 0 promptly", code == 0 and time.time() - t0 < 3, (code, time.time() - t0))
    check("stdout has only the listening line", sim.proc.stdout.read() == "")


def test_cli_keys(binary):
    sim = Sim(binary, "--key", "rdpk-a=3.5", "--key", "rdpk-b=0")
    check("--key balance", balance(sim, "rdpk-a") == 3.5)
    s, _, _ = sim.json("GET", "/v1/inferences/credits", token=KEY1)
    check("--key replaces defaults", s == 403)
    sim.stop()


def test_tls(binary):
    with tempfile.TemporaryDirectory() as d:
        cert, key = os.path.join(d, "c.pem"), os.path.join(d, "k.pem")
        r = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                            "-keyout", key, "-out", cert], capture_output=True)
        if r.returncode != 0:
            check("openssl available for TLS test", False, r.stderr)
            return
        sim = Sim(binary, "--tls-cert", cert, "--tls-key", key)
        check("https listening line", sim.line.startswith("listening on https://127.0.0.1:"), sim.line)
        s, b, _ = sim.json("GET", "/v1/status", token=None, context=ssl.create_default_context(cafile=cert))
        check("https with trusted cert", s == 200 and b["status"]["rd_fast"] == "ok", b)
        try:
            sim.call("GET", "/v1/status", token=None, context=ssl.create_default_context())
            check("https rejects untrusted cert", False, "no verification error")
        except urllib.error.URLError as e:
            check("https rejects untrusted cert", "CERTIFICATE_VERIFY_FAILED" in str(e), e)
        sim.stop()
