#!/usr/bin/env python3
"""The memory a hostile client can make a hosted server hold (issue 13), measured.

Starts the server binary given (over HTTP on loopback, with a do-nothing upstream URL: none of
these cases reaches the API), runs each attack, and prints the server's RSS before, at the peak
and after each one, as docs/reliability.md reports them. Run it against an older binary to see
what a change bought: `bench/hostile_memory.py --binary build/retrodiffusion-mcp`.
"""
import argparse
import json
import os
import socket
import subprocess
import threading
import time


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


class Server:
    def __init__(self, binary, extra):
        self.process = subprocess.Popen(
            [binary, "--transport", "http", "--port", "0", *extra],
            env={"PATH": os.environ.get("PATH", ""), "RD_API_BASE_URL": "http://127.0.0.1:9"},
            stderr=subprocess.PIPE, text=True)
        for line in self.process.stderr:
            if "event=listening" in line:
                self.port = int(line.split("url=http://127.0.0.1:")[1].split("/")[0])
                break
        threading.Thread(target=lambda: [None for _ in self.process.stderr], daemon=True).start()

    def stop(self):
        self.process.terminate()
        self.process.wait(30)


def connect(port):
    return socket.create_connection(("127.0.0.1", port), timeout=30)


def measure(server, attack):
    pid = server.process.pid
    before = rss_kb(pid)
    peak = [before]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], rss_kb(pid))
            time.sleep(0.005)

    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.monotonic()
    detail = attack(server.port)
    elapsed = time.monotonic() - started
    done.set()
    sampler.join()
    time.sleep(1.0)
    return {"before_kb": before, "peak_kb": peak[0], "after_kb": rss_kb(pid),
            "seconds": round(elapsed, 2), **(detail or {})}


def send_lines(port, count, results):
    conn = connect(port)
    conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    line = b"X-Flood: " + b"a" * 8180 + b"\r\n"
    sent = 0
    try:
        for _ in range(count):
            conn.sendall(line)
            sent += 1
    except OSError:
        pass
    results.append(sent)
    return conn


def header_flood(connections, lines):
    def attack(port):
        results, conns, threads = [], [], []
        for _ in range(connections):
            t = threading.Thread(target=lambda: conns.append(send_lines(port, lines, results)))
            t.start()
            threads.append(t)
        for t in threads:
            t.join()
        for conn in conns:
            conn.close()
        return {"header_lines_accepted": sum(results)}
    return attack


def unauthenticated_bodies(connections, size):
    def attack(port):
        conns, threads, sent = [], [], []

        def upload():
            conn = connect(port)
            conns.append(conn)
            conn.sendall(b"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
                         b"\r\nContent-Length: %d\r\n\r\n" % size)
            chunk = b" " * (1 << 20)
            total = 0
            try:
                while total < size - 1:
                    conn.sendall(chunk[: min(len(chunk), size - 1 - total)])
                    total += min(len(chunk), size - 1 - total)
            except OSError:
                pass
            sent.append(total)

        for _ in range(connections):
            t = threading.Thread(target=upload)
            t.start()
            threads.append(t)
        for t in threads:
            t.join()
        time.sleep(0.5)  # held, one byte short, as a client trickling the rest would hold it
        for conn in conns:
            conn.close()
        return {"body_bytes_sent": sum(sent)}
    return attack


def huge_initialize(count, string_bytes):
    def attack(port):
        big = "x" * string_bytes
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-11-25", "capabilities": {"experimental": {"a": big}},
            "clientInfo": {"name": big, "version": "1"}}}).encode()
        statuses = []
        for i in range(count):
            conn = connect(port)
            conn.sendall(b"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
                         b"\r\nAccept: application/json, text/event-stream\r\nAuthorization: Bearer k%d"
                         b"\r\nContent-Length: %d\r\n\r\n" % (i, len(body)) + body)
            statuses.append(conn.recv(64).split(b" ")[1].decode())
            conn.close()
        return {"statuses": sorted(set(statuses))}
    return attack


def slowloris(connections, seconds):
    def attack(port):
        conns = [connect(port) for _ in range(connections)]
        for conn in conns:
            conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        alive = connections
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            alive = 0
            for conn in conns:
                try:
                    conn.sendall(b"X")
                    alive += 1
                except OSError:
                    pass
            time.sleep(1)
        for conn in conns:
            conn.close()
        return {"connections_alive_at_end": alive}
    return attack


CASES = {
    "header_flood_1x25000": ([], header_flood(1, 25000)),
    "header_flood_3x4000": ([], header_flood(3, 4000)),
    "unauthenticated_bodies_12x32MB": (["--require-auth"], unauthenticated_bodies(12, 32 << 20)),
    "initialize_20x2x4MB": ([], huge_initialize(20, 4 << 20)),
    "slowloris_50_for_15s": ([], slowloris(50, 15)),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default="build/retrodiffusion-mcp")
    parser.add_argument("--case", action="append", choices=sorted(CASES))
    args = parser.parse_args()
    results = {}
    for name in args.case or CASES:
        extra, attack = CASES[name]
        server = Server(args.binary, extra)
        try:
            results[name] = measure(server, attack)
        finally:
            server.stop()
        print(name, json.dumps(results[name]), flush=True)


if __name__ == "__main__":
    main()
