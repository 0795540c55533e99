// The official MCP TypeScript SDK 1.x (@modelcontextprotocol/sdk, protocol 2025-11-25, with the
// `initialize` handshake) spawns retrodiffusion-mcp over stdio and uses it against rd-sim.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

import {
    checkAnswerShapes,
    closeClient,
    eventually,
    KEY_1,
    KEY_2,
    MCP_BINARY,
    recordingTransportClass,
    REQUEST_TIMEOUT_MS,
    requireBinary,
    resultText,
    serverChildren,
    serverEnv,
    startSim,
    checkContextBudget,
} from './helpers.mjs';

const RecordingTransport = recordingTransportClass(StdioClientTransport);
const OPTIONS = { timeout: REQUEST_TIMEOUT_MS };

async function connect(env) {
    requireBinary(MCP_BINARY, 'retrodiffusion-mcp');
    const transport = new RecordingTransport({ command: MCP_BINARY, args: [], env });
    const client = new Client({ name: 'rdmcp-e2e-sdk1', version: '0.0.0' });
    try {
        await client.connect(transport, OPTIONS);
    } catch (error) {
        await closeClient(client, transport);
        error.message += `\nserver stderr:\n${transport.serverStderr}\nwire:\n${transport.transcript()}`;
        throw error;
    }
    return { client, transport };
}

// What the simulated API recorded while `action` ran.
async function upstreamRequestsDuring(sim, action) {
    const before = await sim.requests();
    const value = await action();
    const after = await sim.requests();
    return { value, requests: after.slice(before.length) };
}

