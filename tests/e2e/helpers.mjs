// Shared plumbing for the end-to-end tests: where the binaries are, the simulated
// RetroDiffusion API (rd-sim) as a child process, a stdio transport that records the wire
// traffic, and cleanup that leaves no child process behind even when a test fails.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

function binaryPath(envName, defaultRelative) {
    const fromEnv = process.env[envName];
    // A relative path in the environment is taken from the current directory, as a shell would.
    return fromEnv ? path.resolve(fromEnv) : path.resolve(here, defaultRelative);
}

export const MCP_BINARY = binaryPath('RD_MCP_BINARY', '../../build/retrodiffusion-mcp');
export const SIM_BINARY = binaryPath('RD_SIM_BINARY', '../../build/tests/rd-sim');

// The simulated API's default accounts.
export const KEY_1 = 'rdpk-test-key-1'; // balance 100.0
export const KEY_2 = 'rdpk-test-key-2'; // balance 5.0

// Per-request timeout for the MCP clients: far below the suite's budget, so a hung server
// fails one test quickly instead of stalling the run.
export const REQUEST_TIMEOUT_MS = 10_000;

// Every log line our server writes in these tests is kept in RDMCP_TEST_LOG_DIR (when ctest sets it),
// where log_key_scan checks that no test key was ever logged. Returns what to call per chunk.
let logCount = 0;
export function keepLog(name) {
    const dir = process.env.RDMCP_TEST_LOG_DIR;
    if (!dir) return () => {};
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `e2e-${name}-${process.pid}-${++logCount}.log`);
    return (chunk) => appendFileSync(file, chunk);
}

export function requireBinary(file, what) {
    if (!existsSync(file)) {
        throw new Error(`${what} not found at ${file}: build it (cmake --build build) or set the ` +
                        `path in the environment (RD_MCP_BINARY / RD_SIM_BINARY)`);
    }
}

// ---------------------------------------------------------------------------------------------
// Child-process bookkeeping. Every process we start directly is listed here and killed when the
// test process exits, whatever happened; processes the SDK transports start are checked by pid.

const children = new Set();
// Lists a process the tests started, to be killed when the test process exits.
export function track(child) {
    children.add(child);
    return child;
}
export function untrack(child) {
    children.delete(child);
}
process.on('exit', () => {
    for (const child of children) {
        try {
            child.kill('SIGKILL');
        } catch {
            // already gone
        }
    }
});

export function waitForExit(child, timeoutMs) {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
    return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        timer.unref();
        child.once('exit', () => {
            clearTimeout(timer);
            resolve(true);
        });
    });
}

async function terminate(child) {
    if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        if (!(await waitForExit(child, 3000))) {
            child.kill('SIGKILL');
            await waitForExit(child, 3000);
        }
    }
    untrack(child);
}

// True while `pid` is a live process running `binary` (so a recycled pid is never touched).
export function isRunning(pid, binary = MCP_BINARY) {
    if (!pid) return false;
    try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return false; // exited
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] === binary;
    } catch {
        return false;
    }
}

// ---------------------------------------------------------------------------------------------
// The simulated RetroDiffusion API.

// A GET on a fresh connection that is closed afterwards: a pooled keep-alive connection would
// hold rd-sim open for seconds after SIGTERM.
function httpGet(url, timeoutMs = 5000) {
    return new Promise((resolve, reject) => {
        const request = http.get(url, { agent: false, headers: { connection: 'close' } },
                                 (response) => {
            let body = '';
            response.setEncoding('utf8');
            response.on('data', (chunk) => (body += chunk));
            response.on('end', () => {
                if (response.statusCode === 200) resolve(body);
                else reject(new Error(`GET ${url} answered ${response.statusCode}: ${body}`));
            });
            response.on('error', reject);
        });
        request.setTimeout(timeoutMs, () => request.destroy(new Error(`GET ${url} timed out`)));
        request.on('error', reject);
    });
}

