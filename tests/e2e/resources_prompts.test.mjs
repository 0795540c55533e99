// Resources, prompts and completions with both official SDK clients (SDK 1.x on 2025-11-25,
// SDK 2.x on 2026-07-28), over stdio and Streamable HTTP: list, read, templates, prompts/get with
// arguments, completion, the caching hints SDK 2.x honours, and the errors for unknown names and
// URIs. One sim and one HTTP server serve every block.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { Client as ClientV2, StreamableHTTPClientTransport as HttpTransportV2 } from '@modelcontextprotocol/client';
import { StdioClientTransport as StdioTransportV2 } from '@modelcontextprotocol/client/stdio';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as StdioTransportV1 } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport as HttpTransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import { closeClient, KEY_1, MCP_BINARY, REQUEST_TIMEOUT_MS, requireBinary, serverEnv, startSim } from './helpers.mjs';
import { recordingFetch, startHttpServer } from './http_helpers.mjs';

const OPTIONS = { timeout: 20_000 };
const NEGOTIATION = { versionNegotiation: { mode: 'auto', probe: { timeoutMs: REQUEST_TIMEOUT_MS } } };

async function connect({ era, way, sim, server, fetch }) {
    const client = era === 'sdk1'
        ? new ClientV1({ name: 'rdmcp-e2e-resources-sdk1', version: '0.0.0' })
        : new ClientV2({ name: 'rdmcp-e2e-resources-sdk2', version: '0.0.0' }, NEGOTIATION);
    let transport;
    if (way === 'stdio') {
        requireBinary(MCP_BINARY, 'retrodiffusion-mcp');
        const params = { command: MCP_BINARY, args: [], env: serverEnv({ apiKey: KEY_1, baseUrl: sim.url }),
                         stderr: 'pipe' };
        transport = era === 'sdk1' ? new StdioTransportV1(params) : new StdioTransportV2(params);
        transport.stderr?.on('data', () => {});
    } else {
        const init = { requestInit: { headers: { Authorization: `Bearer ${KEY_1}` } }, fetch };
        transport = era === 'sdk1' ? new HttpTransportV1(new URL(server.url), init)
                                   : new HttpTransportV2(new URL(server.url), init);
    }
    await client.connect(transport, { timeout: REQUEST_TIMEOUT_MS });
    if (era === 'sdk2') assert.equal(client.getProtocolEra(), 'modern');
    // SDK 1.x takes (params, resultSchema?, options); SDK 2.x (params, options).
    const v1 = era === 'sdk1';
    const api = {
        listResources: () => (v1 ? client.listResources(undefined, OPTIONS) : client.listResources(undefined, OPTIONS)),
        listTemplates: () => client.listResourceTemplates(undefined, OPTIONS),
        read: (uri) => client.readResource({ uri }, OPTIONS),
        listPrompts: () => client.listPrompts(undefined, OPTIONS),
        getPrompt: (name, args) => client.getPrompt({ name, arguments: args }, OPTIONS),
        complete: (ref, name, value) => client.complete({ ref, argument: { name, value } }, OPTIONS),
        callTool: (name, args) => (v1 ? client.callTool({ name, arguments: args }, undefined, OPTIONS)
                                      : client.callTool({ name, arguments: args }, OPTIONS)),
    };
    return { client, transport, api };
}

const WAYS = [
    { era: 'sdk1', way: 'stdio' }, { era: 'sdk1', way: 'http' },
    { era: 'sdk2', way: 'stdio' }, { era: 'sdk2', way: 'http' },
];

