// The MCP Inspector (@modelcontextprotocol/inspector, CLI mode) lists and reads our resources and
// gets every prompt, over stdio and over HTTP, against the simulated RetroDiffusion API. Each
// Inspector run is one process with one request, so the runs are few: every method over one
// HTTP server, and one run per method over stdio.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { KEY_1, MCP_BINARY, requireBinary, serverEnv, startSim } from '../e2e/helpers.mjs';
import { startHttpServer } from '../e2e/http_helpers.mjs';
import { INSPECTOR, removeDir, runNode22, scratchDir } from './node22.mjs';

// Each prompt with a value for every argument it takes, none the default the prompt would fill
// in itself (so a value that shows up came from the request). `mentioned` is what its messages
// must contain: the values verbatim, except the yes/no switch, which the prompt words its own
// way (as its argument's description does: "yes for a PNG spritesheet instead of a GIF").
const PROMPTS = {
    pixel_art_character: {
        args: { character: 'a frog knight with a copper lance', prompt_style: 'rd_pro__platformer',
                poses: 'idle, walk, attack' },
    },
    animated_sprite: {
        args: { subject: 'a lantern ghost', action: 'floating in a loop', prompt_style: 'animation__vfx',
                spritesheet: 'yes' },
        mentioned: { spritesheet: /PNG sprite ?sheet/i },
    },
    seamless_tileset: {
        args: { texture: 'mossy cobblestone', outside_texture: 'deep water', prompt_style: 'rd_tile__tileset',
                tile_size: '16' },
    },
    asset_pipeline: {
        args: { asset: 'a treasure chest', prompt_style: 'rd_pro__isometric', colors: '8',
                background: 'a starry night sky' },
    },
};
const REQUIRED = { pixel_art_character: 'character', animated_sprite: 'subject',
                   seamless_tileset: 'texture', asset_pipeline: 'asset' };

let sim;
let http;
let home;

before(async () => {
    requireBinary(MCP_BINARY, 'retrodiffusion-mcp');
    home = scratchDir('inspector');
    sim = await startSim();
    http = await startHttpServer({ baseUrl: sim.url });
});

after(async () => {
    await http?.stop();
    await sim?.stop();
    if (home) removeDir(home);
});

// How the Inspector reaches the server: it starts the binary itself (stdio) or connects to the
// running HTTP server with the key in the Authorization header, as an HTTP client would.
const TRANSPORTS = {
    stdio: () => [
        ...Object.entries(serverEnv({ apiKey: KEY_1, baseUrl: sim.url })).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
        MCP_BINARY,
    ],
    http: () => ['--transport', 'http', '--server-url', http.url,
                 '--header', `Authorization: Bearer ${KEY_1}`],
};

// One Inspector CLI run; resolves with the exit code, stderr and the JSON it printed.
async function inspectRun(transport, method, ...options) {
    const run = await runNode22(INSPECTOR, ['--cli', ...TRANSPORTS[transport](), '--method', method, ...options], {
        // HOME holds the Inspector's catalog and OAuth state: a scratch one, not the developer's.
        env: { HOME: home, MCP_CATALOG_PATH: path.join(home, 'catalog.json') },
        cwd: home,
        timeoutMs: 20_000,
        logName: `inspector-${transport}`,
    });
    let json;
    try {
        json = JSON.parse(run.stdout);
    } catch {
        json = undefined;
    }
    return { ...run, json };
}

async function inspect(transport, method, ...options) {
    const run = await inspectRun(transport, method, ...options);
    assert.equal(run.code, 0, `Inspector ${method} over ${transport} exited with ${run.code}: ` +
                              `${run.stderr.slice(-3000)}`);
    assert.ok(run.json, `Inspector ${method} printed no JSON: ${run.stdout.slice(0, 2000)}`);
    return run.json;
}

const show = (value) => JSON.stringify(value, null, 1).slice(0, 3000);

function messagesText(result) {
    return (result.messages ?? []).map((m) => (m.content?.type === 'text' ? m.content.text : '')).join('\n');
}

// True when some string in `value` (at any depth) is `wanted`.
function holdsString(value, wanted) {
    if (value === wanted) return true;
    if (value && typeof value === 'object') return Object.values(value).some((v) => holdsString(v, wanted));
    return false;
}

