// The whole tool suite against the simulated API's v2 (--api-version v2), with both official
// SDK clients over Streamable HTTP: SDK 1.x in a 2025-11-25 session and SDK 2.x stateless in
// 2026-07-28. Generations are admitted as tasks with an idempotency key and polled to the end;
// results name their request id and get_inference_result recovers them. (The same suite runs
// against v1 in http_sdk1.test.mjs and http_sdk2.test.mjs.)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import { KEY_1, KEY_2, REQUEST_TIMEOUT_MS, resultText, startSim } from './helpers.mjs';
import { exerciseEveryTool, recordingFetch, startHttpServer } from './http_helpers.mjs';

const OPTIONS = { timeout: 30_000 };
const V2 = ['--api-version', 'v2'];

async function connectSdk1(url, key) {
    const transport = new TransportV1(new URL(url), {
        requestInit: { headers: { Authorization: `Bearer ${key}` } }, fetch: recordingFetch(),
    });
    const client = new ClientV1({ name: 'rdmcp-e2e-v2-sdk1', version: '0.0.0' });
    await client.connect(transport, { timeout: REQUEST_TIMEOUT_MS });
    return client;
}

async function connectSdk2(url, key) {
    const transport = new TransportV2(new URL(url), {
        requestInit: { headers: { Authorization: `Bearer ${key}` } }, fetch: recordingFetch(),
    });
    const client = new ClientV2({ name: 'rdmcp-e2e-v2-sdk2', version: '0.0.0' }, {
        versionNegotiation: { mode: 'auto', probe: { timeoutMs: REQUEST_TIMEOUT_MS } },
    });
    await client.connect(transport, { timeout: REQUEST_TIMEOUT_MS });
    return client;
}

describe('The tool suite against API v2, with both SDK clients', { timeout: 120_000 }, () => {
    let sim;
    let server;

    before(async () => {
        sim = await startSim();
        server = await startHttpServer({ baseUrl: sim.url, args: V2 });
    });

    after(async () => {
        if (server) assert.equal(await server.stop(), 0, 'the server must exit 0 on SIGTERM');
        await sim?.stop();
    });

    it('SDK 1.x (2025-11-25 session) calls every tool', async () => {
        const client = await connectSdk1(server.url, KEY_1);
        try {
            await exerciseEveryTool({
                call: (name, args) => client.callTool({ name, arguments: args }, undefined, OPTIONS),
                listTools: async () => (await client.listTools(undefined, OPTIONS)).tools,
                sim, key: KEY_1, apiVersion: 'v2',
            });
        } finally {
            await client.close();
        }
    });

    it('SDK 2.x (2026-07-28, stateless) calls every tool', async () => {
        const client = await connectSdk2(server.url, KEY_2);
        try {
            assert.equal(client.getProtocolEra(), 'modern');
            await exerciseEveryTool({
                call: (name, args) => client.callTool({ name, arguments: args }, OPTIONS),
                listTools: async () => (await client.listTools(undefined, OPTIONS)).tools,
                sim, key: KEY_2, apiVersion: 'v2',
            });
        } finally {
            await client.close();
        }
    });

    it('a generation names its request id, and get_inference_result recovers it for free', async () => {
        const client = await connectSdk2(server.url, KEY_1);
        try {
            const generated = await client.callTool({ name: 'create_inference', arguments: {
                prompt: 'a plum', prompt_style: 'rd_fast__default', width: 64, height: 64,
            } }, OPTIONS);
            assert.notEqual(generated.isError, true, resultText(generated));
            const requestId = generated.structuredContent.request_id;
            assert.match(String(requestId), /./, resultText(generated));
            const ledger = await (await fetch(`${sim.url}/_sim/ledger`)).json();
            const recovered = await client.callTool(
                { name: 'get_inference_result', arguments: { request_id: requestId } }, OPTIONS);
            assert.notEqual(recovered.isError, true, resultText(recovered));
            assert.equal(recovered.content.filter((c) => c.type === 'image').length, 1);
            const after = await (await fetch(`${sim.url}/_sim/ledger`)).json();
            assert.equal(after.total_charged, ledger.total_charged, 'recovering is free');
        } finally {
            await client.close();
        }
    });
});
