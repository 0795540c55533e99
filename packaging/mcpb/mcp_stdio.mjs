// A minimal MCP client over a server's stdin/stdout (one JSON-RPC message per line), Node's
// standard library only: make-manifest.mjs asks the server what it offers with it, and the
// packaging tests (tests/deploy) start the server as a client app would.
import { spawn } from 'node:child_process';

export const PROTOCOL_VERSION = '2025-11-25';

export function startStdioServer(command, args, env) {
    const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const waiting = new Map();
    let buffer = '';
    let stderr = '';
    let nextId = 1;
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.stdout.on('data', (chunk) => {
        buffer += chunk;
        let newline;
        while ((newline = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, newline).trim();
            buffer = buffer.slice(newline + 1);
            if (!line) continue;
            const message = JSON.parse(line);
            const pending = waiting.get(message.id);
            if (pending && (message.result !== undefined || message.error !== undefined)) {
                waiting.delete(message.id);
                pending(message);
            }
        }
    });
    const spawned = new Promise((resolve, reject) => {
        child.on('spawn', resolve);
        child.on('error', reject);
    });
    const exited = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
    exited.then(({ code, signal }) => {
        for (const pending of waiting.values()) {
            pending({ error: { message: `server exited (${signal ?? code}); stderr: ${stderr.trim()}` } });
        }
        waiting.clear();
    });

    const server = {
        stderr: () => stderr,
        async request(method, params = {}) {
            await spawned;
            const id = nextId++;
            const answer = new Promise((resolve) => waiting.set(id, resolve));
            child.stdin.write(JSON.stringify({ jsonrpc: '2.0', id, method, params }) + '\n');
            let timer;
            const timeout = new Promise((_, reject) => {
                timer = setTimeout(() => reject(new Error(`${method}: no answer in 10 s; stderr: ${stderr}`)), 10000);
            });
            try {
                const message = await Promise.race([answer, timeout]);
                if (message.error) throw new Error(`${method}: ${JSON.stringify(message.error)}`);
                return message.result;
            } finally {
                clearTimeout(timer);
            }
        },
        notify(method, params = {}) {
            child.stdin.write(JSON.stringify({ jsonrpc: '2.0', method, params }) + '\n');
        },
        // Every page of a paginated list (tools/list, prompts/list).
        async listAll(method, key) {
            const items = [];
            let cursor;
            do {
                const result = await server.request(method, cursor ? { cursor } : {});
                items.push(...result[key]);
                cursor = result.nextCursor;
            } while (cursor);
            return items;
        },
        // initialize, then notifications/initialized: the answer to initialize.
        async handshake(clientInfo = { name: 'retrodiffusion-mcp-deploy-tests', version: '0.0.0' }) {
            const result = await server.request('initialize', {
                protocolVersion: PROTOCOL_VERSION,
                capabilities: {},
                clientInfo,
            });
            server.notify('notifications/initialized');
            return result;
        },
        // Ends the session as a client does, by closing stdin; the exit status.
        async close() {
            child.stdin.end();
            const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
            const status = await exited;
            clearTimeout(timer);
            return status;
        },
    };
    return server;
}