describe('SDK 1.x client over stdio, with RD_API_KEY', { timeout: 45_000 }, () => {
    let sim;
    let client;
    let transport;

    before(async () => {
        sim = await startSim();
        ({ client, transport } = await connect(serverEnv({ apiKey: KEY_1, baseUrl: sim.url })));
    });

    after(async () => {
        if (client) await closeClient(client, transport);
        if (sim) await sim.stop();
    });

    it('lists every tool within the context budget, without output schemas by default', async () => {
        const env = serverEnv({ apiKey: KEY_1, baseUrl: sim.url });
        delete env.RD_MCP_OUTPUT_SCHEMAS;
        const plain = await connect(env);
        try {
            checkContextBudget(await plain.client.listTools(undefined, OPTIONS));
        } finally {
            await closeClient(plain.client, plain.transport);
        }
    });

    it('negotiates 2025-11-25 with initialize and names itself retrodiffusion-mcp', () => {
        const initialize = transport.sent.find((m) => m.method === 'initialize');
        assert.ok(initialize, `no initialize was sent:\n${transport.transcript()}`);
        assert.equal(initialize.params.protocolVersion, '2025-11-25');

        const response = transport.responseTo(initialize.id);
        assert.ok(response?.result, `initialize got no result:\n${transport.transcript()}`);
        assert.equal(response.result.protocolVersion, '2025-11-25');
        assert.equal(response.result.serverInfo.name, 'retrodiffusion-mcp');
        assert.equal(typeof response.result.serverInfo.version, 'string');

        assert.equal(client.getServerVersion()?.name, 'retrodiffusion-mcp');
        assert.ok(client.getServerCapabilities()?.tools, 'the server must advertise tools');
        assert.ok(transport.sent.some((m) => m.method === 'notifications/initialized'));
    });

    it('lists get_balance and list_available_styles with title, schemas and annotations', async () => {
        const { tools } = await client.listTools(undefined, OPTIONS);
        const byName = new Map(tools.map((tool) => [tool.name, tool]));
        for (const name of ['get_balance', 'list_available_styles']) {
            const tool = byName.get(name);
            assert.ok(tool, `${name} missing from tools/list: ${[...byName.keys()].join(', ')}`);
            assert.equal(typeof tool.title, 'string');
            assert.ok(tool.title.length > 0, `${name} has an empty title`);
            assert.ok(tool.description?.length > 0, `${name} has no description`);
            assert.equal(tool.inputSchema?.type, 'object', `${name} inputSchema`);
            assert.equal(tool.outputSchema?.type, 'object', `${name} outputSchema`);
            // Only the hints that differ from the spec's defaults: read-only (which makes the
            // destructive and idempotent hints meaningless), open world (the default).
            assert.deepEqual(tool.annotations, { readOnlyHint: true }, `${name} annotations`);
        }
        assert.deepEqual(byName.get('get_balance').outputSchema.required?.toSorted(),
                         ['balance', 'currency']);
        assert.deepEqual(
            byName.get('list_available_styles').inputSchema.properties.kind.enum.toSorted(),
            ['advanced_animation', 'animation', 'image', 'tileset']);
    });

    it('get_balance returns the balance of the key and asks the API exactly once', async () => {
        const { value: result, requests } = await upstreamRequestsDuring(
            sim, () => client.callTool({ name: 'get_balance', arguments: {} }, undefined, OPTIONS));

        assert.notEqual(result.isError, true, `get_balance failed: ${resultText(result)}`);
        assert.equal(result.structuredContent?.balance, 100);
        assert.equal(result.structuredContent?.currency, 'USD');
        const text = result.content.find((block) => block.type === 'text');
        assert.ok(text, 'get_balance must return a text content block');
        assert.match(text.text, /100/);

        assert.equal(requests.length, 1, `upstream requests: ${JSON.stringify(requests)}`);
        assert.equal(requests[0].method, 'GET');
        assert.equal(requests[0].path, '/v1/inferences/credits');
        assert.equal(requests[0].token, KEY_1);

        // Nothing before it (connect, tools/list) reached the API either.
        const credits = (await sim.requests()).filter((r) => r.path === '/v1/inferences/credits');
        assert.equal(credits.length, 1, `credits requests: ${JSON.stringify(credits)}`);
    });

    it('answers validate against their output schemas: null fields, async jobs, credits', async () => {
        await checkAnswerShapes((name, args) => client.callTool({ name, arguments: args }, undefined, OPTIONS), sim);
    });

    it('list_available_styles filters by kind, from the live selector asked at most once', async () => {
        const { value: result, requests } = await upstreamRequestsDuring(
            sim, () => client.callTool({ name: 'list_available_styles', arguments: { kind: 'animation' } },
                                       undefined, OPTIONS));

        assert.notEqual(result.isError, true, `list_available_styles failed: ${resultText(result)}`);
        const { count, styles } = result.structuredContent;
        assert.ok(Array.isArray(styles));
        assert.ok(styles.length > 0, 'no animation styles listed');
        assert.equal(count, styles.length);
        for (const style of styles) {
            assert.equal(style.kind, 'animation', style.prompt_style);
            // Filtered: the full entry (description, limits).
            assert.ok(style.description && Number.isInteger(style.max_images), style.prompt_style);
        }
        assert.ok(resultText(result).length > 0, 'no text content');
        // The caller's live catalog: asked with its key when not cached yet, never more.
        assert.ok(requests.length <= 1, `upstream requests: ${JSON.stringify(requests)}`);
        for (const request of requests) {
            assert.equal(request.path, '/v1/styles/selector');
            assert.equal(request.token, KEY_1);
        }

        const { value: all, requests: again } = await upstreamRequestsDuring(
            sim, () => client.callTool({ name: 'list_available_styles', arguments: {} },
                                       undefined, OPTIONS));
        assert.equal(again.length, 0, 'a second listing within 5 minutes comes from the cache');
        assert.equal(all.structuredContent.source, 'cached');
        assert.notEqual(all.isError, true, resultText(all));
        assert.ok(all.structuredContent.count > count, 'unfiltered must list more than animations');
        assert.equal(all.structuredContent.count, all.structuredContent.styles.length);
        const kinds = new Set(all.structuredContent.styles.map((s) => s.kind));
        assert.ok(kinds.has('image') && kinds.has('animation'), [...kinds].join(', '));
        // Unfiltered: compact, every style's id, sizes and price, the rest behind a filter.
        for (const style of all.structuredContent.styles) {
            assert.deepEqual(Object.keys(style).toSorted(), ['kind', 'model', 'price', 'prompt_style', 'sizes']);
        }
        assert.match(all.structuredContent.detail, /get_style_usage/);
        for (const style of styles) assert.ok(resultText(all).includes(style.prompt_style), style.prompt_style);
        assert.ok(!resultText(all).includes(styles[0].description), 'descriptions are behind a filter');
    });

    it('invalid arguments give a tool error that names the argument', async () => {
        const { value: result, requests } = await upstreamRequestsDuring(
            sim, () => client.callTool({ name: 'list_available_styles', arguments: { kind: 'nope' } },
                                       undefined, OPTIONS));
        assert.equal(result.isError, true, `expected isError: ${JSON.stringify(result)}`);
        assert.match(resultText(result), /\bkind\b/);
        assert.equal(requests.length, 0);

        const extra = await client.callTool({ name: 'get_balance', arguments: { currency: 'EUR' } },
                                            undefined, OPTIONS);
        assert.equal(extra.isError, true, `expected isError: ${JSON.stringify(extra)}`);
        assert.match(resultText(extra), /currency/);
    });

    it('an unknown tool is a JSON-RPC invalid-params error', async () => {
        await assert.rejects(
            client.callTool({ name: 'no_such_tool', arguments: {} }, undefined, OPTIONS),
            (error) => {
                assert.equal(error.code, -32602);
                assert.match(error.message, /no_such_tool/);
                return true;
            });
    });

    it('closing the client ends the server process', async () => {
        assert.equal(serverChildren().length, 1, 'exactly one server should be running');
        await closeClient(client, transport);
        client = undefined;
        const gone = await eventually(() => serverChildren().length === 0, 5000);
        assert.ok(gone, `server processes left: ${serverChildren().join(', ')}`);
    });
});

