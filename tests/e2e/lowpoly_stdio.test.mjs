// A low-poly 3D asset the way an agent makes one for a game, with both official SDK clients over
// stdio: generate a model, wait for it (with progress notifications while the call waits), animate
// it, wait again, and export it for Godot into a local directory. The simulated API charges the
// documented prices once each, and the file on disk is a glTF binary.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { Client as ClientV2 } from '@modelcontextprotocol/client';
import { StdioClientTransport as StdioTransportV2 } from '@modelcontextprotocol/client/stdio';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as StdioTransportV1 } from '@modelcontextprotocol/sdk/client/stdio.js';

import { KEY_1, MCP_BINARY, REQUEST_TIMEOUT_MS, requireBinary, resultText, serverEnv, startSim } from './helpers.mjs';

const NEGOTIATION = { versionNegotiation: { mode: 'auto', probe: { timeoutMs: REQUEST_TIMEOUT_MS } } };
// Size 16, a standard style: generate $0.25, animate $0.15 (its first rig is free).
const MODEL_COST = 0.25 + 0.15;

async function charged(sim) {
    return (await (await fetch(`${sim.url}/_sim/ledger`)).json()).total_charged;
}

function ok(result, step) {
    assert.notEqual(result.isError, true, `${step} failed: ${resultText(result)}`);
    return result;
}

describe('A Low-Poly model with both SDK clients over stdio', { timeout: 120_000 }, () => {
    let sim;
    let outputDir;

    before(async () => {
        // Jobs take 1.5 s here, long enough for progress notifications every 200 ms.
        sim = await startSim({ args: ['--async-duration-ms', '1500'] });
        outputDir = mkdtempSync(path.join(tmpdir(), 'rdmcp-lowpoly-'));
    });

    after(async () => {
        await sim?.stop();
        if (outputDir) rmSync(outputDir, { recursive: true, force: true });
    });

    for (const era of ['sdk1', 'sdk2']) {
        it(`${era}: generate, animate and export for Godot, with progress while it waits`, async () => {
            requireBinary(MCP_BINARY, 'retrodiffusion-mcp');
            const options = {
                command: MCP_BINARY,
                args: ['--api-version', 'v2', '--progress-interval-ms', '200'],
                env: serverEnv({ apiKey: KEY_1, baseUrl: sim.url }),
            };
            const client = era === 'sdk1'
                ? new ClientV1({ name: 'rdmcp-e2e-lowpoly', version: '0.0.0' })
                : new ClientV2({ name: 'rdmcp-e2e-lowpoly', version: '0.0.0' }, NEGOTIATION);
            const transport = era === 'sdk1' ? new StdioTransportV1(options) : new StdioTransportV2(options);
            await client.connect(transport, { timeout: REQUEST_TIMEOUT_MS });
            const call = (name, args, progress) => {
                const options = { timeout: 60_000, ...(progress && { onprogress: (p) => progress.push(p) }) };
                return era === 'sdk1'
                    ? client.callTool({ name, arguments: args }, undefined, options)
                    : client.callTool({ name, arguments: args }, options);
            };
            try {
                const before = await charged(sim);
                const waitFor = async (started, step) => {
                    ok(started, step);
                    const progress = [];
                    const done = ok(await call('get_lowpoly_job', {
                        job_id: started.structuredContent.job_id, wait_seconds: 30,
                    }, progress), `waiting for ${step}`);
                    assert.equal(done.structuredContent.status, 'succeeded', resultText(done));
                    assert.ok(progress.length >= 1, `no progress while waiting for ${step}`);
                    return done;
                };

                const generate = await call('start_lowpoly_generate', { prompt: 'a small wooden cart', size: 16 });
                const model = await waitFor(generate, 'the generation');
                assert.ok(model.content.some((block) => block.type === 'image'), 'the render is shown');
                const asset_id = generate.structuredContent.asset_id;

                const animated = await waitFor(await call('start_lowpoly_animate', {
                    asset_id, prompt: 'the wheels roll', animation: 'roll',
                }), 'the animation');
                assert.equal(animated.structuredContent.animation, 'roll', resultText(animated));

                const exported = ok(await call('export_lowpoly_model', {
                    asset_id, target: 'godot', output_dir: outputDir,
                }), 'the export');
                const saved = exported.structuredContent.path;
                assert.ok(saved?.startsWith(outputDir), `not saved into the directory: ${resultText(exported)}`);
                assert.equal(readFileSync(saved).subarray(0, 4).toString('latin1'), 'glTF');

                assert.ok(Math.abs(await charged(sim) - before - MODEL_COST) < 1e-9,
                          `charged ${await charged(sim) - before}, expected ${MODEL_COST}`);
            } finally {
                await client.close();
            }
        });
    }
});
