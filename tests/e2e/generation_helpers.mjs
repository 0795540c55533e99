// What the generation end-to-end tests share: image decoding and checks, the SDK 1.x client
// over stdio with its wire recorded, and what the simulated API received during an action.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';

import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';

import {
    closeClient,
    eventually,
    MCP_BINARY,
    recordingTransportClass,
    REQUEST_TIMEOUT_MS,
    requireBinary,
    resultText,
    serverChildren,
    startSim,
} from './helpers.mjs';

export const RecordingTransport = recordingTransportClass(StdioClientTransport);
// Generations can take minutes against the real API; against rd-sim they take milliseconds,
// so a generous per-call timeout only matters when something hangs.
export const GENERATION_OPTIONS = { timeout: 30_000 };
export const OPTIONS = { timeout: REQUEST_TIMEOUT_MS };

// Fields of a RetroDiffusion POST /v1/inferences body (the API's documented request fields).
// Anything else in a recorded body (an output directory, the inline budget, ...) leaked from
// the MCP side into the paid API call.
export const API_INFERENCE_FIELDS = new Set([
    'prompt', 'prompt_style', 'width', 'height', 'num_images', 'seed', 'input_image',
    'input_palette', 'reference_images', 'extra_input_image', 'extra_prompt', 'strength',
    'remove_bg', 'return_non_bg_removed', 'return_pre_palette', 'return_spritesheet', 'tile_x',
    'tile_y', 'upscale_output_factor', 'upload_outputs', 'bypass_prompt_expansion',
    'frames_duration', 'include_downloadable_data', 'check_cost',
]);

// ---------------------------------------------------------------------------------------------
// Image helpers.

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

// Width and height from a PNG's IHDR chunk (which must come first), or a failed assertion.
export function pngSize(bytes, what = 'image') {
    assert.ok(bytes.length >= 24, `${what}: ${bytes.length} bytes is too short for a PNG`);
    assert.deepEqual(bytes.subarray(0, 8), PNG_SIGNATURE, `${what}: no PNG signature`);
    assert.equal(bytes.toString('latin1', 12, 16), 'IHDR', `${what}: first chunk is not IHDR`);
    assert.equal(bytes.readUInt32BE(8), 13, `${what}: IHDR length`);
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

// The logical screen size of a GIF89a.
export function gifSize(bytes, what = 'image') {
    assert.ok(bytes.length >= 13, `${what}: ${bytes.length} bytes is too short for a GIF`);
    assert.equal(bytes.toString('latin1', 0, 6), 'GIF89a', `${what}: no GIF89a header`);
    return { width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8) };
}

export function isRawBase64(text) {
    return typeof text === 'string' && text.length > 0 && text.length % 4 === 0 &&
           /^[A-Za-z0-9+/]+={0,2}$/.test(text);
}

export function decodeBase64(text, what) {
    assert.ok(isRawBase64(text), `${what} is not plain base64: ${String(text).slice(0, 40)}...`);
    return Buffer.from(text, 'base64');
}

export function imageBlocks(result) {
    return (result?.content ?? []).filter((block) => block.type === 'image');
}

// A summary of a tool result for assertion messages, with the image data cut short.
export function describeResult(result) {
    return JSON.stringify(result, (key, value) =>
        typeof value === 'string' && value.length > 300 ? `${value.slice(0, 40)}...(${value.length})` : value);
}

export function assertSuccess(result, what) {
    assert.notEqual(result.isError, true, `${what} failed: ${describeResult(result)}`);
}

// ---------------------------------------------------------------------------------------------
// Plumbing.

export async function connect(env, args = []) {
    requireBinary(MCP_BINARY, 'retrodiffusion-mcp');
    const transport = new RecordingTransport({ command: MCP_BINARY, args, env });
    const client = new Client({ name: 'rdmcp-e2e-generation-sdk1', version: '0.0.0' });
    try {
        await client.connect(transport, OPTIONS);
        // Listing the tools makes the SDK validate every structuredContent against the tool's
        // outputSchema from here on, so a result that breaks its own schema fails the call.
        await client.listTools(undefined, OPTIONS);
    } catch (error) {
        await closeClient(client, transport);
        error.message += `\nserver stderr:\n${transport.serverStderr}\nwire:\n${transport.transcript()}`;
        throw error;
    }
    return { client, transport };
}

// What the simulated API recorded while `action` ran.
export async function upstreamRequestsDuring(sim, action) {
    const before = await sim.requests();
    const value = await action();
    const after = await sim.requests();
    return { value, requests: after.slice(before.length) };
}

export function summarize(requests) {
    return JSON.stringify(requests.map((r) => ({ method: r.method, path: r.path, body: r.body })),
                          (key, value) => typeof value === 'string' && value.length > 100
                              ? `${value.slice(0, 20)}...(${value.length})` : value);
}

export function inferencePosts(requests) {
    return requests.filter((r) => r.method === 'POST' && r.path === '/v1/inferences');
}

export async function balanceOf(client) {
    const result = await client.callTool({ name: 'get_balance', arguments: {} }, undefined, OPTIONS);
    assertSuccess(result, 'get_balance');
    return result.structuredContent.balance;
}

// ---------------------------------------------------------------------------------------------

// Called inside a describe: starts rd-sim before its tests and, after them, closes every client
// launched, stops rd-sim, removes the temporary directories and checks no server is left.
export function generationFixture() {
    const fixture = { sim: null };
    const tempDirs = [];
    const open = [];
    fixture.tempDir = () => {
        const dir = mkdtempSync(path.join(os.tmpdir(), 'rdmcp-e2e-gen-'));
        tempDirs.push(dir);
        return dir;
    };
    fixture.launch = async (env, args = []) => {
        const connection = await connect(env, args);
        open.push(connection);
        return connection;
    };
    before(async () => {
        fixture.sim = await startSim();
    });
    after(async () => {
        for (const { client, transport } of open) await closeClient(client, transport);
        if (fixture.sim) await fixture.sim.stop();
        for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
        const gone = await eventually(() => serverChildren().length === 0, 5000);
        assert.ok(gone, `server processes left: ${serverChildren().join(', ')}`);
    });
    return fixture;
}
