// Assets into a game project with the official SDK clients over stdio, each declaring one root
// (SDK 1.x answers roots/list mid-call on 2025-11-25; SDK 2.x answers the roots input request of
// an input_required result on 2026-07-28): a generation lands in <root>/<save_to>/<filename>.png
// with its sidecar, a second never overwrites it, paths out of the root are refused unpaid, an
// animation gives frames, a sheet and an atlas, and palettes round-trip through extract_palette
// and input_palette in every format.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';

import { Client as ClientV2 } from '@modelcontextprotocol/client';
import { StdioClientTransport as StdioTransportV2 } from '@modelcontextprotocol/client/stdio';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as StdioTransportV1 } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ListRootsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

import { closeClient, KEY_1, MCP_BINARY, REQUEST_TIMEOUT_MS, requireBinary, resultText, serverEnv, startSim } from './helpers.mjs';

const OPTIONS = { timeout: 30_000 };
const NEGOTIATION = { versionNegotiation: { mode: 'auto', probe: { timeoutMs: REQUEST_TIMEOUT_MS } } };
const KNIGHT = { prompt: 'a knight', prompt_style: 'rd_fast__default', width: 64, height: 64 };

async function connect(era, sim, root) {
    const roots = [{ uri: pathToFileURL(root).href, name: 'My Game' }];
    const client = era === 'sdk1'
        ? new ClientV1({ name: 'rdmcp-e2e-assets-sdk1', version: '0.0.0' }, { capabilities: { roots: {} } })
        : new ClientV2({ name: 'rdmcp-e2e-assets-sdk2', version: '0.0.0' }, { capabilities: { roots: {} }, ...NEGOTIATION });
    let asked = 0;
    const answer = () => {
        asked += 1;
        return { roots };
    };
    if (era === 'sdk1') client.setRequestHandler(ListRootsRequestSchema, answer);
    else client.setRequestHandler('roots/list', answer);
    requireBinary(MCP_BINARY, 'retrodiffusion-mcp');
    const params = { command: MCP_BINARY, args: [], env: serverEnv({ apiKey: KEY_1, baseUrl: sim.url }), stderr: 'pipe' };
    const transport = era === 'sdk1' ? new StdioTransportV1(params) : new StdioTransportV2(params);
    transport.stderr?.on('data', () => {});
    await client.connect(transport, { timeout: REQUEST_TIMEOUT_MS });
    if (era === 'sdk2') assert.equal(client.getProtocolEra(), 'modern');
    const call = (name, args) => (era === 'sdk1' ? client.callTool({ name, arguments: args }, undefined, OPTIONS)
                                                  : client.callTool({ name, arguments: args }, OPTIONS));
    return { client, transport, call, asked: () => asked };
}

async function paidGenerations(sim) {
    return (await sim.requests()).filter((r) => r.method === 'POST' && /\/inferences$/.test(r.path) &&
                                                r.body?.check_cost !== true).length;
}

describe('assets into a game project with the official SDK clients (stdio, one root)', { timeout: 120_000 }, () => {
    let sim;
    before(async () => { sim = await startSim(); });
    after(async () => { await sim?.stop(); });

    for (const era of ['sdk1', 'sdk2']) {
        it(`${era}: named files with sidecars, never overwritten, frames and atlas, palettes round-trip`, async () => {
            const root = mkdtempSync(path.join(os.tmpdir(), `rdmcp-e2e-${era}-`));
            const { client, transport, call, asked } = await connect(era, sim, root);
            try {
                const paidBefore = await paidGenerations(sim);
                const first = await call('create_inference', { ...KNIGHT, save_to: 'assets/sprites', filename: 'hero' });
                assert.notEqual(first.isError, true, resultText(first));
                const png = path.join(root, 'assets/sprites/hero.png');
                assert.ok(existsSync(png), resultText(first));
                const sidecar = JSON.parse(readFileSync(path.join(root, 'assets/sprites/hero.rd.json'), 'utf8'));
                assert.equal(sidecar.prompt, 'a knight');
                assert.equal(sidecar.prompt_style, 'rd_fast__default');
                assert.equal(sidecar.file, 'hero.png');
                assert.ok(asked() >= 1, 'the client was asked for its roots');

                const bytes = readFileSync(png);
                const second = await call('create_inference', { ...KNIGHT, save_to: 'assets/sprites', filename: 'hero', seed: 2 });
                assert.notEqual(second.isError, true, resultText(second));
                assert.deepEqual(readFileSync(png), bytes, 'the first file is untouched');
                assert.ok(existsSync(path.join(root, 'assets/sprites/hero-1.png')));

                for (const saveTo of ['../outside', '/etc']) {
                    const refused = await call('create_inference', { ...KNIGHT, save_to: saveTo });
                    assert.equal(refused.isError, true, saveTo);
                    assert.match(resultText(refused), /Nothing was charged/);
                }
                assert.equal(await paidGenerations(sim), paidBefore + 2, 'refusals paid nothing');

                const fire = await call('create_inference', {
                    prompt: 'fire', prompt_style: 'rd_animation__vfx', width: 48, height: 48,
                    frames: true, save_to: 'fx', filename: 'fire' });
                assert.notEqual(fire.isError, true, resultText(fire));
                const entry = fire.structuredContent.images[0];
                const atlas = JSON.parse(readFileSync(entry.atlas, 'utf8'));
                assert.deepEqual(Object.keys(atlas.frames), entry.frames.map((f) => path.basename(f)));
                Object.values(atlas.frames).forEach((frame, i) =>
                    assert.deepEqual(frame.frame, { x: 48 * i, y: 0, w: 48, h: 48 }));
                assert.deepEqual(atlas.meta.size, { w: 48 * entry.frames.length, h: 48 });

                // Palettes: out of the fire's first frame, back in as input_palette, out again.
                const palette = await call('extract_palette', { image: entry.frames[0], save_to: 'palettes', filename: 'fire' });
                assert.notEqual(palette.isError, true, resultText(palette));
                const colors = palette.structuredContent.colors;
                for (const ext of ['hex', 'gpl', 'pal']) {
                    const file = palette.structuredContent.files[ext];
                    assert.ok(existsSync(file), ext);
                    const before = (await sim.requests()).length;
                    const made = await call('create_inference', { ...KNIGHT, input_palette: file });
                    assert.notEqual(made.isError, true, `${ext}: ${resultText(made)}`);
                    const sent = (await sim.requests()).slice(before)
                        .find((r) => r.method === 'POST' && /\/inferences$/.test(r.path) && r.body?.input_palette);
                    const back = await call('extract_palette', { image: sent.body.input_palette });
                    assert.deepEqual(back.structuredContent.colors, colors, `${ext} round-trips`);
                }
            } finally {
                await closeClient(client, transport);
                rmSync(root, { recursive: true, force: true });
            }
        });
    }
});
