// The MCP Bundle (scripts/make-mcpb.sh): built from the server under test, validated and packed
// with the pinned @anthropic-ai/mcpb CLI, unpacked again, and started exactly as its manifest's
// mcp_config says (with the CLI library's own variable substitution, the code Claude Desktop
// uses), so the bundle a user installs is the bundle tested.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
    DEFAULT_MANIFEST_VERSION,
    getMcpConfigForManifest,
    MANIFEST_SCHEMAS,
    unpackExtension,
} from '@anthropic-ai/mcpb';

import { read, ROOT, serverBinary, serverVariables } from './helpers.mjs';
import { PROTOCOL_VERSION, startStdioServer } from '../../packaging/mcpb/mcp_stdio.mjs';

const TEST_KEY = 'rd-test-key-not-a-real-one';

let work, bundle, unpacked, manifest;

before(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'rdmcp-mcpb-'));
    const made = spawnSync(path.join(ROOT, 'scripts/make-mcpb.sh'), [serverBinary(), path.join(work, 'out')], {
        encoding: 'utf8',
        timeout: 180000,
    });
    assert.equal(made.status, 0, `make-mcpb.sh failed:\n${made.stdout}\n${made.stderr}`);
    bundle = path.join(work, 'out/retrodiffusion-mcp.mcpb');
    assert.match(made.stdout, /Manifest schema validation passes!/, 'the pinned CLI validated the manifest');
    unpacked = path.join(work, 'unpacked');
    assert.equal(await unpackExtension({ mcpbPath: bundle, outputDir: unpacked, silent: true }), true);
    manifest = JSON.parse(readFileSync(path.join(unpacked, 'manifest.json'), 'utf8'));
});

after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
});

// The command, arguments and environment a desktop app derives from the manifest.
async function launchConfig(userConfig) {
    const config = await getMcpConfigForManifest({
        manifest,
        extensionPath: unpacked,
        systemDirs: { HOME: os.homedir() },
        userConfig,
        pathSeparator: path.sep,
    });
    assert.ok(config, 'the manifest yields a launch configuration');
    return config;
}

function start(config) {
    return startStdioServer(config.command, config.args ?? [], { PATH: process.env.PATH, ...config.env });
}

describe('the packed bundle', () => {
    it('is one zip with the manifest, the server, LICENSE and README.md', () => {
        assert.equal(readFileSync(bundle).subarray(0, 4).toString('latin1'), 'PK\x03\x04');
        assert.equal(read('LICENSE'), readFileSync(path.join(unpacked, 'LICENSE'), 'utf8'));
        assert.equal(read('README.md'), readFileSync(path.join(unpacked, 'README.md'), 'utf8'));
    });

    it('the pinned CLI of packaging/mcpb is the one these tests load', () => {
        const packer = JSON.parse(read('packaging/mcpb/package.json')).devDependencies['@anthropic-ai/mcpb'];
        const tests = JSON.parse(read('tests/deploy/package.json')).devDependencies['@anthropic-ai/mcpb'];
        assert.match(packer, /^\d+\.\d+\.\d+$/, 'an exact version');
        assert.equal(tests, packer);
        const locked = JSON.parse(read('packaging/mcpb/package-lock.json'))
            .packages['node_modules/@anthropic-ai/mcpb'].version;
        assert.equal(locked, packer);
    });

    it('manifest: the CLI\'s default manifest_version, valid under its strict schema', () => {
        assert.equal(manifest.manifest_version, DEFAULT_MANIFEST_VERSION);
        const result = MANIFEST_SCHEMAS[manifest.manifest_version].safeParse(manifest);
        assert.ok(result.success, JSON.stringify(result.error?.issues));
        assert.equal(manifest.license, 'MIT');
        assert.equal(manifest.name, 'retrodiffusion-mcp');
    });

    it('declares only linux, and carries a Linux x86-64 executable', () => {
        assert.deepEqual(manifest.compatibility.platforms, ['linux']);
        assert.equal(manifest.server.type, 'binary');
        const entry = path.join(unpacked, manifest.server.entry_point);
        const header = readFileSync(entry).subarray(0, 20);
        assert.equal(header.subarray(0, 4).toString('latin1'), '\x7fELF');
        assert.equal(header[4], 2, '64-bit');
        assert.equal(header.readUInt16LE(18), 0x3e, 'x86-64');
        assert.ok(statSync(entry).mode & 0o100, 'executable after unpacking');
        assert.equal(manifest.server.mcp_config.command, `\${__dirname}/${manifest.server.entry_point}`);
        // The system it was built on, as make-mcpb.sh names it from /etc/os-release.
        const release = Object.fromEntries(readFileSync('/etc/os-release', 'utf8').split('\n')
            .filter((line) => line.includes('='))
            .map((line) => line.split('=', 2)).map(([k, v]) => [k, v.replace(/^"|"$/g, '')]));
        const system = `${release.NAME.split(' ')[0]} ${release.VERSION_ID}`;
        assert.ok(manifest.long_description.includes(`one Linux x86-64 binary built on ${system}`),
            `the platform note names ${system}`);
        assert.match(manifest.long_description, /\(libssl3\)/, 'names the libraries it links');
    });

    it('RD_API_KEY comes from a sensitive, required user setting', () => {
        const key = manifest.user_config.api_key;
        assert.equal(key.type, 'string');
        assert.equal(key.sensitive, true);
        assert.equal(key.required, true);
        assert.match(key.description, /https:\/\/www\.retrodiffusion\.ai/);
        assert.equal(manifest.server.mcp_config.env.RD_API_KEY, '${user_config.api_key}');
        for (const [name, option] of Object.entries(manifest.user_config)) {
            if (name !== 'api_key') assert.notEqual(option.sensitive, true, `${name} is no secret`);
        }
    });

    it('every variable it sets is one the server reads, and every setting is used', () => {
        const { args, env } = manifest.server.mcp_config;
        assert.deepEqual(args, ['--transport', 'stdio']);
        const known = serverVariables();
        for (const name of Object.keys(env)) assert.ok(known.has(name), `${name} is in --help`);
        const used = new Set(
            [...JSON.stringify(manifest.server.mcp_config).matchAll(/\$\{user_config\.([a-z_]+)\}/g)].map((m) => m[1]));
        assert.deepEqual([...used].sort(), Object.keys(manifest.user_config).sort());
        // An optional setting the user leaves alone must become an empty value (which the server
        // ignores), never the literal ${user_config...}: so each has a default.
        for (const [name, option] of Object.entries(manifest.user_config)) {
            if (!option.required) assert.equal(option.default, '', `${name} has an empty default`);
        }
    });

    it('no key is in the bundle', () => {
        assert.doesNotMatch(readFileSync(path.join(unpacked, 'manifest.json'), 'utf8'), /rdpk-[A-Za-z0-9]/);
    });
});