describe('resources, prompts and completions with the official SDK clients', { timeout: 120_000 }, () => {
    let sim;
    let server;

    before(async () => {
        sim = await startSim({ args: ['--async-duration-ms', '200'] });
        server = await startHttpServer({ baseUrl: sim.url });
    });
    after(async () => {
        await server?.stop();
        await sim?.stop();
    });

    for (const { era, way } of WAYS) {
        it(`${era} over ${way}: lists, reads, gets every prompt, completes, and names what is unknown`, async () => {
            const fetch = recordingFetch();
            const { client, transport, api } = await connect({ era, way, sim, server, fetch });
            try {
                const caps = client.getServerCapabilities();
                assert.ok(caps.resources && caps.prompts && caps.completions, JSON.stringify(caps));

                const resources = await api.listResources();
                assert.deepEqual(resources.resources.map((r) => r.uri), ['rd://styles', 'rd://guides/prompting']);
                const templates = await api.listTemplates();
                assert.deepEqual(templates.resourceTemplates.map((t) => t.uriTemplate),
                                 ['rd://styles/{prompt_style}', 'rd://jobs/{job_id}']);

                const guide = await api.read('rd://guides/prompting');
                assert.equal(guide.contents[0].mimeType, 'text/markdown');
                assert.match(guide.contents[0].text, /^# Prompting RetroDiffusion/);

                const catalog = JSON.parse((await api.read('rd://styles')).contents[0].text);
                assert.ok(['live', 'cached'].includes(catalog.source), catalog.source); // the HTTP server is shared
                assert.ok(catalog.styles.some((s) => s.prompt_style === 'rd_pro__default'));
                const style = JSON.parse((await api.read('rd://styles/rd_tile__tileset')).contents[0].text);
                assert.equal(style.prompt_style, 'rd_tile__tileset');
                assert.equal(style.kind, 'tileset');

                const prompts = await api.listPrompts();
                assert.deepEqual(prompts.prompts.map((p) => p.name),
                                 ['pixel_art_character', 'animated_sprite', 'seamless_tileset', 'asset_pipeline']);
                const firstArgument = { pixel_art_character: 'character', animated_sprite: 'subject',
                                        seamless_tileset: 'texture', asset_pipeline: 'asset' };
                for (const prompt of prompts.prompts) {
                    const value = `a ${prompt.name} test subject`;
                    const got = await api.getPrompt(prompt.name, { [firstArgument[prompt.name]]: value,
                                                                   prompt_style: 'rd_pro__fantasy' });
                    assert.equal(got.messages[0].role, 'user');
                    assert.ok(got.messages[0].content.text.includes(value), prompt.name);
                    assert.ok(got.messages[0].content.text.includes('rd_pro__fantasy'), prompt.name);
                }

                const completed = await api.complete({ type: 'ref/prompt', name: 'seamless_tileset' },
                                                     'prompt_style', 'rd_tile__');
                assert.ok(completed.completion.values.length >= 5, JSON.stringify(completed));
                assert.ok(completed.completion.values.every((v) => v.startsWith('rd_tile__')));
                assert.equal(completed.completion.total, completed.completion.values.length);
                const fromTemplate = await api.complete({ type: 'ref/resource', uri: 'rd://styles/{prompt_style}' },
                                                        'prompt_style', 'rd_pro__def');
                assert.equal(fromTemplate.completion.values[0], 'rd_pro__default');

                // A job: started, linked, then read through its resource until done.
                const started = await api.callTool('start_inference_job', {
                    prompt: 'corgi', prompt_style: 'rd_fast__default', width: 64, height: 64 });
                const jobId = started.structuredContent.job_id;
                const link = started.content.find((c) => c.type === 'resource_link');
                assert.equal(link?.uri, `rd://jobs/${jobId}`);
                const jobIds = await api.complete({ type: 'ref/resource', uri: 'rd://jobs/{job_id}' }, 'job_id', '');
                assert.ok(jobIds.completion.values.includes(jobId));
                let page;
                let read;
                for (let attempt = 0; attempt < 200; ++attempt) {
                    read = await client.readResource({ uri: link.uri },
                                                     era === 'sdk2' ? { ...OPTIONS, cacheMode: 'bypass' } : OPTIONS);
                    page = JSON.parse(read.contents[0].text);
                    if (page.status !== 'working') break;
                    await new Promise((resolve) => setTimeout(resolve, 50));
                }
                assert.equal(page.status, 'completed', JSON.stringify(page));
                assert.equal(read.contents[1].mimeType, 'image/png');
                assert.ok(read.contents[1].blob.length > 100);

                // Unknown names and URIs: JSON-RPC errors, each version's code for a missing resource.
                await assert.rejects(api.read('rd://styles/no_such_style'), (error) => {
                    assert.equal(error.code, era === 'sdk1' ? -32002 : -32602);
                    assert.match(error.message, /Resource not found/);
                    return true;
                });
                await assert.rejects(api.read('rd://nowhere'), /Resource not found/);
                await assert.rejects(api.getPrompt('no_such_prompt', {}), (error) => {
                    assert.equal(error.code, -32602);
                    assert.match(error.message, /Unknown prompt.*pixel_art_character/);
                    return true;
                });
                await assert.rejects(api.getPrompt('seamless_tileset', {}), /needs the argument texture/);

                if (era === 'sdk2' && way === 'http') {
                    // SDK 2.x keeps what ttlMs allows: the guide and the prompt list are asked once.
                    const asked = (method) => fetch.exchanges.filter((e) => e.body?.method === method).length;
                    const guideReads = () => fetch.exchanges.filter(
                        (e) => e.body?.method === 'resources/read' && e.body.params.uri === 'rd://guides/prompting').length;
                    const before = { prompts: asked('prompts/list'), guide: guideReads() };
                    await api.listPrompts();
                    await api.read('rd://guides/prompting');
                    assert.equal(asked('prompts/list'), before.prompts, 'prompts/list came from the cache');
                    assert.equal(guideReads(), before.guide, 'the guide came from the cache');
                    const listed = fetch.exchanges.find((e) => e.body?.method === 'prompts/list');
                    assert.equal(listed.status, 200);
                }
            } finally {
                await closeClient(client, transport);
            }
        });
    }
});
