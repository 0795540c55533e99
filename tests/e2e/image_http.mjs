// The container image, end to end. deploy/image/test.sh (`make test-image`) runs this with
// `node --test` after it started rd-sim and two replicas of the image that share a job secret:
// replica A with `buildah run` as the image says, replica B with a read-only root filesystem and
// only /tmp writable. It passes:
//   RD_IMAGE_URLS    the two replicas' MCP endpoints, comma-separated
//   RD_SIM_URL       the simulated RetroDiffusion API both replicas call
//   RD_IMAGE_CONFIG  a file with `buildah inspect --type image` of the image
// The official SDK clients talk to the replicas as a hosted deployment's clients would.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { Client as Sdk2Client, StreamableHTTPClientTransport as Sdk2Transport } from '@modelcontextprotocol/client';
import { Client as Sdk1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as Sdk1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import { eventually, KEY_1, KEY_2, REQUEST_TIMEOUT_MS, resultText } from './helpers.mjs';
import { exerciseEveryTool, recordingFetch } from './http_helpers.mjs';

const urls = (process.env.RD_IMAGE_URLS ?? '').split(',').filter(Boolean);
const simUrl = process.env.RD_SIM_URL;
if (urls.length !== 2 || !simUrl || !process.env.RD_IMAGE_CONFIG) {
    throw new Error('image_http.mjs is run by deploy/image/test.sh (RD_IMAGE_URLS with two URLs, ' +
                    'RD_SIM_URL, RD_IMAGE_CONFIG)');
}
const [replicaA, replicaB] = urls;
const image = JSON.parse(readFileSync(process.env.RD_IMAGE_CONFIG, 'utf8'));
const config = image.Docker?.config ?? image.Docker?.Config ?? {};
const OPTIONS = { timeout: 30_000 };
// The image runs with the server's defaults, API v2 among them.
const IMAGE_API_VERSION = 'v2';

const sim = {
    async requests() {
        const response = await fetch(`${simUrl}/_sim/requests`);
        assert.equal(response.status, 200);
        return response.json();
    },
};

function environment() {
    return Object.fromEntries((config.Env ?? []).map((entry) => {
        const equals = entry.indexOf('=');
        return [entry.slice(0, equals), entry.slice(equals + 1)];
    }));
}

describe('the image', () => {
    it('is labelled with the project\'s one version and its license', () => {
        const cmake = readFileSync(new URL('../../CMakeLists.txt', import.meta.url), 'utf8');
        const version = /project\(retrodiffusion-mcp VERSION ([0-9.]+)/.exec(cmake)?.[1];
        assert.ok(version, 'CMakeLists.txt names the version');
        assert.equal(config.Labels?.['org.opencontainers.image.version'], version);
        assert.equal(config.Labels?.['org.opencontainers.image.licenses'], 'MIT');
    });

    it('runs as a numeric user that is not root', () => {
        const [user, group] = String(config.User ?? '').split(':');
        assert.match(user, /^\d+$/, `User must be numeric for runAsNonRoot, got "${config.User}"`);
        assert.notEqual(Number(user), 0);
        assert.notEqual(Number(group ?? user), 0);
    });

    it('starts the HTTP transport on 0.0.0.0:8000, stateless, from the environment alone', () => {
        const env = environment();
        assert.equal(env.RD_MCP_TRANSPORT, 'http');
        assert.equal(env.RD_MCP_HOST, '0.0.0.0');
        assert.equal(env.RD_MCP_PORT, '8000');
        assert.equal(env.RD_MCP_STATELESS, 'true');
        assert.equal(env.TMPDIR, '/tmp');
        assert.deepEqual(config.Entrypoint, ['/usr/local/bin/retrodiffusion-mcp']);
        assert.ok(!config.Cmd || config.Cmd.length === 0, `no arguments: ${JSON.stringify(config.Cmd)}`);
        assert.ok(!Object.keys(env).some((name) => /KEY|SECRET/.test(name)),
                  'no key or secret is baked into the image');
    });

    it('exposes 8000 and checks its health on /healthz', () => {
        assert.deepEqual(Object.keys(config.ExposedPorts ?? {}), ['8000/tcp']);
        assert.deepEqual(config.Healthcheck?.Test, ['CMD', '/usr/local/bin/rdmcp-healthcheck']);
    });
});

describe('health endpoints of both replicas', () => {
    for (const url of urls) {
        it(`${new URL(url).host}: /healthz, /readyz, /metrics`, async () => {
            const health = await fetch(new URL('/healthz', url));
            assert.equal(health.status, 200);
            assert.deepEqual(await health.json(), { status: 'ok' });
            const ready = await fetch(new URL('/readyz', url));
            assert.equal(ready.status, 200);
            assert.deepEqual(await ready.json(), { status: 'ready' });
            const metrics = await fetch(new URL('/metrics', url));
            assert.equal(metrics.status, 200);
            assert.match(await metrics.text(), /^# (HELP|TYPE) /m);
        });
    }
});

describe('SDK 1.x client (2025-11-25) on replica A, no session', { timeout: 90_000 }, () => {
    it('initializes without a session id and calls every tool with its own key', async () => {
        const fetch = recordingFetch();
        const transport = new Sdk1Transport(new URL(replicaA), {
            requestInit: { headers: { Authorization: `Bearer ${KEY_1}` } }, fetch,
        });
        const client = new Sdk1Client({ name: 'rdmcp-image-sdk1', version: '0.0.0' });
        await client.connect(transport, { timeout: REQUEST_TIMEOUT_MS });
        try {
            assert.equal(transport.sessionId, undefined, 'stateless: no Mcp-Session-Id');
            assert.equal(client.getServerVersion()?.name, 'retrodiffusion-mcp');
            await exerciseEveryTool({
                call: (name, args) => client.callTool({ name, arguments: args }, undefined, OPTIONS),
                listTools: async () => (await client.listTools(undefined, OPTIONS)).tools,
                sim,
                key: KEY_1,
                apiVersion: IMAGE_API_VERSION,
            });
            assert.ok(fetch.exchanges.every((e) => !e.sessionId), 'no answer carried a session id');
        } finally {
            await client.close();
        }
    });
});

describe('SDK 2.x client (2026-07-28) on replica B, read-only root', { timeout: 90_000 }, () => {
    it('negotiates 2026-07-28 and calls every tool with its own key', async () => {
        const transport = new Sdk2Transport(new URL(replicaB), {
            requestInit: { headers: { Authorization: `Bearer ${KEY_2}` } },
        });
        const client = new Sdk2Client({ name: 'rdmcp-image-sdk2', version: '0.0.0' }, {
            versionNegotiation: { mode: 'auto', probe: { timeoutMs: REQUEST_TIMEOUT_MS } },
        });
        await client.connect(transport, { timeout: REQUEST_TIMEOUT_MS });
        try {
            assert.equal(client.getNegotiatedProtocolVersion(), '2026-07-28');
            await exerciseEveryTool({
                call: (name, args) => client.callTool({ name, arguments: args }, OPTIONS),
                listTools: async () => (await client.listTools(undefined, OPTIONS)).tools,
                sim,
                key: KEY_2,
                apiVersion: IMAGE_API_VERSION,
            });
        } finally {
            await client.close();
        }
    });
});

// One JSON-RPC request over plain HTTP; the answer may be a JSON body or an SSE stream.
async function post(url, message, { key = KEY_1, version } = {}) {
    const headers = {
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
        Authorization: `Bearer ${key}`,
    };
    if (version) headers['MCP-Protocol-Version'] = version;
    const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(message) });
    const text = await response.text();
    const sessionId = response.headers.get('mcp-session-id');
    if (!('id' in message)) return { status: response.status, sessionId };
    const payloads = response.headers.get('content-type')?.startsWith('text/event-stream')
        ? text.split('\n').filter((line) => line.startsWith('data:')).map((line) => JSON.parse(line.slice(5)))
        : [JSON.parse(text)];
    const answer = payloads.find((m) => m.id === message.id && ('result' in m || 'error' in m));
    assert.ok(answer, `no answer to ${message.method} from ${url}: ${response.status} ${text.slice(0, 500)}`);
    return { status: response.status, sessionId, answer };
}

describe('any replica answers any request', { timeout: 60_000 }, () => {
    it('a 2025-11-25 client initializes on A and goes on with B', async () => {
        const version = '2025-11-25';
        const init = await post(replicaA, {
            jsonrpc: '2.0', id: 1, method: 'initialize',
            params: { protocolVersion: version, capabilities: {}, clientInfo: { name: 'curl-like', version: '0' } },
        });
        assert.equal(init.answer.result?.protocolVersion, version, JSON.stringify(init.answer));
        assert.equal(init.sessionId, null);
        const initialized = await post(replicaB, { jsonrpc: '2.0', method: 'notifications/initialized' }, { version });
        assert.equal(initialized.status, 202);
        const listed = await post(replicaB, { jsonrpc: '2.0', id: 2, method: 'tools/list' }, { version });
        assert.ok(listed.answer.result.tools.some((tool) => tool.name === 'get_balance'));
        const balance = await post(replicaA, {
            jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'get_balance', arguments: {} },
        }, { version });
        assert.notEqual(balance.answer.result.isError, true, JSON.stringify(balance.answer));
        assert.equal(typeof balance.answer.result.structuredContent.balance, 'number');
    });

    it('a job started on A is followed and finished on B (the replicas share the job secret)', async () => {
        const version = '2025-11-25';
        const call = async (url, name, args, id) => {
            const { answer } = await post(url, {
                jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args },
            }, { version });
            assert.ok(answer.result, JSON.stringify(answer));
            return answer.result;
        };
        const started = await call(replicaA, 'start_inference_job', {
            prompt: 'a green slime', prompt_style: 'rd_fast__default', width: 64, height: 64,
        }, 10);
        assert.notEqual(started.isError, true, resultText(started));
        const jobId = started.structuredContent.job_id;
        let polled;
        let id = 11;
        const done = await eventually(async () => {
            polled = await call(replicaB, 'get_inference_job', { job_id: jobId }, id++);
            assert.notEqual(polled.isError, true, `replica B refused A's job: ${resultText(polled)}`);
            return polled.structuredContent.done === true;
        }, 20_000, 300);
        assert.ok(done, `the job never finished: ${JSON.stringify(polled.structuredContent)}`);
        assert.equal(polled.content.filter((block) => block.type === 'image').length, 1);
        // The job was submitted upstream once, whoever polled it.
        const submissions = (await sim.requests()).filter((r) => r.method === 'POST' && r.path === `/${IMAGE_API_VERSION}/inferences` &&
                                                             r.body?.prompt === 'a green slime');
        assert.equal(submissions.length, 1);
    });
});
