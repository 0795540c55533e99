#!/usr/bin/env python3
"""Benchmarks of retrodiffusion-mcp against the official-SDK peer (bench/peers), on loopback
against the simulated RetroDiffusion API (rd-sim). `make bench` runs this; BENCHMARKS.md says
what each figure means. Every scenario prints a table and writes bench/results/<scenario>.json.

    bench/run.py [--build-dir build] [--duration 5] [--only stdio,http,large,concurrency,tls]
                 [--quiet-load 1.5] [--server BINARY] [--results-dir DIR] [--nginx-workers auto]

Scenarios: stdio (cold start, idle memory), http (tools/list and get_balance at 1/16/64
keep-alive clients, plus the proxy overhead against rd-sim directly, and nginx serving our
tools/list answer's bytes as the floor of any HTTP server), large (create_inference
with 9 x 1 MiB reference images), concurrency (1,000 calls in flight against a 5 s upstream),
tls (get_balance through an HTTPS upstream). The load generator and probes are
BUILD_DIR/bench-tools/rdbench (bench/*.cpp); this script starts the processes, hands rdbench
its requests and gathers what it measured. `make bench` builds everything first.
"""
import argparse
import datetime
import json
import os
import random
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time
import urllib.request
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
KEY = 'rdpk-test-key-1'
LEGACY_VERSION = '2025-11-25'
MODERN_VERSION = '2026-07-28'

# nginx answering every POST /mcp with one file: our tools/list answer, byte for byte. nginx's
# static module refuses POST (405), and error_page turns that into the file itself (an internal
# redirect, as GET) with 200; the request body is read and discarded, so connections stay alive.
# Tuned as a production static server would be (sendfile, open_file_cache, no access log), with
# the Content-Type we send. worker_processes is --nginx-workers (default auto: one per CPU, as
# Debian's nginx.conf has it). It runs in the foreground (daemon off) as whoever runs the bench,
# on a loopback port above 1024, with its pid, logs and temporary files in its own folder; started
# as root, its workers run as nobody (nginx's default user), so that folder is world-readable.
NGINX_CONF = """\
worker_processes {workers};
pid nginx.pid;
error_log error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    server_tokens off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_requests 1000000;
    keepalive_timeout 60s;
    open_file_cache max=16;
    open_file_cache_valid 1h;
    etag off;
    client_body_temp_path tmp/body;
    proxy_temp_path tmp/proxy;
    fastcgi_temp_path tmp/fastcgi;
    uwsgi_temp_path tmp/uwsgi;
    scgi_temp_path tmp/scgi;
    server {{
        listen 127.0.0.1:{port};
        root root;
        location = /mcp {{
            default_type "{content_type}";
            error_page 405 =200 $uri;
        }}
    }}
}}
"""


# ---------------------------------------------------------------------------------------------
# Processes we start (and only those are ever stopped).

class Process:
    """A child process whose stdout/stderr go to files; `url` is what it announced."""

    def __init__(self, name, argv, log_dir, announce, env=None, timeout=20, url=None):
        """`announce`: a pattern whose group 1 is the URL, printed once it serves; with `url`
        instead, it serves once that URL's port takes connections."""
        self.name = name
        self.stdout_path = os.path.join(log_dir, f'{name}.out')
        self.stderr_path = os.path.join(log_dir, f'{name}.err')
        with open(self.stdout_path, 'wb') as out, open(self.stderr_path, 'wb') as err:
            self.popen = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                          env=env)
        self.pid = self.popen.pid
        self.url = None
        deadline = time.time() + timeout
        while time.time() < deadline:
            if url and accepts_connections(url):
                self.url = url
                return
            for path in (self.stdout_path, self.stderr_path) if announce else ():
                with open(path, 'r', errors='replace') as f:
                    match = re.search(announce, f.read())
                if match:
                    self.url = match.group(1)
                    return
            if self.popen.poll() is not None:
                break
            time.sleep(0.02)
        self.stop()
        raise RuntimeError(f'{name} did not start: see {self.stderr_path}')

    def status(self, field):
        try:
            with open(f'/proc/{self.pid}/status') as f:
                for line in f:
                    if line.startswith(field + ':'):
                        return int(line.split()[1])
        except OSError:
            pass
        return -1

    def stop(self):
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()