// Starts rd-sim on a free port and resolves once it printed `listening on http://127.0.0.1:PORT`.
export async function startSim({ args = [], timeoutMs = 10_000 } = {}) {
    requireBinary(SIM_BINARY, 'rd-sim');
    const child = spawn(SIM_BINARY, ['--port', '0', ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    track(child);
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
        stderr = (stderr + chunk).slice(-20_000);
    });

    const url = await new Promise((resolve, reject) => {
        let stdout = '';
        const fail = (why) => {
            clearTimeout(timer);
            reject(new Error(`rd-sim ${why}; stdout: ${JSON.stringify(stdout)}; ` +
                             `stderr: ${JSON.stringify(stderr)}`));
        };
        const timer = setTimeout(() => fail(`printed no listening line in ${timeoutMs} ms`),
                                 timeoutMs);
        child.once('error', (error) => fail(`could not start: ${error.message}`));
        child.once('exit', (code, signal) => fail(`exited early (code ${code}, signal ${signal})`));
        child.stdout.setEncoding('utf8');
        child.stdout.on('data', function onData(chunk) {
            stdout += chunk;
            const match = /^listening on (http:\/\/127\.0\.0\.1:(\d+))\r?$/m.exec(stdout);
            if (match && Number(match[2]) > 0) {
                clearTimeout(timer);
                child.removeAllListeners('exit');
                child.removeAllListeners('error');
                child.stdout.off('data', onData);
                child.stdout.resume(); // keep draining whatever else it prints
                resolve(match[1]);
            }
        });
    }).catch(async (error) => {
        await terminate(child);
        throw error;
    });

    return {
        url,
        process: child,
        stderr: () => stderr,
        // The requests the simulated API has recorded so far, oldest first.
        async requests() {
            const body = JSON.parse(await httpGet(`${url}/_sim/requests`));
            if (!Array.isArray(body)) throw new Error('GET /_sim/requests did not return an array');
            return body;
        },
        stop: () => terminate(child),
    };
}

// ---------------------------------------------------------------------------------------------
// MCP clients over stdio.

// The server's environment. The SDK transports add only HOME, LOGNAME, PATH, SHELL, TERM and
// USER from ours, so a key in the test runner's environment never leaks into the server.
export function serverEnv({ apiKey, baseUrl, extra = {} } = {}) {
    // API v1 unless a test asks for v2 (http_api_v2.test.mjs): the suites assert v1's paths.
    // No spend confirmation unless a test asks (a flag wins over it): the suites count the
    // requests a call makes, and the guard's free price check would be one more
    // (spend_guard.test.mjs tests the guard).
    // Output schemas listed, so the SDK clients check every structuredContent against its
    // tool's outputSchema (the server leaves them out by default to spare the agent's context;
    // checkContextBudget below tests that default).
    const env = { RD_API_BASE_URL: baseUrl, RD_MCP_LOG_LEVEL: 'debug', RD_API_VERSION: 'v1',
                  RD_CONFIRM_ABOVE: 'none', RD_MCP_OUTPUT_SCHEMAS: 'true', ...extra };
    if (apiKey !== undefined) env.RD_API_KEY = apiKey;
    return env;
}

// A subclass of an SDK's StdioClientTransport that keeps a copy of every JSON-RPC message
// written to the server (`sent`) and read from it (`received`) and of the server's stderr.
// Reading stdout a second time is safe: a stream delivers each chunk to every 'data' listener.
export function recordingTransportClass(StdioClientTransport) {
    return class RecordingStdioClientTransport extends StdioClientTransport {
        constructor(params) {
            super({ ...params, stderr: 'pipe' });
            this.sent = [];
            this.received = [];
            this.serverStderr = '';
            this.startedPid = null;
            this.stderr.setEncoding?.('utf8');
            const log = keepLog('stdio');
            this.stderr.on('data', (chunk) => {
                this.serverStderr = (this.serverStderr + chunk).slice(-50_000);
                log(chunk);
            });
        }

        async start() {
            await super.start();
            this.startedPid = this.pid;
            let pending = '';
            this._process.stdout.on('data', (chunk) => {
                pending += chunk.toString('utf8');
                let newline;
                while ((newline = pending.indexOf('\n')) >= 0) {
                    const line = pending.slice(0, newline).replace(/\r$/, '');
                    pending = pending.slice(newline + 1);
                    if (line.trim() === '') continue;
                    try {
                        this.received.push(JSON.parse(line));
                    } catch {
                        this.received.push({ unparseable: line });
                    }
                }
            });
        }

        send(message) {
            this.sent.push(structuredClone(message));
            return super.send(message);
        }

        // The response the server sent to the request with this id.
        responseTo(id) {
            return this.received.find((m) => m.id === id && ('result' in m || 'error' in m));
        }

        // Everything on the wire so far, for failure messages.
        transcript() {
            return JSON.stringify({ sent: this.sent, received: this.received }, null, 1);
        }
    };
}

