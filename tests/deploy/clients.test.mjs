// deploy/clients: every configuration parses, points at the right URL or command, and carries
// no key: header values and key variables are references to an environment variable or a
// password prompt, never a literal.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';

import { Command } from 'commander';
import { parse as parseToml } from 'smol-toml';

import { BINARY_PATH, CONTAINER_ARGS, filesUnder, HOSTED_URL, LOCAL_URL, read, ROOT } from './helpers.mjs';

const CLIENTS = 'deploy/clients';
const URLS = { hosted: HOSTED_URL, local: LOCAL_URL };
const covered = new Set([`${CLIENTS}/README.md`]);

function json(file) {
    covered.add(file);
    return JSON.parse(read(file));
}

function toml(file) {
    covered.add(file);
    return parseToml(read(file));
}

// A header value that names where the key comes from instead of holding it.
const BEARER_REFERENCE = /^Bearer \$\{(env:RD_API_KEY|input:[A-Za-z_][A-Za-z0-9_]*|RD_API_KEY)\}$/;
// Strings that look like a key, or like a placeholder someone would replace with a key.
const LITERAL_KEY = /rdpk-|YOUR_?API_?KEY|<[^>]*key[^>]*>|paste/i;

function assertNoLiteralKey(value, where) {
    if (typeof value === 'string') {
        assert.doesNotMatch(value, LITERAL_KEY, `${where} looks like a key or a key placeholder`);
    } else if (value && typeof value === 'object') {
        for (const [key, inner] of Object.entries(value)) assertNoLiteralKey(inner, `${where}.${key}`);
    }
}

function assertHeaders(headers, where, inputs = []) {
    assert.deepEqual(Object.keys(headers), ['Authorization'], `${where}: only the Authorization header`);
    assert.match(headers.Authorization, BEARER_REFERENCE, `${where}: the key must be a reference`);
    const input = /\$\{input:([^}]+)\}/.exec(headers.Authorization)?.[1];
    if (input) assertPasswordInput(inputs, input, where);
}

function assertPasswordInput(inputs, id, where) {
    const declared = inputs.find((i) => i.id === id);
    assert.ok(declared, `${where}: input ${id} is declared`);
    assert.equal(declared.type, 'promptString');
    assert.equal(declared.password, true, `${where}: the key prompt hides what is typed`);
}

describe('no file in deploy/clients carries a key', () => {
    for (const file of filesUnder(CLIENTS)) {
        it(file, () => {
            const text = read(file);
            assert.doesNotMatch(text, /rdpk-[A-Za-z0-9]/, 'no RetroDiffusion key');
            assert.doesNotMatch(text, /YOUR_?API_?KEY/i, 'no key placeholder to paste over');
        });
    }
});

describe('Codex (~/.codex/config.toml)', () => {
    for (const variant of ['hosted', 'local']) {
        it(`${variant}: url with bearer_token_env_var`, () => {
            const server = toml(`${CLIENTS}/codex/config.${variant}.toml`).mcp_servers.retrodiffusion;
            assert.equal(server.url, URLS[variant]);
            assert.equal(server.bearer_token_env_var, 'RD_API_KEY');
            assert.equal(server.bearer_token, undefined, 'no inline token');
            assert.equal(server.http_headers, undefined);
            assert.ok(server.tool_timeout_sec >= 120, 'generations outlast the 60 s default');
            assert.equal(server.enabled, true);
        });
    }

    it('stdio: command with RD_API_KEY forwarded by name', () => {
        const server = toml(`${CLIENTS}/codex/config.stdio.toml`).mcp_servers.retrodiffusion;
        assert.equal(server.command, BINARY_PATH);
        assert.deepEqual(server.env_vars, ['RD_API_KEY']);
        assert.equal(server.env, undefined, 'no literal environment');
        assert.equal(server.url, undefined);
    });

    it('container: docker run -i with RD_API_KEY forwarded by name', () => {
        const server = toml(`${CLIENTS}/codex/config.container.toml`).mcp_servers.retrodiffusion;
        assert.equal(server.command, 'docker');
        assert.deepEqual(server.args, CONTAINER_ARGS);
        assert.deepEqual(server.env_vars, ['RD_API_KEY']);
        assert.equal(server.env, undefined, 'no literal environment');
    });
});