class Bench:
    def __init__(self, args):
        self.args = args
        self.build = os.path.abspath(args.build_dir)
        self.server = os.path.abspath(args.server) if args.server else os.path.join(self.build, 'retrodiffusion-mcp')
        self.sim = os.path.join(self.build, 'tests', 'rd-sim')
        self.rdbench_bin = os.path.join(self.build, 'bench-tools', 'rdbench')
        self.floor_httplib = os.path.join(self.build, 'bench-tools', 'floor_httplib')
        self.floor_proxy = os.path.join(self.build, 'bench-tools', 'floor_proxy')
        self.work = os.path.join(self.build, 'bench-work')
        self.logs = os.path.join(self.work, 'logs')
        self.results_dir = os.path.abspath(args.results_dir)
        os.makedirs(self.logs, exist_ok=True)
        os.makedirs(self.results_dir, exist_ok=True)
        self.processes = []
        self.summary = {}
        self.nginx = shutil.which('nginx') or next(
            (p for p in ('/usr/sbin/nginx', '/usr/local/sbin/nginx') if os.path.exists(p)), None)
        for path in (self.server, self.sim, self.rdbench_bin, self.floor_httplib, self.floor_proxy):
            if not os.path.exists(path):
                sys.exit(f'bench: {path} is missing: run `make bench` (it builds everything)')
        # API v1, as the peer and every earlier table: a v2 generation is admitted as a task and
        # polled, which would measure the polling interval rather than the server.
        self.env = dict(os.environ, RD_API_KEY=KEY, RD_API_VERSION='v1')
        self.env.pop('LD_PRELOAD', None)

    # -- processes -----------------------------------------------------------------------------

    def start(self, name, argv, announce, env=None, url=None):
        process = Process(name, argv, self.logs, announce, env=env or self.env, url=url)
        self.processes.append(process)
        return process

    def stop(self, process):
        process.stop()
        if process in self.processes:
            self.processes.remove(process)

    def stop_all(self):
        for process in list(self.processes):
            self.stop(process)

    def start_sim(self, latency_ms=0):
        sim = self.start('rd-sim', [self.sim, '--port', '0', '--latency-ms', str(latency_ms)],
                         r'listening on (http://\S+)')
        # Enough balance for every paid call of the run.
        post_json(sim.url + '/_sim/keys', {'key': KEY, 'balance': 1e9})
        return sim

    def start_ours_http(self, upstream, extra=(), env=None):
        return self.start('ours-http', [self.server, '--transport', 'http', '--host', '127.0.0.1',
                                        '--port', '0', '--stateless', '--upstream-url', upstream,
                                        *extra], r'event=listening url=(\S+)',
                          env=dict(self.env, **(env or {})))

    def peer_command(self, transport, upstream):
        return ['node', os.path.join(HERE, 'peers', 'server.mjs'), '--transport', transport,
                '--upstream-url', upstream,
                '--tools', os.path.join(self.work, f'tools-{transport}.json'),
                '--catalog', os.path.join(self.work, 'catalog.json')]

    def start_peer_http(self, upstream, env=None):
        return self.start('peer-http', self.peer_command('http', upstream) + ['--port', '0'],
                          r'event=listening url=(\S+)', env=dict(self.env, **(env or {})))

    def start_nginx(self, ours, request_file):
        """nginx answering POST /mcp with exactly what `ours` answers the request in
        `request_file` with (body and Content-Type): checked here before it is measured."""
        with open(request_file, 'rb') as f:
            request = f.read()
        answer = post_raw(ours.url, request, self.mcp_header_dict())
        if answer['status'] != 200:
            raise RuntimeError(f"our server answered {request_file} with {answer['status']}")
        prefix = os.path.join(self.work, 'nginx')
        shutil.rmtree(prefix, ignore_errors=True)
        for folder in ('root', 'tmp'):
            os.makedirs(os.path.join(prefix, folder))
        os.chmod(prefix, 0o755)
        with open(os.path.join(prefix, 'root', 'mcp'), 'wb') as f:
            f.write(answer['body'])
        port = free_port()
        with open(os.path.join(prefix, 'nginx.conf'), 'w') as f:
            f.write(NGINX_CONF.format(workers=self.args.nginx_workers, port=port,
                                      content_type=answer['content_type']))
        nginx = self.start('nginx', [self.nginx, '-p', prefix + '/', '-c', 'nginx.conf', '-e',
                                     'error.log', '-g', 'daemon off;'], None,
                           url=f'http://127.0.0.1:{port}/mcp')
        served = post_raw(nginx.url, request, self.mcp_header_dict())
        if served['status'] != 200 or served['body'] != answer['body']:
            self.stop(nginx)
            raise RuntimeError(f"nginx answered POST /mcp with {served['status']} and "
                               f"{len(served['body'])} bytes, not 200 and our "
                               f"{len(answer['body'])}: see {prefix}/error.log")
        nginx.version = subprocess.run([self.nginx, '-v'], capture_output=True,
                                       text=True).stderr.strip().split('/')[-1]
        nginx.workers = len(child_pids(nginx.pid))
        nginx.body_bytes = len(answer['body'])
        return nginx

    def ours_stdio_command(self, upstream, extra=()):
        return [self.server, '--upstream-url', upstream, *extra]

    # -- rdbench ---------------------------------------------------------------------------------

    def rdbench(self, subcommand, *options, command=None, env=None):
        argv = [self.rdbench_bin, subcommand, *[str(o) for o in options]]
        if command:
            argv += ['--', *command]
        done = subprocess.run(argv, capture_output=True, text=True, env=dict(self.env, **(env or {})))
        if done.returncode != 0:
            raise RuntimeError(f'rdbench {subcommand} failed: {done.stderr.strip()}')
        return json.loads(done.stdout)

    def file(self, name, content):
        path = os.path.join(self.work, name)
        with open(path, 'w') as f:
            f.write(content if isinstance(content, str) else json.dumps(content))
        return path

    def mcp_header_dict(self):
        return {'Content-Type': 'application/json',
                'Accept': 'application/json, text/event-stream',
                'MCP-Protocol-Version': LEGACY_VERSION,
                'Authorization': f'Bearer {KEY}'}

    def mcp_headers(self):
        return [option for name, value in self.mcp_header_dict().items()
                for option in ('--header', f'{name}: {value}')]

    def load(self, url, body_file, clients, pid, expect, headers=None, duration=None, warmup=1,
             requests=None, rate=None):
        pids = pid if isinstance(pid, (list, tuple)) else [pid]
        options = ['--url', url, *(headers if headers is not None else self.mcp_headers()),
                   '--clients', clients, '--warmup', warmup,
                   *[option for p in pids for option in ('--pid', p)]]
        if rate:
            options += ['--rate', rate]
        if body_file:
            options += ['--body-file', body_file]
        if expect:
            options += ['--expect', expect]
        if requests:
            options += ['--requests', requests]
        else:
            options += ['--duration', duration or self.args.duration]
        return self.rdbench('load', *options)

    # -- results ---------------------------------------------------------------------------------

    def write(self, scenario, results):
        document = {'scenario': scenario, 'finished': now(),
                    'loadavg_before': getattr(self, 'load_before', None), 'loadavg_after': loadavg(),
                    'machine': machine(), 'results': results}
        with open(os.path.join(self.results_dir, f'{scenario}.json'), 'w') as f:
            json.dump(document, f, indent=2)
            f.write('\n')

    # -- preparation -----------------------------------------------------------------------------

    def capture_definitions(self, sim):
        """Our tools/list (per transport) and catalog, for the peer to serve the same."""
        init = {'jsonrpc': '2.0', 'id': 1, 'method': 'initialize',
                'params': {'protocolVersion': LEGACY_VERSION, 'capabilities': {},
                           'clientInfo': {'name': 'bench', 'version': '1'}}}
        # The full entries come with a filter (unfiltered, the list is compact): one call per kind.
        kinds = ('image', 'animation', 'advanced_animation', 'tileset')
        lines = [init, {'jsonrpc': '2.0', 'id': 2, 'method': 'tools/list', 'params': {}}] + [
            {'jsonrpc': '2.0', 'id': 3 + i, 'method': 'tools/call',
             'params': {'name': 'list_available_styles', 'arguments': {'kind': kind}}}
            for i, kind in enumerate(kinds)]
        done = subprocess.run(self.ours_stdio_command(sim.url),
                              input=''.join(json.dumps(m) + '\n' for m in lines),
                              capture_output=True, text=True, env=self.env, timeout=30)
        answers = {a['id']: a for a in map(json.loads, done.stdout.splitlines())}
        self.file('tools-stdio.json', answers[2]['result']['tools'])
        styles = [style for i in range(len(kinds))
                  for style in answers[3 + i]['result']['structuredContent']['styles']]
        self.file('catalog.json', {'count': len(styles), 'styles': styles})
        ours = self.start_ours_http(sim.url)
        try:
            answer = post_json(ours.url, {'jsonrpc': '2.0', 'id': 1, 'method': 'tools/list',
                                          'params': {}},
                               {'MCP-Protocol-Version': LEGACY_VERSION,
                                'Accept': 'application/json, text/event-stream'})
            self.file('tools-http.json', answer['result']['tools'])
        finally:
            self.stop(ours)

    # =============================================================================================
    # Scenarios

    def stdio_answers(self, command, messages, timeout=30):
        """One stdio session: initialize, then `messages` (id 2, 3, ...); the answers by id."""
        init = {'jsonrpc': '2.0', 'id': 1, 'method': 'initialize',
                'params': {'protocolVersion': LEGACY_VERSION, 'capabilities': {},
                           'clientInfo': {'name': 'bench', 'version': '1'}}}
        lines = [init, {'jsonrpc': '2.0', 'method': 'notifications/initialized'}] + [
            dict(m, jsonrpc='2.0', id=2 + i) for i, m in enumerate(messages)]
        done = subprocess.run(command, input=''.join(json.dumps(m) + '\n' for m in lines),
                              capture_output=True, text=True, env=self.env, timeout=timeout)
        answers = {}
        for line in done.stdout.splitlines():
            message = json.loads(line)
            if 'id' in message:
                answers[message['id']] = (message, len(line.encode()))
        return answers

    def scenario_context(self, sim):
        """What every conversation pays for, in bytes of JSON: tools/list, and the unfiltered
        list_available_styles answer (deterministic sizes; tests assert the same budgets)."""
        asks = [{'method': 'tools/list', 'params': {}},
                {'method': 'tools/call', 'params': {'name': 'list_available_styles', 'arguments': {}}}]

        def measure(command):
            answers = self.stdio_answers(command, asks)
            listing, styles = answers[2][0]['result'], answers[3][0]['result']
            return {'tools': len(listing['tools']),
                    'tools_list_bytes': len(json.dumps(listing, separators=(',', ':'))),
                    'per_tool': {t['name']: len(json.dumps(t, separators=(',', ':')))
                                 for t in listing['tools']},
                    'styles_bytes': len(json.dumps(styles, separators=(',', ':'))),
                    'styles_text_bytes': sum(len(c.get('text', '')) for c in styles['content']),
                    'styles_structured_bytes': len(json.dumps(styles.get('structuredContent'),
                                                              separators=(',', ':')))}

        results = {'ours': measure(self.ours_stdio_command(sim.url)),
                   'ours_output_schemas': measure(self.ours_stdio_command(sim.url, ['--output-schemas'])),
                   'peer': measure(self.peer_command('stdio', sim.url))}
        self.write('context', results)
        ours, schemas, peer = results['ours'], results['ours_output_schemas'], results['peer']
        tokens = lambda b: f'{b:,} B (~{b // 4:,} tokens)'
        table('Context: what every conversation pays for (stdio, JSON bytes; tokens at 4 bytes)',
              ('', 'ours', 'peer (SDK 1.x)', 'official server'),
              [(f"tools/list ({ours['tools']} tools; peer {peer['tools']}; official 33)",
                tokens(ours['tools_list_bytes']), tokens(peer['tools_list_bytes']),
                'not reachable here (27 KB for 11 tools in the issue)'),
               ('tools/list with --output-schemas', tokens(schemas['tools_list_bytes']), '', ''),
               ('list_available_styles, no filter: whole result', tokens(ours['styles_bytes']),
                tokens(peer['styles_bytes']), '51 KB in the issue'),
               ('  of which text / structuredContent',
                f"{ours['styles_text_bytes']:,} / {ours['styles_structured_bytes']:,} B",
                f"{peer['styles_text_bytes']:,} / {peer['styles_structured_bytes']:,} B", '')])
        table('Context: tools/list per tool (ours, stdio)', ('tool', 'bytes', '~tokens'),
              [(name, f'{b:,}', f'{b // 4:,}') for name, b in
               sorted(ours['per_tool'].items(), key=lambda item: -item[1])])
        self.summary['context'] = results

    def scenario_stdio(self, sim):
        """stdio cold start (spawn to the first answer) and idle RSS."""
        initialize = self.file('initialize.json', {
            'jsonrpc': '2.0', 'id': 1, 'method': 'initialize',
            'params': {'protocolVersion': LEGACY_VERSION, 'capabilities': {},
                       'clientInfo': {'name': 'bench', 'version': '1'}}})
        discover = self.file('discover.json', {
            'jsonrpc': '2.0', 'id': 1, 'method': 'server/discover',
            'params': {'_meta': {'io.modelcontextprotocol/protocolVersion': MODERN_VERSION,
                                 'io.modelcontextprotocol/clientCapabilities': {}}}})
        initialized = self.file('initialized.json',
                                {'jsonrpc': '2.0', 'method': 'notifications/initialized'})
        iterations = self.args.cold_iterations
        runs = {
            'ours_initialize': ('initialize', initialize, self.ours_stdio_command(sim.url), iterations),
            'ours_discover': ('server/discover', discover, self.ours_stdio_command(sim.url), iterations),
            # As agents launch it: the default https:// API URL (initialize calls nothing upstream,
            # so no network is needed). The trusted CA bundle is loaded by the first call.
            'ours_initialize_default_url': ('initialize', initialize, [self.server], iterations),
            'peer_initialize': ('initialize', initialize, self.peer_command('stdio', sim.url),
                                max(5, iterations // 4)),
        }
        results = {}
        for name, (method, request, command, count) in runs.items():
            results[name] = self.rdbench('cold', '--request-file', request, '--after-file', initialized,
                                         '--iterations', count, '--idle-samples', 3,
                                         '--idle-wait-ms', 1000, command=command)
            results[name]['method'] = method
        # What-if builds of the server (--compare-stdio NAME=BINARY), e.g. a statically linked one.
        for spec in self.args.compare_stdio:
            name, binary = spec.split('=', 1)
            results[f'whatif_{name}'] = self.rdbench(
                'cold', '--request-file', initialize, '--after-file', initialized, '--iterations',
                iterations, '--idle-samples', 3, '--idle-wait-ms', 1000,
                command=[os.path.abspath(binary), '--upstream-url', sim.url])
        # The floor: the same probe against `head -n 1`, a libc-only program that echoes the
        # request, i.e. what creating any process and a pipe round trip cost on this machine.
        results['floor_head'] = self.rdbench('cold', '--request-file', initialize, '--iterations',
                                             iterations, '--idle-samples', 0, '--any-line', 1,
                                             command=['head', '-n', '1'])
        # The floor of any server on the compiled cpp-httplib: a program that links it (and so
        # loads and initialises OpenSSL, libstdc++, zlib and brotli) and answers one line.
        results['floor_httplib'] = self.rdbench('cold', '--request-file', initialize, '--iterations',
                                                iterations, '--idle-samples', 3, '--idle-wait-ms', 1000,
                                                '--any-line', 1, command=[self.floor_httplib])
        self.write('stdio_cold_start', results)

        ours, peer, floor = results['ours_initialize'], results['peer_initialize'], results['floor_head']
        rows = [
            ('cold start to initialize answer, p50', ms(ours['p50_us']), ms(peer['p50_us']),
             ratio(ours['p50_us'], peer['p50_us'])),
            ('cold start to initialize answer, min', ms(ours['min_us']), ms(peer['min_us']),
             ratio(ours['min_us'], peer['min_us'])),
            ('CPU time until the answer, p50', ms(ours['cpu_to_answer_p50_us']),
             ms(peer['cpu_to_answer_p50_us']), ratio(ours['cpu_to_answer_p50_us'], peer['cpu_to_answer_p50_us'])),
            ('cold start to server/discover answer, p50', ms(results['ours_discover']['p50_us']),
             'n/a (SDK 1.x)', ''),
            ('cold start to initialize answer with the default https:// API URL, p50',
             ms(results['ours_initialize_default_url']['p50_us']), '', ''),
            ('floor: `head -n 1` echoing the request, p50 / min',
             f"{ms(floor['p50_us'])} / {ms(floor['min_us'])}", '', ''),
            ('floor: a program linking cpp-httplib answering one line, p50 / min / idle RSS',
             f"{ms(results['floor_httplib']['p50_us'])} / {ms(results['floor_httplib']['min_us'])} / "
             f"{mib(results['floor_httplib']['idle_vmrss_kb'])}", '', ''),
            ('idle RSS after initialize', mib(ours['idle_vmrss_kb']), mib(peer['idle_vmrss_kb']),
             ratio(ours['idle_vmrss_kb'], peer['idle_vmrss_kb'])),
            ('idle PSS (shared pages divided among sharers)', mib(ours['idle_pss_kb']),
             mib(peer['idle_pss_kb']), ratio(ours['idle_pss_kb'], peer['idle_pss_kb'])),
            ('idle anonymous (private) memory', mib(ours['idle_anonymous_kb']),
             mib(peer['idle_anonymous_kb']), ratio(ours['idle_anonymous_kb'], peer['idle_anonymous_kb'])),
            ('idle threads', ours['idle_threads'], peer['idle_threads'], ''),
        ]
        for name, r in results.items():
            if name.startswith('whatif_'):
                label = name[len('whatif_'):]
                rows.append((f'what-if {label}: initialize p50 / CPU / idle RSS',
                             f"{ms(r['p50_us'])} / {ms(r['cpu_to_answer_p50_us'])} / {mib(r['idle_vmrss_kb'])}",
                             '', ''))
        table('stdio: cold start and idle memory', ('', 'ours', 'peer', 'ours/peer'), rows)
        self.summary['cold_start_ms'] = (ours['p50_us'] / 1000, peer['p50_us'] / 1000)
        self.summary['cold_floor_ms'] = floor['p50_us'] / 1000
        self.summary['floor_httplib'] = results['floor_httplib']
        self.summary['discover_ms'] = results['ours_discover']['p50_us'] / 1000
        self.summary['idle_rss_kb'] = (ours['idle_vmrss_kb'], peer['idle_vmrss_kb'])

    def scenario_http(self, sim):
        """tools/list and get_balance at 1/16/64 keep-alive clients; direct rd-sim alongside."""
        list_body = self.file('tools-list.json', {'jsonrpc': '2.0', 'id': 1, 'method': 'tools/list',
                                                  'params': {}})
        balance_body = self.file('get-balance.json', {
            'jsonrpc': '2.0', 'id': 1, 'method': 'tools/call',
            'params': {'name': 'get_balance', 'arguments': {}}})
        clients = self.args.clients
        results = {'ours': {}, 'peer': {}, 'direct': {}, 'paced': {}, 'floor': {}, 'nginx': {}}
        ours = self.start_ours_http(sim.url)
        peer = self.start_peer_http(sim.url)
        # The least a proxy on cpp-httplib does (bench/floor_proxy.cpp): what our MCP layers add
        # is the difference between it and us.
        floor = self.start('floor-proxy', [self.floor_proxy, '--upstream-url', sim.url],
                           r'event=listening url=(\S+)')
        # The floor of any HTTP server answering tools/list: nginx sending the same bytes.
        nginx = None
        if self.nginx:
            nginx = self.start_nginx(ours, list_body)
            results['nginx'] = {'version': nginx.version, 'worker_processes': self.args.nginx_workers,
                                'workers': nginx.workers, 'body_bytes': nginx.body_bytes}
        else:
            print('bench: no nginx (scripts/install-deps.sh --with-bench installs it); '
                  'the tools/list floor is not measured', flush=True)
        results['ours']['idle_vmrss_kb'] = ours.status('VmRSS')
        results['peer']['idle_vmrss_kb'] = peer.status('VmRSS')
        try:
            for n in clients:
                results['direct'][n] = self.load(
                    sim.url + '/v1/inferences/credits', None, n, sim.pid, '"balance"',
                    headers=['--header', f'X-RD-Token: {KEY}', '--header', 'Accept: application/json',
                             '--header', 'User-Agent: retrodiffusion-mcp/0.1.0'])
                for label, server in (('ours', ours), ('peer', peer)):
                    entry = results[label].setdefault(n, {})
                    entry['tools/list'] = self.load(server.url, list_body, n, server.pid, '"tools"')
                    if label == 'ours' and nginx:  # right after ours, under the same load
                        results['nginx'][n] = self.load(nginx.url, list_body, n,
                                                        [nginx.pid, *child_pids(nginx.pid)], '"tools"')
                    entry['get_balance'] = self.load(server.url, balance_body, n, server.pid, '"balance"')
                results['floor'][n] = self.load(floor.url, balance_body, n, floor.pid, '"balance"')
                delete(sim.url + '/_sim/requests')
            # The same calls paced at a rate the machine carries: at saturation a closed loop
            # measures queueing for two CPUs shared by the load generator, rd-sim and the server.
            rate = self.args.paced_rate
            direct_headers = ['--header', f'X-RD-Token: {KEY}', '--header', 'Accept: application/json',
                              '--header', 'User-Agent: retrodiffusion-mcp/0.1.0']
            for n in self.args.paced_clients:
                results['paced'][n] = {
                    'rate': rate,
                    'direct': self.load(sim.url + '/v1/inferences/credits', None, n, sim.pid, '"balance"',
                                        headers=direct_headers, rate=rate),
                    'ours': self.load(ours.url, balance_body, n, ours.pid, '"balance"', rate=rate),
                    'peer': self.load(peer.url, balance_body, n, peer.pid, '"balance"', rate=rate),
                    'floor': self.load(floor.url, balance_body, n, floor.pid, '"balance"', rate=rate),
                }
                delete(sim.url + '/_sim/requests')
            results['ours']['vmrss_after_kb'] = ours.status('VmRSS')
            results['peer']['vmrss_after_kb'] = peer.status('VmRSS')
        finally:
            self.stop(ours)
            self.stop(peer)
            self.stop(floor)
            if nginx:
                self.stop(nginx)
        # The same call over stdio, one at a time: the engine and upstream client without the
        # HTTP transport, to tell which part adds what.
        balance_params = self.file('get-balance-params.json', {'name': 'get_balance', 'arguments': {}})
        init = self.file('initialize-line.json', {
            'jsonrpc': '2.0', 'id': 1, 'method': 'initialize',
            'params': {'protocolVersion': LEGACY_VERSION, 'capabilities': {},
                       'clientInfo': {'name': 'bench', 'version': '1'}}})
        calls = self.args.stdio_calls
        for label, command in (('ours', self.ours_stdio_command(sim.url)),
                               ('peer', self.peer_command('stdio', sim.url))):
            run = self.rdbench('stdio-calls', '--init-file', init,
                               '--phase', f'warmup:tools/call:{balance_params}:20',
                               '--phase', f'get_balance:tools/call:{balance_params}:{calls}',
                               command=command)
            results[label]['stdio_get_balance'] = run['phases'][1]
        delete(sim.url + '/_sim/requests')
        self.write('http_throughput', results)

        rows = []
        for method in ('tools/list', 'get_balance'):
            for n in clients:
                o, p = results['ours'][n][method], results['peer'][n][method]
                rows.append((method, n, f"{o['requests_per_s']:.0f}", f"{p['requests_per_s']:.0f}",
                             ratio(o['requests_per_s'], p['requests_per_s']),
                             us(o['p50_us']), us(p['p50_us']), us(o['p99_us']), us(p['p99_us']),
                             us(o['server_cpu_us_per_request']), us(p['server_cpu_us_per_request']),
                             ratio(o['server_cpu_us_per_request'], p['server_cpu_us_per_request']),
                             o['errors'] + p['errors']))
        table('HTTP (keep-alive, stateless, rd-sim at 0 ms)',
              ('method', 'clients', 'req/s ours', 'req/s peer', 'ratio', 'p50 ours', 'p50 peer',
               'p99 ours', 'p99 peer', 'CPU/req ours', 'CPU/req peer', 'CPU ratio', 'errors'), rows)

        if nginx:
            rows = []
            for n in clients:
                o, f = results['ours'][n]['tools/list'], results['nginx'][n]
                rows.append((n, f"{o['requests_per_s']:.0f}", f"{f['requests_per_s']:.0f}",
                             ratio(o['requests_per_s'], f['requests_per_s']),
                             us(o['p50_us']), us(f['p50_us']), us(o['p99_us']), us(f['p99_us']),
                             us(o['server_cpu_us_per_request']), us(f['server_cpu_us_per_request']),
                             o['errors'] + f['errors']))
            info = results['nginx']
            table(f"tools/list floor: nginx {info['version']} ({info['workers']} workers) answering "
                  f"POST /mcp with the same {info['body_bytes']} bytes",
                  ('clients', 'req/s ours', 'req/s nginx', 'ours/nginx', 'p50 ours', 'p50 nginx',
                   'p99 ours', 'p99 nginx', 'CPU/req ours', 'CPU/req nginx', 'errors'), rows)

        rows = []
        for n in clients:
            d = results['direct'][n]
            o, p = results['ours'][n]['get_balance'], results['peer'][n]['get_balance']
            f = results['floor'][n]
            rows.append((n, us(d['p50_us']), us(d['p99_us']),
                         us(o['p50_us'] - d['p50_us']), us(o['p99_us'] - d['p99_us']),
                         us(p['p50_us'] - d['p50_us']), us(p['p99_us'] - d['p99_us']),
                         ratio(o['p50_us'] - d['p50_us'], p['p50_us'] - d['p50_us']),
                         us(f['p50_us'] - d['p50_us'])))
        d = results['direct'][1] if 1 in results['direct'] else None
        if d:
            o, p = results['ours']['stdio_get_balance'], results['peer']['stdio_get_balance']
            rows.append(('1 (stdio)', us(d['p50_us']), us(d['p99_us']),
                         us(o['p50_us'] - d['p50_us']), us(o['p99_us'] - d['p99_us']),
                         us(p['p50_us'] - d['p50_us']), us(p['p99_us'] - d['p99_us']),
                         ratio(o['p50_us'] - d['p50_us'], p['p50_us'] - d['p50_us']), ''))
        table('Proxy overhead: GET /v1/inferences/credits direct vs get_balance through the server',
              ('clients', 'direct p50', 'direct p99', 'added p50 ours', 'added p99 ours',
               'added p50 peer', 'added p99 peer', 'added p50 ratio',
               'added p50 bare cpp-httplib proxy'), rows)
        overhead = {
            str(n): {
                'direct': {k: results['direct'][n][k] for k in ('p50_us', 'p99_us', 'requests_per_s')},
                'ours_added_p50_us': results['ours'][n]['get_balance']['p50_us'] - results['direct'][n]['p50_us'],
                'ours_added_p99_us': results['ours'][n]['get_balance']['p99_us'] - results['direct'][n]['p99_us'],
                'peer_added_p50_us': results['peer'][n]['get_balance']['p50_us'] - results['direct'][n]['p50_us'],
                'peer_added_p99_us': results['peer'][n]['get_balance']['p99_us'] - results['direct'][n]['p99_us'],
            } for n in clients}
        if d:
            overhead['1_stdio'] = {
                'direct': {k: d[k] for k in ('p50_us', 'p99_us', 'requests_per_s')},
                'ours_added_p50_us': results['ours']['stdio_get_balance']['p50_us'] - d['p50_us'],
                'ours_added_p99_us': results['ours']['stdio_get_balance']['p99_us'] - d['p99_us'],
                'peer_added_p50_us': results['peer']['stdio_get_balance']['p50_us'] - d['p50_us'],
                'peer_added_p99_us': results['peer']['stdio_get_balance']['p99_us'] - d['p99_us'],
            }
        rows = []
        for n, entry in results['paced'].items():
            d, o, p = entry['direct'], entry['ours'], entry['peer']
            overhead[f'{n}_paced'] = {
                'rate': entry['rate'],
                'direct': {k: d[k] for k in ('p50_us', 'p99_us', 'requests_per_s')},
                'ours_added_p50_us': o['p50_us'] - d['p50_us'],
                'ours_added_p99_us': o['p99_us'] - d['p99_us'],
                'peer_added_p50_us': p['p50_us'] - d['p50_us'],
                'peer_added_p99_us': p['p99_us'] - d['p99_us'],
                'ours_cpu_us_per_request': o['server_cpu_us_per_request'],
                'peer_cpu_us_per_request': p['server_cpu_us_per_request'],
            }
            f = entry['floor']
            overhead[f'{n}_paced']['floor_added_p50_us'] = f['p50_us'] - d['p50_us']
            rows.append((n, entry['rate'], us(d['p50_us']), us(d['p99_us']),
                         us(o['p50_us'] - d['p50_us']), us(o['p99_us'] - d['p99_us']),
                         us(p['p50_us'] - d['p50_us']), us(p['p99_us'] - d['p99_us']),
                         ratio(o['p50_us'] - d['p50_us'], p['p50_us'] - d['p50_us']),
                         us(f['p50_us'] - d['p50_us']), us(f['p99_us'] - d['p99_us']),
                         o['errors'] + p['errors'] + d['errors'] + f['errors']))
        if rows:
            table('Proxy overhead at a paced load (get_balance; clients send together the given requests/s)',
                  ('clients', 'req/s', 'direct p50', 'direct p99', 'added p50 ours', 'added p99 ours',
                   'added p50 peer', 'added p99 peer', 'added p50 ratio',
                   'added p50 bare cpp-httplib proxy', 'added p99 bare proxy', 'errors'), rows)
        self.write('proxy_overhead', overhead)
        self.summary['http'] = results

    def scenario_large(self, sim):
        """create_inference with 9 reference images of 1 MiB each: added latency, peak RSS."""
        images = [base64_png(591, 591, seed) for seed in range(9)]
        image_bytes = sum(len(b64) * 3 // 4 - b64[-2:].count('=') for b64 in images)
        arguments = {'prompt': 'a knight resting by a campfire', 'prompt_style': 'rd_pro__default',
                     'width': 128, 'height': 128, 'seed': 7}
        small_args = dict(arguments)
        large_args = dict(arguments, reference_images=images)
        call = lambda args: {'name': 'create_inference', 'arguments': args}
        rpc = lambda args: {'jsonrpc': '2.0', 'id': 1, 'method': 'tools/call', 'params': call(args)}
        small_params = self.file('large-small-params.json', call(small_args))
        large_params = self.file('large-large-params.json', call(large_args))
        small_http = self.file('large-small-http.json', rpc(small_args))
        large_http = self.file('large-large-http.json', rpc(large_args))
        direct_large = self.file('large-direct.json', dict(large_args, num_images=1))
        direct_small = self.file('large-direct-small.json', dict(small_args, num_images=1))
        init = self.file('initialize-line.json', {
            'jsonrpc': '2.0', 'id': 1, 'method': 'initialize',
            'params': {'protocolVersion': LEGACY_VERSION, 'capabilities': {},
                       'clientInfo': {'name': 'bench', 'version': '1'}}})
        request_bytes = os.path.getsize(large_http)
        count = self.args.large_requests
        direct_headers = ['--header', f'X-RD-Token: {KEY}', '--header', 'Accept: application/json',
                          '--header', 'Content-Type: application/json']
        results = {'image_bytes': image_bytes, 'request_bytes': request_bytes, 'images': len(images),
                   'http': {}, 'stdio': {}}
        results['direct'] = {
            'small': self.load(sim.url + '/v1/inferences', direct_small, 1, sim.pid, '"base64_images"',
                               headers=direct_headers, warmup=0, requests=count),
            'large': self.load(sim.url + '/v1/inferences', direct_large, 1, sim.pid, '"base64_images"',
                               headers=direct_headers, warmup=0, requests=count),
        }
        delete(sim.url + '/_sim/requests')

        # The peer's SDK reads a stdio line by concatenating every chunk onto the buffer so far
        # (quadratic): a 12.6 MB line takes it tens of seconds, so it gets fewer calls.
        peer_count = max(2, count // 4)
        variants = (('ours', None, count), ('peer', None, peer_count))
        for label, env, n in variants:
            server = (self.start_peer_http(sim.url) if label == 'peer'
                      else self.start_ours_http(sim.url, env=env))
            try:
                time.sleep(0.3)
                entry = {'idle_vmrss_kb': server.status('VmRSS')}
                entry['small'] = self.load(server.url, small_http, 1, server.pid, '"image"', warmup=0,
                                           requests=n)
                entry['large'] = self.load(server.url, large_http, 1, server.pid, '"image"', warmup=0,
                                           requests=n)
                entry['vmhwm_kb'] = server.status('VmHWM')
                entry['vmrss_after_kb'] = server.status('VmRSS')
                results['http'][label] = entry
            finally:
                self.stop(server)
            delete(sim.url + '/_sim/requests')
            command = (self.peer_command('stdio', sim.url) if label == 'peer'
                       else self.ours_stdio_command(sim.url))
            run = self.rdbench('stdio-calls', '--init-file', init,
                               '--phase', f'small:tools/call:{small_params}:{n}',
                               '--phase', f'large:tools/call:{large_params}:{n}', command=command,
                               env=env)
            phases = {p['name']: p for p in run['phases']}
            results['stdio'][label] = {
                'idle_vmrss_kb': phases['small']['vmrss_before_kb'], 'small': phases['small'],
                'large': phases['large'], 'vmhwm_kb': phases['large']['vmhwm_after_kb'],
                'vmrss_after_kb': phases['large']['vmrss_after_kb']}
            delete(sim.url + '/_sim/requests')
        self.write('large_payloads', results)

        direct = results['direct']['large']['p50_us']
        mb = request_bytes / 1e6
        rows = []
        for transport in ('http', 'stdio'):
            peer = results[transport]['peer']
            peer_added = peer['large']['p50_us'] - direct
            for label, _, _ in variants:
                e = results[transport][label]
                added = e['large']['p50_us'] - direct
                figures = {'added_us': added, 'peak_kb': e['vmhwm_kb'],
                           'peak_per_payload': e['vmhwm_kb'] * 1024 / request_bytes,
                           'peak_minus_idle_per_payload': (e['vmhwm_kb'] - e['idle_vmrss_kb']) * 1024 / request_bytes,
                           'rss_after_kb': e['vmrss_after_kb']}
                self.summary.setdefault('large', {}).setdefault(transport, {})[label] = figures
                large = e['large']
                answered = large.get('ok', large.get('count', 0))
                sent = large.get('requests', large.get('count', 0) + large.get('errors', 0))
                rows.append((transport, label, f"{answered}/{sent}",
                             ms(added), f'{added / mb / 1000:.1f}', ratio(added, peer_added),
                             mib(e['vmhwm_kb']), f"{figures['peak_per_payload']:.2f}x",
                             f"{figures['peak_minus_idle_per_payload']:.2f}x",
                             ratio(e['vmhwm_kb'], peer['vmhwm_kb']), mib(e['vmrss_after_kb'])))
        table(f'Large payloads: create_inference with 9 x 1 MiB PNG references '
              f'(request {request_bytes / 1e6:.1f} MB; direct POST to rd-sim p50 {ms(direct)})',
              ('transport', 'server', 'ok', 'added p50', 'ms/MB', 'added vs peer', 'peak RSS',
               'peak/payload', '(peak-idle)/payload', 'peak vs peer', 'RSS after'), rows)
        self.summary['large_request_bytes'] = request_bytes

    def scenario_concurrency(self, sim):
        """1,000 calls in flight against a 5 s upstream: memory per call, ping meanwhile."""
        count = self.args.inflight
        latency = self.args.slow_ms
        results = {'count': count, 'upstream_latency_ms': latency}

        # rd-sim's own capacity, measured directly: how many slow calls it holds at once.
        delete(sim.url + '/_sim/requests')
        post_json(sim.url + '/_sim/config', {'latency_ms': latency})
        probe = min(count, 128)
        results['rd_sim_capacity'] = self.rdbench(
            'inflight', '--url', sim.url + '/v1/inferences/credits', '--method', 'GET',
            '--header', f'X-RD-Token: {KEY}', '--count', probe, '--pid', sim.pid,
            '--warmup-calls', 0, '--timeout', 4 * latency / 1000 + 30)
        post_json(sim.url + '/_sim/config', {'latency_ms': 0})

        slow = self.start('slow-upstream', [self.rdbench_bin, 'slow-upstream', '--port', '0',
                                            '--latency-ms', str(latency)], r'listening on (http://\S+)')
        ping_body = self.file('ping.json', {'jsonrpc': '2.0', 'id': 1, 'method': 'ping', 'params': {}})
        call_body = self.file('get-balance.json', {
            'jsonrpc': '2.0', 'id': 1, 'method': 'tools/call',
            'params': {'name': 'get_balance', 'arguments': {}}})
        call_params = self.file('get-balance-params.json', {'name': 'get_balance', 'arguments': {}})
        limit = str(count + 100)
        try:
            for label, starter in (
                    ('ours', lambda: self.start_ours_http(slow.url, ('--max-concurrency', limit,
                                                                     '--max-connections', str(2 * int(limit))))),
                    ('peer', lambda: self.start_peer_http(slow.url))):
                server = starter()
                try:
                    results.setdefault('http', {})[label] = self.rdbench(
                        'inflight', '--url', server.url, *self.mcp_headers(), '--body-file', call_body,
                        '--ping-body-file', ping_body, '--count', count, '--pid', server.pid,
                        '--expect', '"balance"', '--timeout', latency / 1000 + 60)
                finally:
                    self.stop(server)
            init = self.file('initialize-line.json', {
                'jsonrpc': '2.0', 'id': 1, 'method': 'initialize',
                'params': {'protocolVersion': LEGACY_VERSION, 'capabilities': {},
                           'clientInfo': {'name': 'bench', 'version': '1'}}})
            for label, command in (('ours', self.ours_stdio_command(slow.url, ('--max-concurrency', limit))),
                                   ('peer', self.peer_command('stdio', slow.url))):
                results.setdefault('stdio', {})[label] = self.rdbench(
                    'stdio-inflight', '--init-file', init, '--call-file', call_params, '--count', count,
                    '--timeout', latency / 1000 + 60, command=command)
        finally:
            self.stop(slow)
        self.write('concurrency', results)

        rows = []
        for transport in ('http', 'stdio'):
            o, p = results[transport]['ours'], results[transport]['peer']
            answered = lambda e: f"{e['ok']}/{e['count']}, {e.get('most_in_flight', e['count'])} at once"
            rows.append((transport, answered(o), answered(p),
                         kib(o['kb_per_inflight_call']), kib(p['kb_per_inflight_call']),
                         ratio(o['kb_per_inflight_call'], p['kb_per_inflight_call']),
                         mib(o['vmrss_peak_inflight_kb']), mib(p['vmrss_peak_inflight_kb']),
                         o['threads_peak_inflight'], p['threads_peak_inflight'],
                         us(o['ping']['p50_us']), us(p['ping']['p50_us']),
                         us(o['ping']['p99_us']), us(p['ping']['p99_us']),
                         f"{o['last_completion_s']:.2f}s", f"{p['last_completion_s']:.2f}s"))
            self.summary.setdefault('inflight', {})[transport] = (o, p)
        table(f'Concurrency: {count} get_balance calls in flight, upstream answers after {latency} ms',
              ('transport', 'answered ours', 'answered peer', 'RSS/call ours', 'RSS/call peer', 'ratio',
               'peak RSS ours', 'peak RSS peer', 'threads ours', 'threads peer', 'ping p50 ours',
               'ping p50 peer', 'ping p99 ours', 'ping p99 peer', 'last answer ours', 'last answer peer'),
              rows)
        cap = results['rd_sim_capacity']
        print(f'rd-sim itself, {probe} slow calls at once: first answers after '
              f"{cap['first_completion_s']:.1f} s, last after {cap['last_completion_s']:.1f} s "
              f"(it holds {probe if cap['last_completion_s'] < 1.5 * latency / 1000 else 'fewer'} at once)\n")
        self.summary['rd_sim_capacity'] = cap

    def scenario_tls(self, sim):
        """get_balance through an HTTPS upstream: what new TLS connections cost, under load and in flight.

        rd-sim serves TLS with a throw-away certificate; the server trusts it the way it trusts
        the real API, through the system store (SSL_CERT_FILE = the system bundle plus that
        certificate, so the whole bundle is loaded as in production); the peer through
        NODE_EXTRA_CA_CERTS on top of Node's own store. rd-sim closes a connection after 5
        requests, so new TLS connections are made all the time: a worst case.
        """
        cert, key = os.path.join(self.work, 'tls-cert.pem'), os.path.join(self.work, 'tls-key.pem')
        subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key,
                        '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext',
                        'subjectAltName=IP:127.0.0.1'], check=True, capture_output=True)
        bundle = os.path.join(self.work, 'tls-bundle.pem')
        system_bundle = '/etc/ssl/certs/ca-certificates.crt'
        with open(bundle, 'w') as out:
            if os.path.exists(system_bundle):
                out.write(open(system_bundle).read())
            out.write(open(cert).read())
        tls_env = {'SSL_CERT_FILE': bundle, 'NODE_EXTRA_CA_CERTS': cert}
        tls_sim = self.start('rd-sim-tls', [self.sim, '--port', '0', '--tls-cert', cert, '--tls-key', key],
                             r'listening on (https://\S+)')
        balance_body = self.file('get-balance.json', {
            'jsonrpc': '2.0', 'id': 1, 'method': 'tools/call',
            'params': {'name': 'get_balance', 'arguments': {}}})
        ping_body = self.file('ping.json', {'jsonrpc': '2.0', 'id': 1, 'method': 'ping', 'params': {}})
        results = {'load': {}, 'inflight': {}}
        count = self.args.tls_inflight
        try:
            for label in ('ours', 'peer'):
                server = (self.start_peer_http(tls_sim.url, env=tls_env) if label == 'peer'
                          else self.start_ours_http(tls_sim.url, env=tls_env))
                try:
                    for n in self.args.tls_clients:
                        results['load'].setdefault(label, {})[n] = self.load(
                            server.url, balance_body, n, server.pid, '"balance"')
                finally:
                    self.stop(server)
        finally:
            self.stop(tls_sim)
        # In flight: a slow TLS upstream (rd-sim holds up to ~60 slow calls at once).
        tls_sim = self.start('rd-sim-tls', [self.sim, '--port', '0', '--tls-cert', cert, '--tls-key', key,
                                            '--latency-ms', str(self.args.slow_ms)],
                             r'listening on (https://\S+)')
        try:
            for label in ('ours', 'peer'):
                server = (self.start_peer_http(tls_sim.url, env=tls_env) if label == 'peer'
                          else self.start_ours_http(tls_sim.url, env=tls_env))
                try:
                    results['inflight'][label] = self.rdbench(
                        'inflight', '--url', server.url, *self.mcp_headers(), '--body-file', balance_body,
                        '--ping-body-file', ping_body, '--count', count, '--pid', server.pid,
                        '--expect', '"balance"', '--timeout', self.args.slow_ms / 1000 + 60)
                finally:
                    self.stop(server)
        finally:
            self.stop(tls_sim)
        self.write('tls_upstream', results)

        rows = []
        for n in self.args.tls_clients:
            o, p = results['load']['ours'][n], results['load']['peer'][n]
            rows.append((f'get_balance, {n} clients', f"{o['requests_per_s']:.0f}/s", f"{p['requests_per_s']:.0f}/s",
                         ratio(o['requests_per_s'], p['requests_per_s']), us(o['p50_us']), us(p['p50_us']),
                         us(o['server_cpu_us_per_request']), us(p['server_cpu_us_per_request']),
                         ratio(o['server_cpu_us_per_request'], p['server_cpu_us_per_request']),
                         o['errors'] + p['errors']))
        table('HTTPS upstream (rd-sim over TLS, system CA bundle; a new TLS connection every 5 calls)',
              ('', 'req/s ours', 'req/s peer', 'ratio', 'p50 ours', 'p50 peer', 'CPU/req ours',
               'CPU/req peer', 'CPU ratio', 'errors'), rows)
        o, p = results['inflight']['ours'], results['inflight']['peer']
        table(f'HTTPS upstream: {count} get_balance calls in flight, {self.args.slow_ms} ms upstream',
              ('', 'ours', 'peer', 'ours/peer'),
              [('answered', f"{o['ok']}/{o['count']}", f"{p['ok']}/{p['count']}", ''),
               ('RSS per in-flight call', kib(o['kb_per_inflight_call']), kib(p['kb_per_inflight_call']),
                ratio(o['kb_per_inflight_call'], p['kb_per_inflight_call'])),
               ('last answer after', f"{o['last_completion_s']:.2f} s", f"{p['last_completion_s']:.2f} s", ''),
               ('ping p50 meanwhile', us(o['ping']['p50_us']), us(p['ping']['p50_us']),
                ratio(o['ping']['p50_us'], p['ping']['p50_us']))])
        self.summary['tls'] = results

    # =============================================================================================

    def report_targets(self):
        s = self.summary
        rows = []
        floors = {}

        def target(name, ok, ours, peer, ratio_text):
            rows.append((name, ours, peer, ratio_text, 'met' if ok else 'NOT met'))

        if 'context' in s:
            c = s['context']['ours']
            target(f"tools/list < 24 KB with every tool ({c['tools']})", c['tools_list_bytes'] < 24000,
                   f"{c['tools_list_bytes']:,} B", f"{s['context']['peer']['tools_list_bytes']:,} B "
                   f"({s['context']['peer']['tools']} tools)", '')
            target('list_available_styles without filters < 16 KB', c['styles_bytes'] < 16000,
                   f"{c['styles_bytes']:,} B", f"{s['context']['peer']['styles_bytes']:,} B", '')
        if 'cold_start_ms' in s:
            o, p = s['cold_start_ms']
            target('cold start < 10 ms (stdio, to initialize answer, p50)', o < 10, f'{o:.2f} ms',
                   f'{p:.1f} ms', ratio(o, p))
            f = s['floor_httplib']
            rows.append(('  floor: any program linking cpp-httplib, answering one line (p50)',
                         ms(f['p50_us']), '', '', 'floor'))
            o, p = s['idle_rss_kb']
            target('idle RSS < 8 MB (stdio)', o * 1024 < 8e6, mib(o), mib(p), ratio(o, p))
            rows.append(('  floor: any program linking cpp-httplib, idle RSS', mib(f['idle_vmrss_kb']),
                         '', '', 'floor'))
            # Issue 19: against the floor measured in the same run.
            o_ms = s['cold_start_ms'][0]
            f_ms = f['p50_us'] / 1000
            target('cold start <= 1.3x the floor program (p50)', o_ms <= 1.3 * f_ms,
                   f'{o_ms:.2f} ms', f'floor {f_ms:.2f} ms', f'{o_ms / f_ms:.2f}x floor')
            o_kb = s['idle_rss_kb'][0]
            target('idle RSS <= the floor program + 1.5 MiB', o_kb <= f['idle_vmrss_kb'] + 1536,
                   mib(o_kb), f"floor {mib(f['idle_vmrss_kb'])}",
                   f"+{(o_kb - f['idle_vmrss_kb']) / 1024:.1f} MiB")
        if 'http' in s:
            http = s['http']
            n = 16 if 16 in http['direct'] else max(http['direct'])
            d = http['direct'][n]['p50_us']
            o = http['ours'][n]['get_balance']['p50_us'] - d
            p = http['peer'][n]['get_balance']['p50_us'] - d
            target(f'added p50 < 200 us per proxied call ({n} clients, closed loop: saturation)', o < 200,
                   us(o), us(p), ratio(o, p))
            for c, entry in http.get('paced', {}).items():
                d = entry['direct']['p50_us']
                o = entry['ours']['p50_us'] - d
                p = entry['peer']['p50_us'] - d
                target(f"added p50 < 200 us per proxied call ({c} clients, paced {entry['rate']:.0f}/s)",
                       o < 200, us(o), us(p), ratio(o, p))
                fl = entry['floor']['p50_us'] - d
                rows.append(('  floor: a bare proxy on cpp-httplib, same load', us(fl), '', '', 'floor'))
                target(f"added p50 <= 1.2x the bare proxy's ({c} clients, paced)", o <= 1.2 * fl,
                       us(o), f'proxy {us(fl)}', f'{o / fl:.2f}x proxy' if fl > 0 else '')
            if 1 in http['direct'] and 1 in http.get('floor', {}):
                d = http['direct'][1]['p50_us']
                o = http['ours'][1]['get_balance']['p50_us'] - d
                fl = http['floor'][1]['p50_us'] - d
                target("added p50 < 200 us and <= 1.2x the bare proxy's (1 client)",
                       o < 200 and o <= 1.2 * fl, us(o), f'proxy {us(fl)}',
                       f'{o / fl:.2f}x proxy' if fl > 0 else '')
            o = http['ours'][n]['tools/list']['requests_per_s']
            p = http['peer'][n]['tools/list']['requests_per_s']
            target(f'tools/list throughput >= 10x peer ({n} clients)', o >= 10 * p, f'{o:.0f}/s',
                   f'{p:.0f}/s', ratio(o, p))
            best_o = max(http['ours'][c]['tools/list']['requests_per_s'] for c in http['direct'])
            best_p = max(http['peer'][c]['tools/list']['requests_per_s'] for c in http['direct'])
            target('tools/list throughput >= 10x peer (best of 1/16/64 clients)', best_o >= 10 * best_p,
                   f'{best_o:.0f}/s', f'{best_p:.0f}/s', ratio(best_o, best_p))
            name = f'tools/list throughput >= 40% of nginx serving the same bytes ({n} clients)'
            if n in http.get('nginx', {}):
                o = http['ours'][n]['tools/list']['requests_per_s']
                f = http['nginx'][n]['requests_per_s']
                target(name, o >= 0.4 * f, f'{o:.0f}/s', f'nginx {f:.0f}/s', ratio(o, f))
                floors['nginx_tools_list'] = {
                    'clients': n, 'ours_requests_per_s': o, 'nginx_requests_per_s': f,
                    'ratio': o / f if f else None, 'target_ratio': 0.4, 'met': o >= 0.4 * f,
                    **{k: http['nginx'][k] for k in ('version', 'worker_processes', 'workers',
                                                     'body_bytes')}}
            else:
                rows.append((name, '', '', '', 'not measured (no nginx)'))
        if 'large' in s:
            for transport, figures in s['large'].items():
                o, p = figures['ours'], figures['peer']
                target(f'peak RSS < 3x payload ({transport}; VmHWM / request bytes)',
                       o['peak_per_payload'] < 3, f"{o['peak_per_payload']:.2f}x",
                       f"{p['peak_per_payload']:.2f}x", ratio(o['peak_kb'], p['peak_kb']))
        if 'inflight' in s:
            for transport, (o, p) in s['inflight'].items():
                ok = o['kb_per_inflight_call'] < 64 and o['ok'] == o['count']
                target(f'< 64 KB per in-flight slow call ({transport})', ok, kib(o['kb_per_inflight_call']),
                       kib(p['kb_per_inflight_call']), ratio(o['kb_per_inflight_call'], p['kb_per_inflight_call']))
        if 'tls' in s:
            o, p = s['tls']['inflight']['ours'], s['tls']['inflight']['peer']
            target('< 64 KB per in-flight slow call (http, HTTPS upstream)',
                   o['kb_per_inflight_call'] < 64 and o['ok'] == o['count'], kib(o['kb_per_inflight_call']),
                   kib(p['kb_per_inflight_call']), ratio(o['kb_per_inflight_call'], p['kb_per_inflight_call']))
        table('Targets', ('target', 'ours', 'peer', 'ours/peer', ''), rows)
        self.write('summary', {'targets': [dict(zip(('target', 'ours', 'peer', 'ratio', 'status'), r))
                                           for r in rows], 'floors': floors})


# ---------------------------------------------------------------------------------------------
# Helpers.

def post_json(url, body, headers=None):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method='POST',
                                     headers={'Content-Type': 'application/json', **(headers or {})})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b'null')