// Closes a client and makes sure the server process it spawned is gone.
export async function closeClient(client, transport) {
    const pid = transport?.startedPid ?? transport?.pid ?? null;
    try {
        await Promise.race([client.close(), new Promise((r) => setTimeout(r, 8000).unref())]);
    } catch {
        // closing is best effort; the process check below is what matters
    }
    if (isRunning(pid)) {
        process.kill(pid, 'SIGKILL');
    }
}

// The pids of live retrodiffusion-mcp processes whose parent is this test process: after every
// client is closed there must be none (this also catches a probe sibling the SDK failed to reap).
export function serverChildren(binary = MCP_BINARY) {
    const pids = [];
    for (const entry of readdirSync('/proc')) {
        if (!/^\d+$/.test(entry)) continue;
        try {
            const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
            const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
            if (Number(fields[1]) !== process.pid || fields[0] === 'Z') continue;
            if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0')[0] === binary) {
                pids.push(Number(entry));
            }
        } catch {
            // the process ended while we looked
        }
    }
    return pids;
}

// Keeps a transport's piped stderr flowing (so the server never blocks on a full pipe) and
// returns a function giving what it wrote, for failure messages.
export function drainStderr(transport) {
    let text = '';
    transport.stderr?.on('data', (chunk) => {
        text = (text + chunk.toString('utf8')).slice(-50_000);
    });
    return () => text;
}

// Polls `condition` until it is true or `timeoutMs` passed; returns its last value.
export async function eventually(condition, timeoutMs = 5000, stepMs = 25) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = await condition();
        if (value || Date.now() >= deadline) return value;
        await new Promise((r) => setTimeout(r, stepMs));
    }
}

// The text of a tool result's content blocks, joined.
export function resultText(result) {
    return (result?.content ?? [])
        .filter((block) => block.type === 'text')
        .map((block) => block.text)
        .join('\n');
}

// Answers whose shape once broke a client's outputSchema validation, called through an official
// SDK client (which validates structuredContent and throws on a mismatch): a user style the API
// answers with "description": null, a generation turned into a job by async: true, and the
// balance with its credits. `call(name, args)` is the client's callTool.
export async function checkAnswerShapes(call, sim, apiVersion = 'v1') {
    const style = await call('create_user_style', { name: 'No Description' });
    assert.notEqual(style.isError, true, resultText(style));
    assert.equal('description' in style.structuredContent, false, 'a null description is left out');
    assert.equal(typeof style.structuredContent.created_at, 'string');
    const deleted = await call('delete_user_style', { style_id: style.structuredContent.prompt_style });
    assert.notEqual(deleted.isError, true, resultText(deleted));

    const before = (await sim.requests()).length;
    const job = await call('create_inference', {
        prompt: 'a slow comet', prompt_style: 'rd_fast__default', width: 64, height: 64, async: true,
    });
    assert.notEqual(job.isError, true, resultText(job));
    assert.match(String(job.structuredContent.job_id), /^rdjob1\./, resultText(job));
    const posts = (await sim.requests()).slice(before)
        .filter((r) => r.path === `/${apiVersion}/inferences`);
    assert.equal(posts.length, 1, 'one submission');
    if (apiVersion === 'v1') {
        assert.equal(posts[0].body.async, true);
    } else {
        // v2 admits every generation as a task; the submission carries its idempotency key.
        assert.equal('async' in posts[0].body, false);
        assert.match(String(posts[0].headers['idempotency-key']), /^rdmcp-[0-9a-f]{32}$/);
    }

    const balance = await call('get_balance', {});
    assert.equal(balance.structuredContent.credits, 0);
    assert.match(resultText(balance), /credits: 0/);
}

// What every conversation pays for: tools/list as a client reads it, with every tool of the
// server, within 24,000 bytes of JSON and, by default, without output schemas.
export const TOOLS_LIST_BUDGET_BYTES = 24_000;
export const EVERY_TOOL = 35;

export function checkContextBudget(listing) {
    assert.equal(listing.tools.length, EVERY_TOOL, listing.tools.map((t) => t.name).join(', '));
    const bytes = JSON.stringify(listing).length;
    assert.ok(bytes < TOOLS_LIST_BUDGET_BYTES, `tools/list is ${bytes} bytes`);
    for (const tool of listing.tools) {
        assert.equal(tool.outputSchema, undefined, `${tool.name} lists an outputSchema`);
        assert.equal(tool.inputSchema?.type, 'object', `${tool.name} inputSchema`);
    }
}
