// The official MCP TypeScript SDK 1.x (@modelcontextprotocol/sdk, protocol 2025-11-25) over
// Streamable HTTP: StreamableHTTPClientTransport initializes, gets a session bound to its key,
// opens the session's GET stream, calls every tool against rd-sim, and ends the session.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import { eventually, KEY_1, KEY_2, REQUEST_TIMEOUT_MS, resultText, startSim } from './helpers.mjs';
import { exerciseEveryTool, recordingFetch, startHttpServer } from './http_helpers.mjs';

const OPTIONS = { timeout: 30_000 };
const CLIENT_INFO = { name: 'rdmcp-e2e-http-sdk1', version: '0.0.0' };

function transportFor(url, key, fetch, sessionId) {
    const headers = key ? { Authorization: `Bearer ${key}` } : {};
    return new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers }, fetch, sessionId });
}

async function connect(url, key, fetch) {
    const transport = transportFor(url, key, fetch);
    const client = new Client(CLIENT_INFO);
    await client.connect(transport, { timeout: REQUEST_TIMEOUT_MS });
    return { client, transport };
}

describe('SDK 1.x client over Streamable HTTP (2025-11-25, with a session)', { timeout: 90_000 }, () => {
    let sim;
    let server;
    let client;
    let transport;
    const fetch = recordingFetch();

    before(async () => {
        sim = await startSim();
        server = await startHttpServer({ baseUrl: sim.url });
        ({ client, transport } = await connect(server.url, KEY_1, fetch));
    });

    after(async () => {
        await client?.close().catch(() => {});
        if (server) assert.equal(await server.stop(), 0, 'the server must exit 0 on SIGTERM');
        await sim?.stop();
    });

    it('initializes and gets a session id; every later request names it', async () => {
        assert.equal(client.getServerVersion()?.name, 'retrodiffusion-mcp');
        assert.match(transport.sessionId ?? '', /^[A-Za-z0-9_-]{43}$/);
        const [init] = fetch.exchanges;
        assert.equal(init.body?.method, 'initialize');
        assert.equal(init.sessionId, transport.sessionId);
        await client.ping(OPTIONS);
        for (const exchange of fetch.exchanges.slice(1)) {
            assert.equal(exchange.headers.get('mcp-session-id'), transport.sessionId,
                         `${exchange.method} ${exchange.body?.method ?? ''} without the session`);
            assert.equal(exchange.headers.get('mcp-protocol-version'), '2025-11-25');
        }
        const initialized = fetch.exchanges.find((e) => e.body?.method === 'notifications/initialized');
        assert.equal(initialized?.status, 202);
    });

    it('opens the session GET stream and keeps it', async () => {
        assert.ok(await eventually(() => fetch.exchanges.some((e) => e.method === 'GET' && e.status === 200)),
                  'no GET stream was opened');
        assert.equal(await server.metric('rdmcp_open_streams'), 1);
    });

    it('calls every tool with the session key', async () => {
        await exerciseEveryTool({
            call: (name, args) => client.callTool({ name, arguments: args }, undefined, OPTIONS),
            listTools: async () => (await client.listTools(undefined, OPTIONS)).tools,
            sim,
            key: KEY_1,
        });
    });

    it('a tool call streams its progress notifications before the result', async () => {
        const progress = [];
        const result = await client.callTool(
            { name: 'create_inference',
              arguments: { prompt: 'a pear', prompt_style: 'rd_fast__default', width: 64, height: 64 } },
            undefined, { ...OPTIONS, onprogress: (p) => progress.push(p) });
        assert.notEqual(result.isError, true, resultText(result));
        assert.ok(progress.length >= 1, 'no progress notification arrived');
    });

    it('another key cannot use the session (404)', async () => {
        const thief = transportFor(server.url, KEY_2, undefined, transport.sessionId);
        thief.setProtocolVersion('2025-11-25');
        await thief.start();
        await assert.rejects(
            thief.send({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
            (error) => error.code === 404);
        await thief.close();
    });

    it('a client whose clientInfo is huge is refused on connect, saying what to fix', async () => {
        const sessions = await server.metric('rdmcp_sessions');
        const huge = new Client({ name: 'z'.repeat(64 * 1024), version: '0.0.0' });
        const hugeTransport = transportFor(server.url, KEY_2);
        await assert.rejects(huge.connect(hugeTransport, { timeout: REQUEST_TIMEOUT_MS }), (error) => {
            assert.equal(error.code, -32602);
            assert.match(error.message, /initialize params are \d+ bytes of JSON; this server accepts at most 16384/);
            assert.match(error.message, /clientInfo/);
            assert.ok(!error.message.includes('zzzzzzzz'), 'the client\'s own content came back');
            return true;
        });
        await hugeTransport.close().catch(() => {});
        assert.equal(await server.metric('rdmcp_sessions'), sessions, 'a session was opened anyway');
        await client.ping(OPTIONS);  // the first client is still served
    });

    it('ending the session (DELETE) makes it unknown (404) and closes its stream', async () => {
        await transport.terminateSession();
        const deleted = fetch.exchanges.find((e) => e.method === 'DELETE');
        assert.equal(deleted?.status, 200);
        assert.ok(await eventually(async () => (await server.metric('rdmcp_open_streams')) === 0),
                  'the GET stream outlived its session');
        const stale = transportFor(server.url, KEY_1, undefined, deleted.headers.get('mcp-session-id'));
        await stale.start();
        await assert.rejects(
            stale.send({ jsonrpc: '2.0', id: 2, method: 'ping' }),
            (error) => error.code === 404);
        await stale.close();
    });
});

describe('SDK 1.x client over Streamable HTTP with --stateless', { timeout: 90_000 }, () => {
    let sim;
    let server;

    before(async () => {
        sim = await startSim();
        server = await startHttpServer({ baseUrl: sim.url, args: ['--stateless'] });
    });

    after(async () => {
        if (server) assert.equal(await server.stop(), 0);
        await sim?.stop();
    });

    it('works without a session id and calls every tool', async () => {
        const fetch = recordingFetch();
        const { client, transport } = await connect(server.url, KEY_2, fetch);
        try {
            assert.equal(transport.sessionId, undefined);
            // The SDK opens the GET stream after notifications/initialized, without waiting.
            const answered = () => fetch.exchanges.find((e) => e.method === 'GET' && e.status !== undefined);
            assert.ok(await eventually(answered), 'the SDK never tried the GET stream');
            assert.equal(answered().status, 405, 'a stateless server offers no GET stream');
            await exerciseEveryTool({
                call: (name, args) => client.callTool({ name, arguments: args }, undefined, OPTIONS),
                listTools: async () => (await client.listTools(undefined, OPTIONS)).tools,
                sim,
                key: KEY_2,
            });
        } finally {
            await client.close();
        }
    });
});