def post_raw(url, body, headers):
    """The answer to a POST as it came: status, Content-Type and the body's bytes."""
    request = urllib.request.Request(url, data=body, method='POST', headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return {'status': response.status, 'content_type': response.headers.get('Content-Type'),
                'body': response.read()}


def free_port():
    """A loopback port nobody listens on now (for nginx, which cannot pick its own)."""
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def accepts_connections(url):
    host, port = re.match(r'https?://([^/:]+):(\d+)', url).groups()
    try:
        with socket.create_connection((host, int(port)), timeout=0.2):
            return True
    except OSError:
        return False


def child_pids(pid):
    """The processes whose parent is `pid` (nginx's workers)."""
    children = []
    for entry in os.listdir('/proc'):
        if entry.isdigit():
            try:
                with open(f'/proc/{entry}/stat') as f:
                    fields = f.read().rsplit(')', 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                children.append(int(entry))
    return children


def delete(url):
    with urllib.request.urlopen(urllib.request.Request(url, method='DELETE'), timeout=30) as r:
        r.read()


def base64_png(width, height, seed):
    """A valid PNG of random RGB pixels, stored uncompressed: incompressible, ~3*w*h bytes."""
    import base64
    rng = random.Random(seed)
    raw = b''.join(b'\x00' + rng.randbytes(width * 3) for _ in range(height))

    def chunk(kind, data):
        return (struct.pack('>I', len(data)) + kind + data +
                struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff))

    png = (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 0)) +
           chunk(b'IDAT', zlib.compress(raw, 0)) + chunk(b'IEND', b''))
    return base64.b64encode(png).decode()