describe('the bundle started as its manifest says', () => {
    let server, init, tools, prompts, config;

    before(async () => {
        config = await launchConfig({ api_key: TEST_KEY });
        server = start(config);
        init = await server.handshake();
        tools = await server.listAll('tools/list', 'tools');
        prompts = await server.listAll('prompts/list', 'prompts');
    });

    after(async () => {
        const status = await server?.close();
        if (status) assert.equal(status.code, 0, `the server exits cleanly; stderr: ${server.stderr()}`);
    });

    it('runs the bundled binary with the key and nothing of the unset settings', () => {
        assert.equal(config.command, path.join(unpacked, 'server/retrodiffusion-mcp'));
        assert.equal(config.env.RD_API_KEY, TEST_KEY);
        for (const [name, value] of Object.entries(config.env)) {
            assert.doesNotMatch(value, /\$\{/, `${name} is substituted`);
        }
    });

    it('answers initialize with its name and the bundle\'s version', () => {
        assert.equal(init.protocolVersion, PROTOCOL_VERSION);
        assert.equal(init.serverInfo.name, 'retrodiffusion-mcp');
        assert.equal(init.serverInfo.version, manifest.version);
    });

    it('answers tools/list, and the manifest lists exactly its tools', () => {
        assert.ok(tools.length >= 10, `tools/list answers with the tools (${tools.length})`);
        assert.deepEqual(manifest.tools.map((t) => t.name).sort(), tools.map((t) => t.name).sort());
        for (const tool of manifest.tools) {
            const served = tools.find((t) => t.name === tool.name);
            const full = served.description.replace(/\s+/g, ' ').trim();
            assert.ok(tool.description.length > 0 && full.startsWith(tool.description),
                `${tool.name}: the manifest's description is the start of the server's`);
            assert.ok(tool.description === full || /[.!?]$/.test(tool.description),
                `${tool.name}: a whole first sentence`);
        }
    });

    it('answers prompts/list, and the manifest lists exactly its prompts', () => {
        assert.ok(prompts.length > 0, 'the server offers prompts');
        assert.deepEqual(manifest.prompts.map((p) => p.name).sort(), prompts.map((p) => p.name).sort());
        for (const prompt of manifest.prompts) {
            const served = prompts.find((p) => p.name === prompt.name);
            assert.deepEqual(prompt.arguments, (served.arguments ?? []).map((a) => a.name));
            for (const argument of served.arguments ?? []) {
                if (argument.required) {
                    assert.ok(prompt.text.includes(`\${arguments.${argument.name}}`),
                        `${prompt.name}: the text has the placeholder of ${argument.name}`);
                }
            }
        }
    });
});

describe('the bundle\'s settings reach the server', () => {
    it('without a key the app does not start it', async () => {
        const config = await getMcpConfigForManifest({
            manifest, extensionPath: unpacked, systemDirs: {}, userConfig: {}, pathSeparator: path.sep,
        });
        assert.equal(config, undefined);
    });

    it('a tool group setting offers only that group (and the account tools)', async () => {
        const all = manifest.tools.map((t) => t.name);
        const server = start(await launchConfig({ api_key: TEST_KEY, toolsets: 'styles' }));
        try {
            await server.handshake();
            const names = (await server.listAll('tools/list', 'tools')).map((t) => t.name);
            assert.ok(names.length < all.length, `fewer tools (${names.length} of ${all.length})`);
            assert.ok(names.includes('list_available_styles'));
            assert.ok(!names.includes('create_inference'));
            assert.ok(names.includes('get_balance'), 'the account tools are always on');
        } finally {
            await server.close();
        }
    });
});
