// The official MCP TypeScript SDK 2.x (@modelcontextprotocol/client, protocol 2026-07-28:
// stateless, `server/discover` instead of `initialize`, `_meta` on every request) spawns
// retrodiffusion-mcp over stdio and uses it against rd-sim.
//
// 2.x only leaves the 2025 handshake when asked (versionNegotiation; its default is 'legacy'):
//  - mode 'auto' on the SDK's own StdioClientTransport probes with `server/discover` on a
//    short-lived sibling process, then starts the session process once the era is known;
//  - any subclass of the transport (our recording one) probes in place, on the session's pipe,
//    which lets us check every message on the wire.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

import {
    checkAnswerShapes,
    closeClient,
    drainStderr,
    eventually,
    KEY_1,
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

const MODERN = '2026-07-28';
const META_VERSION = 'io.modelcontextprotocol/protocolVersion';
const META_CAPABILITIES = 'io.modelcontextprotocol/clientCapabilities';
const META_CLIENT_INFO = 'io.modelcontextprotocol/clientInfo';
const META_SERVER_INFO = 'io.modelcontextprotocol/serverInfo';

const RecordingTransport = recordingTransportClass(StdioClientTransport);
const OPTIONS = { timeout: REQUEST_TIMEOUT_MS };
const CLIENT_INFO = { name: 'rdmcp-e2e-sdk2', version: '0.0.0' };

function modernClient(mode) {
    return new Client(CLIENT_INFO, {
        versionNegotiation: { mode, probe: { timeoutMs: REQUEST_TIMEOUT_MS } },
    });
}

async function connect(client, transport, describeFailure) {
    requireBinary(MCP_BINARY, 'retrodiffusion-mcp');
    try {
        await client.connect(transport, OPTIONS);
    } catch (error) {
        await closeClient(client, transport);
        error.message += `\n${describeFailure()}`;
        throw error;
    }
}

// What the simulated API recorded while `action` ran.
async function upstreamRequestsDuring(sim, action) {
    const before = await sim.requests();
    const value = await action();
    const after = await sim.requests();
    return { value, requests: after.slice(before.length) };
}

async function checkGetBalance(client, sim, key, expectedBalance) {
    const { value: result, requests } = await upstreamRequestsDuring(
        sim, () => client.callTool({ name: 'get_balance', arguments: {} }, OPTIONS));
    assert.notEqual(result.isError, true, `get_balance failed: ${resultText(result)}`);
    assert.equal(result.structuredContent?.balance, expectedBalance);
    assert.equal(result.structuredContent?.currency, 'USD');
    assert.ok(result.content.some((block) => block.type === 'text'), 'no text content');
    assert.equal(requests.length, 1, `upstream requests: ${JSON.stringify(requests)}`);
    assert.equal(requests[0].method, 'GET');
    assert.equal(requests[0].path, '/v1/inferences/credits');
    assert.equal(requests[0].token, key);
}

async function checkAnimationStyles(client) {
    const result = await client.callTool(
        { name: 'list_available_styles', arguments: { kind: 'animation' } }, OPTIONS);
    assert.notEqual(result.isError, true, `list_available_styles failed: ${resultText(result)}`);
    const { count, styles } = result.structuredContent;
    assert.ok(Array.isArray(styles) && styles.length > 0, 'no animation styles listed');
    assert.equal(count, styles.length);
    for (const style of styles) assert.equal(style.kind, 'animation', style.prompt_style);
}

async function checkToolList(client) {
    const { tools } = await client.listTools(undefined, OPTIONS);
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    for (const name of ['get_balance', 'list_available_styles']) {
        const tool = byName.get(name);
        assert.ok(tool, `${name} missing from tools/list: ${[...byName.keys()].join(', ')}`);
        assert.ok(typeof tool.title === 'string' && tool.title.length > 0, `${name} title`);
        assert.equal(tool.inputSchema?.type, 'object', `${name} inputSchema`);
        assert.equal(tool.outputSchema?.type, 'object', `${name} outputSchema`);
        assert.equal(tool.annotations?.readOnlyHint, true, `${name} annotations`);
    }
}

describe('SDK 2.x client over stdio, versionNegotiation auto (probe on a sibling)',
         { timeout: 45_000 }, () => {
    let sim;
    let client;
    let transport;
    let stderr = () => '';

    before(async () => {
        sim = await startSim();
        transport = new StdioClientTransport({
            command: MCP_BINARY,
            args: [],
            env: serverEnv({ apiKey: KEY_1, baseUrl: sim.url }),
            stderr: 'pipe',
        });
        stderr = drainStderr(transport);
        client = modernClient('auto');
        await connect(client, transport, () => `server stderr:\n${stderr()}`);
    });

    after(async () => {
        if (client) await closeClient(client, transport);
        if (sim) await sim.stop();
    });

    it(`selects ${MODERN} from server/discover`, () => {
        assert.equal(client.getProtocolEra(), 'modern',
                     'the probe fell back to the legacy initialize handshake');
        assert.equal(client.getNegotiatedProtocolVersion(), MODERN);
        const discover = client.getDiscoverResult();
        assert.ok(discover, 'no DiscoverResult recorded');
        assert.ok(discover.supportedVersions.includes(MODERN), discover.supportedVersions.join());
        assert.ok(discover.supportedVersions.includes('2025-11-25'), discover.supportedVersions.join());
        assert.ok(discover.capabilities?.tools, 'the server must advertise tools');
        assert.equal(client.getServerVersion()?.name, 'retrodiffusion-mcp');
        assert.ok(client.getInstructions()?.length > 0, 'no instructions');
    });

    it('lists the tools', () => checkToolList(client));

    it('get_balance returns the balance of the key', () => checkGetBalance(client, sim, KEY_1, 100));

    it('list_available_styles filters by kind', () => checkAnimationStyles(client));

    it('the probe sibling is reaped and closing ends the session process', async () => {
        assert.deepEqual(serverChildren(), [transport.pid], 'only the session process should run');
        await closeClient(client, transport);
        client = undefined;
        const gone = await eventually(() => serverChildren().length === 0, 5000);
        assert.ok(gone, `server processes left: ${serverChildren().join(', ')}`);
    });
});

describe(`SDK 2.x client over stdio, pinned ${MODERN} (probe in place, wire recorded)`,
         { timeout: 45_000 }, () => {
    let sim;
    let client;
    let transport;

    before(async () => {
        sim = await startSim();
        transport = new RecordingTransport({
            command: MCP_BINARY,
            args: [],
            env: serverEnv({ apiKey: KEY_1, baseUrl: sim.url }),
        });
        client = modernClient({ pin: MODERN });
        await connect(client, transport,
                      () => `server stderr:\n${transport.serverStderr}\nwire:\n${transport.transcript()}`);
    });

    after(async () => {
        if (client) await closeClient(client, transport);
        if (sim) await sim.stop();
    });

    it('connects with server/discover and never sends initialize', () => {
        assert.equal(client.getProtocolEra(), 'modern');
        assert.equal(client.getNegotiatedProtocolVersion(), MODERN);
        assert.equal(transport.sent[0]?.method, 'server/discover', transport.transcript());
        assert.ok(!transport.sent.some((m) => m.method === 'initialize'), transport.transcript());

        const probe = transport.sent[0];
        assert.equal(probe.params._meta[META_VERSION], MODERN);
        const response = transport.responseTo(probe.id);
        assert.ok(response?.result, `server/discover got no result:\n${transport.transcript()}`);
        assert.ok(response.result.supportedVersions.includes(MODERN));
        assert.equal(response.result._meta?.[META_SERVER_INFO]?.name, 'retrodiffusion-mcp');
    });

    it('lists the tools and calls them', async () => {
        await checkToolList(client);
        await checkGetBalance(client, sim, KEY_1, 100);
        await checkAnimationStyles(client);
    });

    it('answers validate against their output schemas: null fields, async jobs, credits', async () => {
        await checkAnswerShapes((name, args) => client.callTool({ name, arguments: args }, OPTIONS), sim);
    });

    it('invalid arguments give a tool error that names the argument', async () => {
        const result = await client.callTool(
            { name: 'list_available_styles', arguments: { kind: 'nope' } }, OPTIONS);
        assert.equal(result.isError, true, `expected isError: ${JSON.stringify(result)}`);
        assert.match(resultText(result), /\bkind\b/);
    });

    it('every request carried the _meta envelope and every result was complete', () => {
        const requests = transport.sent.filter((m) => m.method !== undefined && m.id !== undefined);
        assert.ok(requests.length >= 4, transport.transcript());
        for (const request of requests) {
            const meta = request.params?._meta ?? {};
            assert.equal(meta[META_VERSION], MODERN, `${request.method} without protocol version`);
            assert.equal(typeof meta[META_CAPABILITIES], 'object', `${request.method} capabilities`);
            assert.equal(meta[META_CLIENT_INFO]?.name, CLIENT_INFO.name, `${request.method} clientInfo`);

            const response = transport.responseTo(request.id);
            assert.ok(response, `no response to ${request.method} (id ${request.id})`);
            assert.ok(response.result, `${request.method} failed: ${JSON.stringify(response.error)}`);
            assert.equal(response.result.resultType, 'complete', `${request.method} resultType`);
            assert.equal(response.result._meta?.[META_SERVER_INFO]?.name, 'retrodiffusion-mcp',
                         `${request.method} serverInfo`);
        }
        const unparseable = transport.received.filter((m) => 'unparseable' in m);
        assert.deepEqual(unparseable, [], 'the server wrote something that is not JSON to stdout');
    });

    it('closing ends the server process', async () => {
        await closeClient(client, transport);
        client = undefined;
        const gone = await eventually(() => serverChildren().length === 0, 5000);
        assert.ok(gone, `server processes left: ${serverChildren().join(', ')}`);
    });
});

describe('SDK 2.x client over stdio without RD_API_KEY', { timeout: 45_000 }, () => {
    let sim;
    let client;
    let transport;
    let stderr = () => '';

    before(async () => {
        sim = await startSim();
        transport = new StdioClientTransport({
            command: MCP_BINARY,
            args: [],
            env: serverEnv({ baseUrl: sim.url }),
            stderr: 'pipe',
        });
        stderr = drainStderr(transport);
        client = modernClient('auto');
        await connect(client, transport, () => `server stderr:\n${stderr()}`);
    });

    after(async () => {
        if (client) await closeClient(client, transport);
        if (sim) await sim.stop();
    });

    it('the catalog works and get_balance explains the missing key', async () => {
        assert.equal(client.getProtocolEra(), 'modern');
        await checkAnimationStyles(client);
        const { value: result, requests } = await upstreamRequestsDuring(
            sim, () => client.callTool({ name: 'get_balance', arguments: {} }, OPTIONS));
        assert.equal(result.isError, true, `expected isError: ${JSON.stringify(result)}`);
        assert.match(resultText(result), /RD_API_KEY/);
        assert.equal(requests.length, 0, 'no key: the API must not be called');
    });
});

describe('SDK 2.x client over stdio, default negotiation (legacy initialize)', { timeout: 45_000 }, () => {
    let sim;
    let client;
    let transport;

    before(async () => {
        sim = await startSim();
        transport = new RecordingTransport({
            command: MCP_BINARY,
            args: [],
            env: serverEnv({ apiKey: KEY_1, baseUrl: sim.url }),
        });
        client = new Client(CLIENT_INFO);
        await connect(client, transport,
                      () => `server stderr:\n${transport.serverStderr}\nwire:\n${transport.transcript()}`);
    });

    after(async () => {
        if (client) await closeClient(client, transport);
        if (sim) await sim.stop();
    });

    it('negotiates 2025-11-25 and works the same', async () => {
        assert.equal(transport.sent[0]?.method, 'initialize', transport.transcript());
        assert.equal(client.getProtocolEra(), 'legacy');
        assert.equal(client.getNegotiatedProtocolVersion(), '2025-11-25');
        assert.equal(client.getServerVersion()?.name, 'retrodiffusion-mcp');
        await checkToolList(client);
        await checkGetBalance(client, sim, KEY_1, 100);
        await checkAnimationStyles(client);
        // 2025-era results carry none of the 2026-07-28 additions.
        for (const message of transport.received) {
            assert.equal(message.result?.resultType, undefined, JSON.stringify(message));
        }
    });
});

describe(`SDK 2.x client over stdio (${MODERN}): the context an agent pays for`,
         { timeout: 45_000 }, () => {
    it('lists every tool within the context budget, without output schemas by default',
       async () => {
        const sim = await startSim();
        const env = serverEnv({ apiKey: KEY_1, baseUrl: sim.url });
        delete env.RD_MCP_OUTPUT_SCHEMAS;
        const transport = new StdioClientTransport({ command: MCP_BINARY, args: [], env,
                                                     stderr: 'pipe' });
        const stderr = drainStderr(transport);
        const client = modernClient({ pin: MODERN });
        try {
            await connect(client, transport, () => `server stderr:\n${stderr()}`);
            assert.equal(client.getNegotiatedProtocolVersion(), MODERN);
            checkContextBudget(await client.listTools(undefined, OPTIONS));
        } finally {
            await closeClient(client, transport);
            await sim.stop();
        }
    });
});