describe('Cursor (~/.cursor/mcp.json)', () => {
    for (const variant of ['hosted', 'local']) {
        it(`${variant}: url with a bearer header from \${env:RD_API_KEY}`, () => {
            const server = json(`${CLIENTS}/cursor/mcp.${variant}.json`).mcpServers.retrodiffusion;
            assert.equal(server.url, URLS[variant]);
            assertHeaders(server.headers, variant);
            assert.match(server.headers.Authorization, /\$\{env:RD_API_KEY\}/);
        });
    }

    it('stdio: command with RD_API_KEY from ${env:RD_API_KEY}', () => {
        const server = json(`${CLIENTS}/cursor/mcp.stdio.json`).mcpServers.retrodiffusion;
        assert.equal(server.command, BINARY_PATH);
        assert.deepEqual(server.env, { RD_API_KEY: '${env:RD_API_KEY}' });
    });

    it('container: docker run -i with RD_API_KEY from ${env:RD_API_KEY}', () => {
        const server = json(`${CLIENTS}/cursor/mcp.container.json`).mcpServers.retrodiffusion;
        assert.equal(server.command, 'docker');
        assert.deepEqual(server.args, CONTAINER_ARGS);
        assert.deepEqual(server.env, { RD_API_KEY: '${env:RD_API_KEY}' });
    });
});

describe('VS Code (.vscode/mcp.json)', () => {
    for (const variant of ['hosted', 'local']) {
        it(`${variant}: type http with a bearer header from a password input`, () => {
            const config = json(`${CLIENTS}/vscode/mcp.${variant}.json`);
            const server = config.servers.retrodiffusion;
            assert.equal(server.type, 'http');
            assert.equal(server.url, URLS[variant]);
            assertHeaders(server.headers, variant, config.inputs);
            assert.match(server.headers.Authorization, /\$\{input:/);
        });
    }

    it('stdio: type stdio with RD_API_KEY from a password input', () => {
        const config = json(`${CLIENTS}/vscode/mcp.stdio.json`);
        const server = config.servers.retrodiffusion;
        assert.equal(server.type, 'stdio');
        assert.equal(server.command, BINARY_PATH);
        const input = /^\$\{input:([^}]+)\}$/.exec(server.env.RD_API_KEY)?.[1];
        assertPasswordInput(config.inputs, input, 'stdio');
    });

    it('container: docker run -i with RD_API_KEY from a password input', () => {
        const config = json(`${CLIENTS}/vscode/mcp.container.json`);
        const server = config.servers.retrodiffusion;
        assert.equal(server.type, 'stdio');
        assert.equal(server.command, 'docker');
        assert.deepEqual(server.args, CONTAINER_ARGS);
        const input = /^\$\{input:([^}]+)\}$/.exec(server.env.RD_API_KEY)?.[1];
        assertPasswordInput(config.inputs, input, 'container');
    });
});

describe('Antigravity (mcp_config.json)', () => {
    for (const variant of ['hosted', 'local']) {
        it(`${variant}: serverUrl with a bearer header reference`, () => {
            const server = json(`${CLIENTS}/antigravity/mcp_config.${variant}.json`).mcpServers.retrodiffusion;
            assert.equal(server.serverUrl, URLS[variant]);
            assertHeaders(server.headers, variant);
        });
    }

    it('stdio: command, the key from the inherited environment', () => {
        const server = json(`${CLIENTS}/antigravity/mcp_config.stdio.json`).mcpServers.retrodiffusion;
        assert.equal(server.command, BINARY_PATH);
        assert.equal(server.env, undefined);
        assertNoLiteralKey(server, 'stdio');
    });

    it('container: docker run -i, the key from the inherited environment', () => {
        const server = json(`${CLIENTS}/antigravity/mcp_config.container.json`).mcpServers.retrodiffusion;
        assert.equal(server.command, 'docker');
        assert.deepEqual(server.args, CONTAINER_ARGS);
        assert.equal(server.env, undefined);
    });
});