def now():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds')


def loadavg():
    with open('/proc/loadavg') as f:
        return [float(x) for x in f.read().split()[:3]]


def wait_for_quiet(limit, patience):
    """Waits until the 1-minute load average is below `limit` (the machine may be shared)."""
    deadline = time.time() + patience
    while loadavg()[0] >= limit and time.time() < deadline:
        print(f'bench: load average {loadavg()[0]:.2f} >= {limit}; waiting', flush=True)
        time.sleep(30)
    if loadavg()[0] >= limit:
        print(f'bench: load average still {loadavg()[0]:.2f} after {patience} s; running anyway', flush=True)


def machine():
    info = {'nproc': os.cpu_count(), 'kernel': os.uname().release}
    with open('/proc/cpuinfo') as f:
        for line in f:
            if line.startswith('model name'):
                info['cpu'] = line.split(':', 1)[1].strip()
                break
    with open('/proc/meminfo') as f:
        for line in f:
            if line.startswith('MemTotal'):
                info['memory_kb'] = int(line.split()[1])
    info['node'] = subprocess.run(['node', '--version'], capture_output=True, text=True).stdout.strip()
    return info


def ratio(ours, peer):
    if not peer:
        return 'n/a'
    return f'{ours / peer:.3g}x'


def us(value):
    return f'{value:.0f} us'


