"""What sim_selftest.py's checks are made of: the check counter, PNG and GIF decoders that
prove the simulator's images really decode, and a client for a running rd-sim."""
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

KEY1, KEY2 = "rdpk-test-key-1", "rdpk-test-key-2"
PASSED, FAILED = [], []


def check(name, cond, detail=""):
    (PASSED if cond else FAILED).append(name)
    if not cond:
        print(f"FAIL {name}: {repr(detail)[:400]}", flush=True)


# ---------------------------------------------------------------- image decoders


def decode_png(b):
    """Full decode of the chunk structure and the zlib stream; returns (width, height)."""
    assert b[:8] == b"\x89PNG\r\n\x1a\n", "PNG signature"
    at, idat, w, h = 8, b"", 0, 0
    while at < len(b):
        (n,) = struct.unpack(">I", b[at:at + 4])
        t, d = b[at + 4:at + 8], b[at + 8:at + 8 + n]
        (crc,) = struct.unpack(">I", b[at + 8 + n:at + 12 + n])
        assert zlib.crc32(t + d) & 0xFFFFFFFF == crc, "chunk CRC"
        if t == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", d[:10])
            assert depth == 8 and ctype == 3
        if t == b"IDAT":
            idat += d
        at += 12 + n
        if t == b"IEND":
            break
    raw = zlib.decompress(idat)  # also checks Adler-32
    assert len(raw) == h * (w + 1), "scanline bytes"
    return w, h


def lzw_decode(data, mcs):
    clear, end = 1 << mcs, (1 << mcs) + 1
    size, bits, nb, pos, prev, out = mcs + 1, 0, 0, 0, None, bytearray()
    table = [bytes([i]) for i in range(clear)] + [b"", b""]
    while True:
        while nb < size:
            bits |= data[pos] << nb
            pos, nb = pos + 1, nb + 8
        code, bits, nb = bits & ((1 << size) - 1), bits >> size, nb - size
        if code == clear:
            table, size, prev = [bytes([i]) for i in range(clear)] + [b"", b""], mcs + 1, None
            continue
        if code == end:
            return bytes(out)
        if prev is None:
            entry = table[code]
        elif code < len(table):
            entry = table[code]
            table.append(prev + entry[:1])
        else:
            entry = prev + prev[:1]
            table.append(entry)
        out += entry
        prev = entry
        if len(table) == (1 << size) and size < 12:
            size += 1


def decode_gif(b):
    """Decodes every frame; returns (width, height, frames, loops)."""
    assert b[:6] == b"GIF89a", "GIF signature"
    w, h, packed = struct.unpack("<HHB", b[6:11])
    at, frames, loops = 13 + 3 * (2 << (packed & 7)), 0, False
    while b[at] != 0x3B:
        if b[at] == 0x21:
            if b[at + 1] == 0xFF and b[at + 3:at + 14] == b"NETSCAPE2.0":
                loops = True
            at += 2
            while b[at]:
                at += 1 + b[at]
            at += 1
            continue
        assert b[at] == 0x2C, "image descriptor"
        fw, fh = struct.unpack("<HH", b[at + 5:at + 9])
        at += 10
        mcs, data = b[at], b""
        at += 1
        while b[at]:
            data += b[at + 1:at + 1 + b[at]]
            at += 1 + b[at]
        at += 1
        assert len(lzw_decode(data, mcs)) == fw * fh, "frame pixels"
        frames += 1
    return w, h, frames, loops


def image_of(b64):
    raw = base64.b64decode(b64, validate=True)
    if raw[:4] == b"\x89PNG":
        return ("png",) + decode_png(raw)
    return ("gif",) + decode_gif(raw)


def tiny_png(w=32, h=32):
    rows = b"".join(b"\x00" + b"\x00\x80\xff" * w for _ in range(h))

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)

    return base64.b64encode(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")).decode()


# ---------------------------------------------------------------- HTTP


class Sim:
    def __init__(self, binary, *args):
        self.proc = subprocess.Popen([binary, *args], stdout=subprocess.PIPE, stderr=None,
                                     text=True)
        self.line = self.proc.stdout.readline().strip()
        m = re.fullmatch(r"listening on (https?)://127\.0\.0\.1:(\d+)", self.line)
        assert m, f"bad first line {self.line!r}"
        self.base = f"{m.group(1)}://127.0.0.1:{m.group(2)}"

    def call(self, method, path, body=None, token=KEY1, raw=None, ctype="application/json",
             context=None, headers=None, timeout=30):
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if token is not None:
            req.add_header("X-RD-Token", token)
        for name, value in (headers or {}).items():
            req.add_header(name, value)
        if data is not None and ctype:
            req.add_header("Content-Type", ctype)
        try:
            with urllib.request.urlopen(req, timeout=timeout, context=context) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def json(self, method, path, body=None, **kw):
        status, headers, data = self.call(method, path, body, **kw)
        if not path.startswith("/_sim/outputs/"):
            check(f"json content-type {method} {path}",
                  headers.get("Content-Type", "").startswith("application/json"), headers)
        try:
            return status, json.loads(data), headers
        except ValueError:
            return status, data, headers

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return None


def balance(sim, key=KEY1):
    return sim.json("GET", "/v1/inferences/credits", token=key)[1]["balance"]


def infer(sim, token=KEY1, **fields):
    body = {"prompt": "a corgi", "width": 64, "height": 64}
    body.update(fields)
    return sim.json("POST", "/v1/inferences", body, token=token)


def is_invalid(r):
    status, body, _ = r
    return status == 400 and body["detail"]["code"] == "invalid_request" and body["detail"]["message"]


# ---------------------------------------------------------------- checks