describe('Claude Code', () => {
    const script = `${CLIENTS}/claude-code/add-server.sh`;
    covered.add(script);

    // Runs add-server.sh with a stand-in `claude` that records its arguments.
    function addServer(mode, env) {
        const dir = mkdtempSync(path.join(os.tmpdir(), 'rdmcp-claude-'));
        try {
            const log = path.join(dir, 'argv.json');
            writeFileSync(path.join(dir, 'claude'),
                          `#!/usr/bin/env node\nrequire('fs').writeFileSync(${JSON.stringify(log)}, JSON.stringify(process.argv.slice(2)));\n`);
            chmodSync(path.join(dir, 'claude'), 0o755);
            const run = spawnSync('sh', [path.join(ROOT, script), mode], {
                env: { PATH: `${dir}:${process.env.PATH}`, ...env }, encoding: 'utf8',
            });
            let argv = null;
            try {
                argv = JSON.parse(readFileSync(log, 'utf8'));
            } catch {
                // claude was not run
            }
            return { status: run.status, stderr: run.stderr, argv };
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    }

    // Reads the recorded arguments as Claude Code does: its command line is commander's, and
    // `claude mcp add --help` declares the command below. --env and --header are variadic: each
    // takes every argument up to the next option or `--`, so the name and the command or URL must
    // come before them (after them they are read as more values: "missing required argument").
    function claudeMcpAdd(argv) {
        let added = null;
        const claude = new Command('claude').exitOverride().configureOutput({ writeOut() {}, writeErr() {} });
        claude.command('mcp').command('add')
            .argument('<name>')
            .argument('<commandOrUrl>')
            .argument('[args...]')
            .option('-s, --scope <scope>', 'local, user or project', 'local')
            .option('-t, --transport <transport>', 'stdio, sse or http')
            .option('-e, --env <env...>', 'environment variables (KEY=value)')
            .option('-H, --header <header...>', 'headers ("Name: value")')
            .action((name, commandOrUrl, args, options) => {
                // Claude Code's own checks of the values, as it reports them.
                for (const env of options.env ?? []) {
                    assert.match(env, /^[^=]+=/, `Invalid environment variable format: ${env}`);
                }
                for (const header of options.header ?? []) {
                    assert.match(header, /^[^:]+:/, `Invalid header format: ${header}`);
                }
                added = { name, commandOrUrl, args, ...options };
            });
        claude.parse(argv, { from: 'user' });
        return added;
    }

    const key = 'test-key-from-the-environment';
    for (const variant of ['hosted', 'local']) {
        it(`add-server.sh ${variant}: claude mcp add --transport http with the key from RD_API_KEY`, () => {
            const { status, stderr, argv } = addServer(variant, { RD_API_KEY: key });
            assert.equal(status, 0, stderr);
            assert.deepEqual(claudeMcpAdd(argv), {
                name: 'retrodiffusion',
                commandOrUrl: URLS[variant],
                args: [],
                scope: 'user',
                transport: 'http',
                header: [`Authorization: Bearer ${key}`],
            });
        });
    }

    it('add-server.sh stdio: claude mcp add --transport stdio with RD_API_KEY in its environment', () => {
        const { status, stderr, argv } = addServer('stdio', { RD_API_KEY: key });
        assert.equal(status, 0, stderr);
        assert.deepEqual(claudeMcpAdd(argv), {
            name: 'retrodiffusion',
            commandOrUrl: BINARY_PATH,
            args: [],
            scope: 'user',
            transport: 'stdio',
            env: [`RD_API_KEY=${key}`],
        });
    });

    it('add-server.sh container: claude mcp add --transport stdio with docker run -i', () => {
        const { status, stderr, argv } = addServer('container', { RD_API_KEY: key });
        assert.equal(status, 0, stderr);
        assert.deepEqual(claudeMcpAdd(argv), {
            name: 'retrodiffusion',
            commandOrUrl: 'docker',
            args: CONTAINER_ARGS,
            scope: 'user',
            transport: 'stdio',
            env: [`RD_API_KEY=${key}`],
        });
    });

    it('the parser above reads a variadic option as Claude Code does', () => {
        // The order Claude Code's own help once showed, which it rejects (anthropics/claude-code#23365).
        assert.throws(() => claudeMcpAdd(['mcp', 'add', '--env', 'K=v', 'name', '--', 'command']),
                      /missing required argument 'commandOrUrl'/);
        assert.throws(() => claudeMcpAdd(['mcp', 'add', '--header', 'A: b', 'name', 'https://example.com']),
                      /missing required argument 'name'/);
        assert.deepEqual(claudeMcpAdd(['mcp', 'add', 'name', '-e', 'K=v', 'L=w', '--', 'command', '--flag']),
                         { name: 'name', commandOrUrl: 'command', args: ['--flag'], scope: 'local', env: ['K=v', 'L=w'] });
    });

    it('add-server.sh refuses to run without RD_API_KEY or with an unknown mode', () => {
        const missing = addServer('hosted', {});
        assert.notEqual(missing.status, 0);
        assert.match(missing.stderr, /RD_API_KEY/);
        assert.equal(missing.argv, null);
        const unknown = addServer('remote', { RD_API_KEY: key });
        assert.equal(unknown.status, 2);
        assert.equal(unknown.argv, null);
    });

    it('project.mcp.json: type http with ${RD_API_KEY}, expanded by Claude Code', () => {
        const server = json(`${CLIENTS}/claude-code/project.mcp.json`).mcpServers.retrodiffusion;
        assert.equal(server.type, 'http');
        assert.equal(server.url, HOSTED_URL);
        assertHeaders(server.headers, 'project');
        assert.match(server.headers.Authorization, /\$\{RD_API_KEY\}/);
    });
});

// Claude Desktop does not expand variables: its entries run `/bin/sh -c` that reads the key from
// a file only the user can read. This runs such an entry with a home holding that file, and
// stand-ins for the binary and for `docker` that print the key they got and their arguments.
function runDesktopEntry(file) {
    const server = json(`${CLIENTS}/claude-desktop/${file}`).mcpServers.retrodiffusion;
    assert.equal(server.command, '/bin/sh');
    assert.equal(server.args[0], '-c');
    assert.equal(server.env, undefined);
    const home = mkdtempSync(path.join(os.tmpdir(), 'rdmcp-desktop-'));
    try {
        mkdirSync(path.join(home, '.config/retrodiffusion'), { recursive: true });
        writeFileSync(path.join(home, '.config/retrodiffusion/api-key'), 'key-from-the-file');
        const bin = path.join(home, 'bin');
        mkdirSync(bin);
        for (const name of ['docker', 'retrodiffusion-mcp']) {
            writeFileSync(path.join(bin, name), '#!/bin/sh\nprintf "%s\\n" "$RD_API_KEY" "$@"\n');
            chmodSync(path.join(bin, name), 0o755);
        }
        const line = server.args[1].replace(BINARY_PATH, path.join(bin, 'retrodiffusion-mcp'));
        const run = spawnSync(server.command, [server.args[0], line], {
            env: { HOME: home, PATH: `${bin}:${process.env.PATH}` }, encoding: 'utf8',
        });
        assert.equal(run.status, 0, run.stderr);
        return { line: server.args[1], printed: run.stdout.trimEnd().split('\n') };
    } finally {
        rmSync(home, { recursive: true, force: true });
    }
}

describe('Claude Desktop (claude_desktop_config.json)', () => {
    it('stdio: starts the binary with the key read from a file', () => {
        const { line, printed } = runDesktopEntry('claude_desktop_config.json');
        assert.ok(line.includes(`exec ${BINARY_PATH}`));
        assert.deepEqual(printed, ['key-from-the-file']);
    });

    it('container: docker run -i with the key read from a file', () => {
        const { line, printed } = runDesktopEntry('claude_desktop_config.container.json');
        assert.ok(line.includes('exec docker run'));
        assert.deepEqual(printed, ['key-from-the-file', ...CONTAINER_ARGS]);
    });
});

describe('deploy/clients', () => {
    it('every file is checked by a case above', () => {
        const unchecked = filesUnder(CLIENTS).filter((file) => !covered.has(file));
        assert.deepEqual(unchecked, []);
    });
});