def ms(value_us):
    return f'{value_us / 1000:.2f} ms'


def mib(kb):
    return f'{kb / 1024:.1f} MiB'


def kib(kb):
    return f'{kb:.1f} KiB'


TABLES = []  # every table printed, also written to results/tables.md


def table(title, header, rows):
    rows = [tuple(str(c) for c in row) for row in rows]
    widths = [max(len(str(h)), *(len(r[i]) for r in rows)) if rows else len(str(h))
              for i, h in enumerate(header)]
    lines = [f'### {title}', '',
             '| ' + ' | '.join(str(h).ljust(w) for h, w in zip(header, widths)) + ' |',
             '|' + '|'.join('-' * (w + 2) for w in widths) + '|']
    lines += ['| ' + ' | '.join(c.ljust(w) for c, w in zip(row, widths)) + ' |' for row in rows]
    text = '\n'.join(lines) + '\n'
    TABLES.append(text)
    print('\n' + text, flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--build-dir', default=os.path.join(ROOT, 'build'))
    parser.add_argument('--server', help='the retrodiffusion-mcp binary (default: BUILD_DIR/retrodiffusion-mcp)')
    parser.add_argument('--results-dir', default=os.path.join(HERE, 'results'))
    parser.add_argument('--only', default='context,stdio,http,large,concurrency,tls')
    parser.add_argument('--duration', type=float, default=5, help='seconds measured per HTTP load run')
    parser.add_argument('--quiet-load', type=float, default=0,
                        help='first wait until the 1-minute load average is below this (0: do not wait)')
    parser.add_argument('--quiet-wait', type=float, default=900, help='seconds to wait for --quiet-load at most')
    parser.add_argument('--clients', default='1,16,64')
    parser.add_argument('--paced-clients', default='16', help='clients of the paced overhead runs')
    parser.add_argument('--paced-rate', type=float, default=400,
                        help='requests/s (all clients together) of the paced overhead runs')
    parser.add_argument('--cold-iterations', type=int, default=40)
    parser.add_argument('--compare-stdio', action='append', default=[], metavar='NAME=BINARY',
                        help='also measure this build of the server in the stdio scenario')
    parser.add_argument('--large-requests', type=int, default=8)
    parser.add_argument('--stdio-calls', type=int, default=2000, help='sequential get_balance calls over stdio')
    parser.add_argument('--inflight', type=int, default=1000)
    parser.add_argument('--slow-ms', type=int, default=5000)
    parser.add_argument('--nginx-workers', default='auto',
                        help="nginx's worker_processes for the tools/list floor (auto: one per CPU)")
    parser.add_argument('--tls-clients', default='16,64')
    parser.add_argument('--tls-inflight', type=int, default=50,
                        help='slow calls in flight over TLS (rd-sim holds about 60 at once)')
    args = parser.parse_args()
    args.clients = [int(c) for c in args.clients.split(',')]
    args.paced_clients = [int(c) for c in args.paced_clients.split(',') if c]
    args.tls_clients = [int(c) for c in args.tls_clients.split(',')]
    scenarios = args.only.split(',')

    if shutil.which('node') is None:
        sys.exit('bench: node is required for the peer (bench/peers)')
    bench = Bench(args)
    info = machine()
    print(f"machine: {info['nproc']} CPUs ({info.get('cpu', '?')}), "
          f"{info['memory_kb'] / 1024 / 1024:.1f} GiB, node {info['node']}; load average {loadavg()}")
    started = time.time()
    load_at_start = loadavg()
    try:
        if args.quiet_load:
            wait_for_quiet(args.quiet_load, args.quiet_wait)
            load_at_start = loadavg()
        sim = bench.start_sim()
        bench.capture_definitions(sim)
        runs = {'context': bench.scenario_context, 'stdio': bench.scenario_stdio,
                'http': bench.scenario_http,
                'large': bench.scenario_large, 'concurrency': bench.scenario_concurrency,
                'tls': bench.scenario_tls}
        for name, run in runs.items():
            if name in scenarios:
                bench.load_before = loadavg()
                run(sim)
        bench.report_targets()
        info = machine()
        header = (f"Measured {now()} on {info['nproc']} CPUs ({info.get('cpu', '?')}), "
                  f"{info['memory_kb'] / 1024 / 1024:.1f} GiB, Linux {info['kernel']}, node {info['node']}; "
                  f"load average before {load_at_start}, after {loadavg()}.\n")
        with open(os.path.join(bench.results_dir, 'tables.md'), 'w') as f:
            f.write(header + '\n' + '\n'.join(TABLES))
    finally:
        bench.stop_all()
    print(f'bench: done in {time.time() - started:.0f} s; load average {loadavg()}; '
          f'results in {bench.results_dir}')


if __name__ == '__main__':
    main()
