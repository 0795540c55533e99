// The official MCP TypeScript SDK 2.x (@modelcontextprotocol/client, protocol 2026-07-28) over
// Streamable HTTP: stateless requests with _meta and the mirrored MCP-Protocol-Version /
// Mcp-Method / Mcp-Name headers, every tool called against rd-sim, progress on the request's
// own SSE stream, and a subscriptions/listen stream acknowledged by the server.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

import { KEY_1, REQUEST_TIMEOUT_MS, resultText, startSim } from './helpers.mjs';
import { exerciseEveryTool, recordingFetch, startHttpServer } from './http_helpers.mjs';

const MODERN = '2026-07-28';
const OPTIONS = { timeout: 30_000 };
const CLIENT_INFO = { name: 'rdmcp-e2e-http-sdk2', version: '0.0.0' };

function modernClient() {
    return new Client(CLIENT_INFO, {
        versionNegotiation: { mode: 'auto', probe: { timeoutMs: REQUEST_TIMEOUT_MS } },
    });
}

async function connect(url, key, fetch, client = modernClient()) {
    const headers = key ? { Authorization: `Bearer ${key}` } : {};
    const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers }, fetch });
    await client.connect(transport, { timeout: REQUEST_TIMEOUT_MS });
    return { client, transport };
}

describe(`SDK 2.x client over Streamable HTTP (${MODERN}, stateless)`, { timeout: 90_000 }, () => {
    let sim;
    let server;
    let client;
    const fetch = recordingFetch();

    before(async () => {
        sim = await startSim();
        server = await startHttpServer({ baseUrl: sim.url });
        ({ client } = await connect(server.url, KEY_1, fetch));
    });

    after(async () => {
        await client?.close().catch(() => {});
        if (server) assert.equal(await server.stop(), 0, 'the server must exit 0 on SIGTERM');
        await sim?.stop();
    });

    it(`negotiates ${MODERN} with server/discover`, () => {
        assert.equal(client.getProtocolEra(), 'modern');
        assert.equal(client.getNegotiatedProtocolVersion(), MODERN);
        assert.equal(client.getServerVersion()?.name, 'retrodiffusion-mcp');
        assert.equal(fetch.exchanges[0].body?.method, 'server/discover');
        assert.ok(!fetch.exchanges.some((e) => e.body?.method === 'initialize'));
    });

    it('calls every tool with its own key', async () => {
        await exerciseEveryTool({
            call: (name, args) => client.callTool({ name, arguments: args }, OPTIONS),
            listTools: async () => (await client.listTools(undefined, OPTIONS)).tools,
            sim,
            key: KEY_1,
        });
    });

    it('streams progress for a call on the call\'s own response stream', async () => {
        const progress = [];
        const result = await client.callTool(
            { name: 'create_inference',
              arguments: { prompt: 'a pear', prompt_style: 'rd_fast__default', width: 64, height: 64 } },
            { ...OPTIONS, onprogress: (p) => progress.push(p) });
        assert.notEqual(result.isError, true, resultText(result));
        assert.ok(progress.length >= 1, 'no progress notification arrived');
        const call = fetch.exchanges.findLast((e) => e.body?.method === 'tools/call');
        assert.equal(call.contentType, 'text/event-stream');
    });

    it('subscriptions/listen is acknowledged with the filter we honour', async () => {
        const subscription = await client.listen({ toolsListChanged: true, promptsListChanged: true },
                                                 OPTIONS);
        assert.deepEqual(subscription.honoredFilter, { toolsListChanged: true });
        assert.equal(await server.metric('rdmcp_open_streams'), 1);
        await subscription.close();
    });

    it('every request was stateless, with headers that mirror its body', () => {
        const posts = fetch.exchanges.filter((e) => e.method === 'POST' && e.body?.id !== undefined);
        assert.ok(posts.length >= 15, `only ${posts.length} requests`);
        for (const { headers, body, status, sessionId } of posts) {
            const what = `${body.method} (${status})`;
            assert.equal(headers.get('mcp-protocol-version'), MODERN, what);
            assert.equal(body.params?._meta?.['io.modelcontextprotocol/protocolVersion'], MODERN, what);
            assert.equal(headers.get('mcp-method'), body.method, what);
            if (body.method === 'tools/call') assert.equal(headers.get('mcp-name'), body.params.name, what);
            assert.equal(headers.get('mcp-session-id'), null, what);
            assert.equal(sessionId, null, `${what}: a 2026-07-28 answer carries no session`);
        }
        assert.ok(!fetch.exchanges.some((e) => e.method === 'GET' || e.method === 'DELETE'));
    });
});

describe('SDK 2.x client over Streamable HTTP without a key', { timeout: 60_000 }, () => {
    let sim;
    let server;

    before(async () => {
        sim = await startSim();
        server = await startHttpServer({ baseUrl: sim.url });
    });

    after(async () => {
        if (server) await server.stop();
        await sim?.stop();
    });

    it('the catalog works; get_balance explains the Authorization header and calls nothing', async () => {
        const { client } = await connect(server.url, undefined, recordingFetch());
        try {
            const styles = await client.callTool({ name: 'list_available_styles', arguments: {} }, OPTIONS);
            assert.notEqual(styles.isError, true);
            const before = (await sim.requests()).length;
            const balance = await client.callTool({ name: 'get_balance', arguments: {} }, OPTIONS);
            assert.equal(balance.isError, true);
            assert.match(resultText(balance), /Authorization: Bearer/);
            assert.equal((await sim.requests()).length, before, 'no key: the API must not be called');
        } finally {
            await client.close();
        }
    });

    it('with --require-auth the connection is refused with a Bearer challenge', async () => {
        const guarded = await startHttpServer({ baseUrl: sim.url, args: ['--require-auth'] });
        try {
            const response = await fetch(guarded.url, {
                method: 'POST',
                headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
                body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} }),
            });
            assert.equal(response.status, 401);
            assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer realm="retrodiffusion-mcp"/);
            await assert.rejects(connect(guarded.url, undefined, recordingFetch()));
            const { client } = await connect(guarded.url, KEY_1, recordingFetch());
            await client.close();
        } finally {
            await guarded.stop();
        }
    });
});

describe('SDK 2.x client over Streamable HTTP, default (legacy) negotiation', { timeout: 60_000 }, () => {
    it('falls back to initialize and a session on the same endpoint', async () => {
        const sim = await startSim();
        const server = await startHttpServer({ baseUrl: sim.url });
        const fetch = recordingFetch();
        const { client, transport } = await connect(server.url, KEY_1, fetch, new Client(CLIENT_INFO));
        try {
            assert.equal(client.getProtocolEra(), 'legacy');
            assert.match(transport.sessionId ?? '', /^[A-Za-z0-9_-]{43}$/);
            const result = await client.callTool({ name: 'get_balance', arguments: {} }, OPTIONS);
            assert.equal(result.structuredContent?.balance, 100);
        } finally {
            await client.close();
            await server.stop();
            await sim.stop();
        }
    });
});