const checks = {
    // Works before resources and prompts too: the Inspector reaches the server, and the key
    // reached the API (the balance is the test account's).
    async callsWithKey(transport) {
        const result = await inspect(transport, 'tools/call', '--tool-name', 'get_balance');
        assert.notEqual(result.isError, true, show(result));
        assert.equal(result.structuredContent?.balance, 100, show(result));
    },

    async listsResources(transport) {
        const { resources } = await inspect(transport, 'resources/list');
        const byUri = Object.fromEntries((resources ?? []).map((r) => [r.uri, r]));
        assert.equal(byUri['rd://styles']?.mimeType, 'application/json', show(resources));
        assert.equal(byUri['rd://guides/prompting']?.mimeType, 'text/markdown', show(resources));
    },

    async listsTemplates(transport) {
        const { resourceTemplates } = await inspect(transport, 'resources/templates/list');
        const templates = (resourceTemplates ?? []).map((t) => t.uriTemplate);
        assert.ok(templates.includes('rd://styles/{prompt_style}'), show(resourceTemplates));
        assert.ok(templates.includes('rd://jobs/{job_id}'), show(resourceTemplates));
        const style = resourceTemplates.find((t) => t.uriTemplate === 'rd://styles/{prompt_style}');
        assert.equal(style.mimeType, 'application/json', show(style));
    },

    async readsGuide(transport) {
        const result = await inspect(transport, 'resources/read', '--uri', 'rd://guides/prompting');
        const [content] = result.contents ?? [];
        assert.equal(content?.uri, 'rd://guides/prompting', show(result));
        assert.equal(content.mimeType, 'text/markdown', show(result));
        assert.equal(typeof content.text, 'string', show(result));
        assert.match(content.text, /^#{1,6} \S/m, `no Markdown heading in the guide: ${content.text.slice(0, 500)}`);
    },

    async readsStyle(transport) {
        const uri = 'rd://styles/rd_pro__default';
        const result = await inspect(transport, 'resources/read', '--uri', uri);
        const [content] = result.contents ?? [];
        assert.equal(content?.uri, uri, show(result));
        assert.equal(content.mimeType, 'application/json', show(result));
        const style = JSON.parse(content.text);
        assert.ok(holdsString(style, 'rd_pro__default'), `the style does not name itself: ${show(style)}`);
    },

    async refusesUnknownUri(transport) {
        const run = await inspectRun(transport, 'resources/read', '--uri', 'rd://no/such/resource');
        assert.notEqual(run.code, 0, `an unknown URI was read: ${run.stdout.slice(0, 1000)}`);
        assert.match(run.stderr, /"error"/, run.stderr.slice(-2000));
        // Refused as an unknown resource, not because resources/read itself is missing.
        assert.doesNotMatch(run.stderr, /Method not found/, run.stderr.slice(-2000));
    },

    async listsPrompts(transport) {
        const { prompts } = await inspect(transport, 'prompts/list');
        const byName = Object.fromEntries((prompts ?? []).map((p) => [p.name, p]));
        for (const [name, { args }] of Object.entries(PROMPTS)) {
            const listed = byName[name];
            assert.ok(listed, `${name} not listed: ${show(prompts)}`);
            const declared = Object.fromEntries((listed.arguments ?? []).map((a) => [a.name, a.required === true]));
            assert.deepEqual(Object.keys(declared).sort(), Object.keys(args).sort(), `${name}: ${show(listed)}`);
            for (const [arg, required] of Object.entries(declared)) {
                assert.equal(required, arg === REQUIRED[name], `${name}.${arg} required: ${show(listed)}`);
            }
        }
    },

    async getsPrompt(transport, name) {
        const { args, mentioned = {} } = PROMPTS[name];
        const pairs = Object.entries(args).map(([k, v]) => `${k}=${v}`);
        const result = await inspect(transport, 'prompts/get', '--prompt-name', name, '--prompt-args', ...pairs);
        assert.ok(result.messages?.length > 0, show(result));
        const text = messagesText(result);
        for (const [arg, value] of Object.entries(args)) {
            const wanted = mentioned[arg] ?? value;
            if (wanted instanceof RegExp) assert.match(text, wanted, `${name}: ${arg} not mentioned in ${text}`);
            else assert.ok(text.includes(wanted), `${name}: ${arg}=${value} not mentioned in ${text}`);
        }
    },
};

describe('Inspector CLI over HTTP (one server, every method)', () => {
    test('tools/call get_balance with the key from the Authorization header', () => checks.callsWithKey('http'));
    test('resources/list lists the styles and the prompting guide', () => checks.listsResources('http'));
    test('resources/templates/list lists the style and job templates', () => checks.listsTemplates('http'));
    test('resources/read of the prompting guide gives Markdown', () => checks.readsGuide('http'));
    test('resources/read of rd://styles/rd_pro__default gives JSON naming it', () => checks.readsStyle('http'));
    test('resources/read of an unknown URI fails', () => checks.refusesUnknownUri('http'));
    test('prompts/list lists the four prompts and their arguments', () => checks.listsPrompts('http'));
    for (const name of Object.keys(PROMPTS)) {
        test(`prompts/get ${name} mentions every argument given`, () => checks.getsPrompt('http', name));
    }
});

// Each run starts the server anew, so one per method.
describe('Inspector CLI over stdio (one run per method)', () => {
    test('tools/call get_balance with the key from RD_API_KEY', () => checks.callsWithKey('stdio'));
    test('resources/list', () => checks.listsResources('stdio'));
    test('resources/templates/list', () => checks.listsTemplates('stdio'));
    test('resources/read', () => checks.readsStyle('stdio'));
    test('prompts/list', () => checks.listsPrompts('stdio'));
    test('prompts/get', () => checks.getsPrompt('stdio', 'pixel_art_character'));
});