describe('SDK 1.x client over stdio, other callers', { timeout: 45_000 }, () => {
    let sim;
    const open = [];

    before(async () => {
        sim = await startSim();
    });

    after(async () => {
        for (const { client, transport } of open) await closeClient(client, transport);
        if (sim) await sim.stop();
    });

    it('without RD_API_KEY: the catalog works, get_balance explains the missing key', async () => {
        const connection = await connect(serverEnv({ baseUrl: sim.url }));
        open.push(connection);
        const { client } = connection;

        const styles = await client.callTool(
            { name: 'list_available_styles', arguments: { kind: 'animation' } }, undefined, OPTIONS);
        assert.notEqual(styles.isError, true, resultText(styles));
        assert.ok(styles.structuredContent.count > 0);
        assert.equal(styles.structuredContent.count, styles.structuredContent.styles.length);

        const { value: balance, requests } = await upstreamRequestsDuring(
            sim, () => client.callTool({ name: 'get_balance', arguments: {} }, undefined, OPTIONS));
        assert.equal(balance.isError, true, `expected isError: ${JSON.stringify(balance)}`);
        assert.match(resultText(balance), /RD_API_KEY/);
        assert.equal(requests.length, 0, 'no key: the API must not be called');
    });

    it('without RD_API_KEY: authenticate sets the key for the process, logout forgets it', async () => {
        const connection = await connect(serverEnv({ baseUrl: sim.url }));
        open.push(connection);
        const { client, transport } = connection;
        const call = (name, args = {}) => client.callTool({ name, arguments: args }, undefined, OPTIONS);

        const { tools } = await client.listTools(undefined, OPTIONS);
        const authenticate = tools.find((tool) => tool.name === 'authenticate');
        assert.ok(authenticate && tools.some((tool) => tool.name === 'logout'));
        assert.match(authenticate.description, /passes through the conversation/);
        assert.notEqual(authenticate.annotations.readOnlyHint, true);
        assert.equal(authenticate.annotations.idempotentHint, true);

        const refused = await call('authenticate', { api_key: 'rdpk-test-key-99' });
        assert.equal(refused.isError, true, resultText(refused));
        assert.match(resultText(refused), /refused this key/);
        assert.equal((await call('get_balance')).isError, true, 'a refused key must not be stored');

        const { value: set, requests } = await upstreamRequestsDuring(
            sim, () => call('authenticate', { api_key: KEY_1 }));
        assert.notEqual(set.isError, true, resultText(set));
        assert.equal(set.structuredContent.applies_to, 'process');
        assert.equal(set.structuredContent.balance, 100);
        assert.equal(requests.length, 1);
        assert.equal(requests[0].token, KEY_1);
        const balance = await call('get_balance');
        assert.equal(balance.structuredContent?.balance, 100, resultText(balance));

        const out = await call('logout');
        assert.equal(out.structuredContent.cleared, true, resultText(out));
        const after = await call('get_balance');
        assert.equal(after.isError, true);
        assert.match(resultText(after), /RD_API_KEY/);

        // The key went in as an argument and never came back: not in an answer, not in a log.
        const answers = transport.received.map((message) => JSON.stringify(message)).join('\n');
        assert.equal(answers.includes(KEY_1), false, 'an answer repeated the key');
        assert.equal(transport.serverStderr.includes(KEY_1), false, 'the log holds the key');
    });

    it('each key sees its own balance', async () => {
        const connection = await connect(serverEnv({ apiKey: KEY_2, baseUrl: sim.url }));
        open.push(connection);
        const { value: result, requests } = await upstreamRequestsDuring(
            sim, () => connection.client.callTool({ name: 'get_balance', arguments: {} },
                                                  undefined, OPTIONS));
        assert.notEqual(result.isError, true, resultText(result));
        assert.equal(result.structuredContent.balance, 5);
        assert.equal(requests.length, 1);
        assert.equal(requests[0].token, KEY_2);
    });

    it('an unknown key is reported as a tool error, not a crash', async () => {
        const connection = await connect(serverEnv({ apiKey: 'rdpk-not-a-real-key', baseUrl: sim.url }));
        open.push(connection);
        const result = await connection.client.callTool({ name: 'get_balance', arguments: {} },
                                                        undefined, OPTIONS);
        assert.equal(result.isError, true, `expected isError: ${JSON.stringify(result)}`);
        assert.match(resultText(result), /key/i);
        // The server is still serving after the failure.
        const again = await connection.client.callTool({ name: 'list_available_styles', arguments: {} },
                                                       undefined, OPTIONS);
        assert.notEqual(again.isError, true);
    });
});
