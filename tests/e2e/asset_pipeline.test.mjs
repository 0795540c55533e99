// A small asset pipeline, the way an agent finishes a sprite, with both official SDK clients
// over stdio and over Streamable HTTP: generate, remove the background, inpaint the subject
// (the background-free image's alpha is the mask), map the colours onto a palette, and snap the
// result to its pixel grid. Each step's output is the next step's input, and the simulated API
// charges exactly the documented prices, once each.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { Client as ClientV2, StreamableHTTPClientTransport as HttpTransportV2 } from '@modelcontextprotocol/client';
import { StdioClientTransport as StdioTransportV2 } from '@modelcontextprotocol/client/stdio';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as StdioTransportV1 } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport as HttpTransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import { KEY_1, MCP_BINARY, REQUEST_TIMEOUT_MS, requireBinary, resultText, serverEnv, startSim } from './helpers.mjs';
import { startHttpServer } from './http_helpers.mjs';

const CALL_OPTIONS = { timeout: 60_000 };
const NEGOTIATION = { versionNegotiation: { mode: 'auto', probe: { timeoutMs: REQUEST_TIMEOUT_MS } } };

// rd_fast 64x64 ($0.017), background_remover ($0.01), inpainting ($0.18); palette_converter and
// fix_pixel_art are free.
const PIPELINE_COST = 0.017 + 0.01 + 0.18;

function pngSize(base64) {
    const bytes = Buffer.from(base64, 'base64');
    assert.equal(bytes.toString('latin1', 12, 16), 'IHDR', 'not a PNG');
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

function onlyImage(result, step) {
    assert.notEqual(result.isError, true, `${step} failed: ${resultText(result)}`);
    const images = result.content.filter((block) => block.type === 'image');
    assert.equal(images.length, 1, `${step}: ${resultText(result)}`);
    assert.equal(images[0].mimeType, 'image/png');
    return images[0].data;
}

async function charged(sim) {
    const ledger = await (await fetch(`${sim.url}/_sim/ledger`)).json();
    return ledger.total_charged;
}

async function runPipeline(call, sim, apiVersion) {
    const before = await charged(sim);
    const requestsBefore = (await sim.requests()).length;

    const sprite = onlyImage(await call('create_inference', {
        prompt: 'a knight with a shield', prompt_style: 'rd_fast__default', width: 64, height: 64, seed: 3,
    }), 'generate');
    assert.deepEqual(pngSize(sprite), { width: 64, height: 64 });

    const cutOut = onlyImage(await call('run_edit_tool', {
        tool_id: 'background_remover', input_image: sprite,
    }), 'remove the background');

    const repainted = onlyImage(await call('run_edit_tool', {
        tool_id: 'inpainting', input_image: sprite, mask_image: cutOut, prompt: 'golden armour', seed: 3,
    }), 'inpaint');

    const paletted = onlyImage(await call('run_edit_tool', {
        tool_id: 'palette_converter', input_image: repainted, input_palette: sprite, dither_mode: 'bayer_4x4',
    }), 'palette');

    const fixed = await call('fix_pixel_art', { input_image: paletted });
    const grid = pngSize(onlyImage(fixed, 'fix the pixel grid'));
    assert.ok(grid.width <= 64 && grid.height <= 64, JSON.stringify(grid));

    const upstream = (await sim.requests()).slice(requestsBefore);
    const paths = upstream.filter((r) => r.method === 'POST').map((r) => r.path);
    const v = `/${apiVersion}`;
    assert.ok(paths.includes(`${v}/edit/tools/background_remover`), paths.join(' '));
    assert.ok(paths.includes(`${v}/edit/tools/inpainting/tasks`), paths.join(' '));
    assert.ok(paths.includes(`${v}/edit/tools/palette_converter`), paths.join(' '));
    assert.ok(paths.includes(`${v}/pixel-fixer/standard`), paths.join(' '));
    // Each paid step was sent once.
    assert.equal(paths.filter((p) => p.startsWith(`${v}/edit/tools/inpainting`)).length, 1);
    assert.equal(paths.filter((p) => p === `${v}/edit/tools/background_remover`).length, 1);
    assert.ok(Math.abs((await charged(sim)) - before - PIPELINE_COST) < 1e-9,
              `charged ${(await charged(sim)) - before}, expected ${PIPELINE_COST}`);
}

// Connects the SDK of `era` over `transport`, runs the pipeline with it, and closes it.
async function pipelineWith(era, transport, sim, apiVersion) {
    const client = era === 'sdk1'
        ? new ClientV1({ name: 'rdmcp-e2e-pipeline', version: '0.0.0' })
        : new ClientV2({ name: 'rdmcp-e2e-pipeline', version: '0.0.0' }, NEGOTIATION);
    await client.connect(transport, { timeout: REQUEST_TIMEOUT_MS });
    try {
        if (era === 'sdk2') assert.equal(client.getProtocolEra(), 'modern');
        // Listing the tools makes the SDKs validate every structuredContent against its schema.
        await client.listTools(undefined, { timeout: REQUEST_TIMEOUT_MS });
        const call = era === 'sdk1'
            ? (name, args) => client.callTool({ name, arguments: args }, undefined, CALL_OPTIONS)
            : (name, args) => client.callTool({ name, arguments: args }, CALL_OPTIONS);
        await runPipeline(call, sim, apiVersion);
    } finally {
        await client.close();
    }
}

describe('The asset pipeline with both SDK clients', { timeout: 240_000 }, () => {
    let sim;
    let server;

    before(async () => {
        sim = await startSim({ args: ['--async-duration-ms', '200'] });
        server = await startHttpServer({ baseUrl: sim.url, args: ['--api-version', 'v2'] });
    });

    after(async () => {
        if (server) assert.equal(await server.stop(), 0, 'the server must exit 0 on SIGTERM');
        await sim?.stop();
    });

    for (const era of ['sdk1', 'sdk2']) {
        it(`${era} over stdio (API v1)`, async () => {
            requireBinary(MCP_BINARY, 'retrodiffusion-mcp');
            const options = { command: MCP_BINARY, args: [], env: serverEnv({ apiKey: KEY_1, baseUrl: sim.url }) };
            const transport = era === 'sdk1' ? new StdioTransportV1(options) : new StdioTransportV2(options);
            await pipelineWith(era, transport, sim, 'v1');
        });

        it(`${era} over HTTP (API v2)`, async () => {
            const init = { requestInit: { headers: { Authorization: `Bearer ${KEY_1}` } } };
            const url = new URL(server.url);
            const transport = era === 'sdk1' ? new HttpTransportV1(url, init) : new HttpTransportV2(url, init);
            await pipelineWith(era, transport, sim, 'v2');
        });
    }
});
