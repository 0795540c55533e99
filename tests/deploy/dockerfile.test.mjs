// The Dockerfile, its .dockerignore and the image's health check. The image itself is built and
// run by `make test-image` (deploy/image/test.sh); these checks need no container tools.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';

import { BINARY_PATH, exists, read, ROOT, serverVariables, variablesIn } from './helpers.mjs';

// Instructions of a Dockerfile: continuation lines joined, comments dropped.
function instructions(text) {
    const joined = text.split('\n').filter((line) => !/^\s*#/.test(line)).join('\n').replace(/\\\n/g, ' ');
    return joined.split('\n').map((line) => line.trim()).filter(Boolean).map((line) => {
        const space = line.search(/\s/);
        return { keyword: line.slice(0, space).toUpperCase(), args: line.slice(space + 1).trim() };
    });
}

// The stages: their FROM line and their instructions.
function stages(list) {
    const result = [];
    for (const instruction of list) {
        if (instruction.keyword === 'FROM') result.push({ from: instruction.args, instructions: [] });
        else result.at(-1).instructions.push(instruction);
    }
    return result;
}

// KEY=value pairs of an ENV instruction.
function envPairs(args) {
    return Object.fromEntries([...args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)/g)]
        .map(([, name, value]) => [name, value.replace(/^"|"$/g, '')]));
}

const dockerfile = read('Dockerfile');
const [build, runtime, ...extra] = stages(instructions(dockerfile));
const all = (stage, keyword) => stage.instructions.filter((i) => i.keyword === keyword);
const one = (stage, keyword) => {
    const found = all(stage, keyword);
    assert.equal(found.length, 1, `one ${keyword} in the stage FROM ${stage.from}`);
    return found[0].args;
};

describe('Dockerfile', () => {
    it('builds on debian:bookworm and runs on debian:bookworm-slim', () => {
        assert.equal(extra.length, 0, 'two stages');
        assert.match(build.from, /^debian:bookworm\s+AS\s+build$/i);
        assert.equal(runtime.from, 'debian:bookworm-slim');
    });

    it('installs only runtime libraries and CA certificates in the final stage, and cleans apt', () => {
        const run = all(runtime, 'RUN').map((i) => i.args).join(' ');
        for (const name of ['libcpp-httplib0.11', 'libssl3', 'zlib1g', 'libbrotli1', 'ca-certificates']) {
            assert.match(run, new RegExp(`\\s${name.replace('.', '\\.')}(\\s|$)`), `${name} is installed`);
        }
        assert.match(run, /--no-install-recommends/);
        assert.match(run, /rm -rf \/var\/lib\/apt\/lists\/\*/);
        for (const name of ['g++', 'cmake', '-dev']) {
            assert.ok(!run.includes(name), `no build tool (${name}) in the final image`);
        }
    });

    it('compiles the server in the build stage and copies only the binary, the license and the health check', () => {
        assert.match(all(build, 'RUN').map((i) => i.args).join(' '), /--target retrodiffusion-mcp/);
        const copies = all(runtime, 'COPY').map((i) => i.args);
        assert.deepEqual(copies, [
            `--from=build /build/retrodiffusion-mcp ${BINARY_PATH}`,
            'LICENSE /usr/share/doc/retrodiffusion-mcp/LICENSE',
            'deploy/image/healthcheck.sh /usr/local/bin/rdmcp-healthcheck',
        ]);
    });

    it('runs as a numeric non-root user', () => {
        const [user, group] = one(runtime, 'USER').split(':');
        assert.match(user, /^[1-9]\d*$/);
        assert.match(group ?? '1', /^[1-9]\d*$/);
        assert.match(all(runtime, 'RUN').map((i) => i.args).join(' '), new RegExp(`useradd .*--uid ${user}\\b`));
    });

    it('starts the HTTP transport on 0.0.0.0:8000, stateless, configured by environment only', () => {
        const env = Object.assign({}, ...all(runtime, 'ENV').map((i) => envPairs(i.args)));
        assert.deepEqual(
            { transport: env.RD_MCP_TRANSPORT, host: env.RD_MCP_HOST, port: env.RD_MCP_PORT, stateless: env.RD_MCP_STATELESS },
            { transport: 'http', host: '0.0.0.0', port: '8000', stateless: 'true' });
        assert.equal(env.TMPDIR, '/tmp', 'temporary files go to /tmp, the only writable place');
        assert.ok(!Object.keys(env).some((name) => /KEY|SECRET|TOKEN/.test(name)), 'no secret is baked in');
        assert.equal(one(runtime, 'ENTRYPOINT'), `["${BINARY_PATH}"]`);
        assert.equal(all(runtime, 'CMD').length, 0, 'no command-line arguments: configuration is by environment');
        assert.equal(one(runtime, 'EXPOSE'), '8000');
    });

    it('checks its health with the health-check script, which needs no curl', () => {
        assert.match(one(runtime, 'HEALTHCHECK'), /^--interval=\S+ --timeout=\S+ .*CMD \["\/usr\/local\/bin\/rdmcp-healthcheck"\]$/);
        assert.ok(exists('deploy/image/healthcheck.sh'));
        assert.match(read('deploy/image/healthcheck.sh'), /^#!\/bin\/bash\n/);
    });

    it('names only environment variables the server reads', () => {
        const known = serverVariables();
        for (const file of ['Dockerfile', 'deploy/compose.yaml', 'deploy/k8s/deployment.yaml', 'deploy/.env.example']) {
            for (const name of variablesIn(read(file))) {
                assert.ok(known.has(name), `${file} sets ${name}, which retrodiffusion-mcp --help does not list`);
            }
        }
    });
});

// .dockerignore lines as Docker reads them: later lines win, "!" re-includes.
function ignored(patterns, file) {
    let result = false;
    for (const raw of patterns) {
        const negate = raw.startsWith('!');
        const pattern = negate ? raw.slice(1) : raw;
        const source = pattern.split('/').map((part) => (part === '**' ? '.*' : part.replace(/[.+^$()|[\]]/g, '\\$&')
            .replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]'))).join('/').replace('.*/', '(.*/)?');
        if (new RegExp(`^${source}(/.*)?$`).test(file)) result = !negate;
    }
    return result;
}

describe('.dockerignore', () => {
    const patterns = read('.dockerignore').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));

    it('keeps the repository, build trees and node_modules out of the build context', () => {
        for (const file of ['.git/HEAD', 'build/retrodiffusion-mcp', 'build-asan/x.o', 'tests/e2e/node_modules/x/index.js',
                            'tests/deploy/node_modules/yaml/package.json', 'deploy/k8s/deployment.yaml']) {
            assert.ok(ignored(patterns, file), `${file} must not be sent to the builder`);
        }
    });

    it('sends what the build and the final stage copy', () => {
        for (const file of ['CMakeLists.txt', 'server/main.cpp', 'common/base64.cpp', 'protocol/json_rpc.cpp',
                            'tests/CMakeLists.txt', 'deploy/image/healthcheck.sh']) {
            assert.ok(exists(file), `${file} exists`);
            assert.ok(!ignored(patterns, file), `${file} must reach the builder`);
        }
    });
});

// ---------------------------------------------------------------------------------------------
// The health-check script against a tiny HTTP server.

function serve(status) {
    return new Promise((resolve) => {
        const server = http.createServer((request, response) => {
            response.writeHead(request.url === '/healthz' ? status : 404, { 'Content-Type': 'application/json' });
            response.end('{}');
        });
        server.listen(0, '127.0.0.1', () => resolve(server));
    });
}

function healthcheck(env) {
    return new Promise((resolve) => {
        const child = spawn('bash', [path.join(ROOT, 'deploy/image/healthcheck.sh')], {
            env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (chunk) => (stderr += chunk));
        child.on('exit', (code) => resolve({ code, stderr }));
    });
}

describe('deploy/image/healthcheck.sh', () => {
    for (const [status, expected] of [[200, 0], [503, 1]]) {
        it(`exits ${expected} when /healthz answers ${status}`, async () => {
            const server = await serve(status);
            try {
                // 0.0.0.0 is what the image binds; the check then asks the loopback.
                const result = await healthcheck({ RD_MCP_HOST: '0.0.0.0', RD_MCP_PORT: String(server.address().port) });
                assert.equal(result.code, expected, result.stderr);
                if (expected) assert.match(result.stderr, new RegExp(`answered ${status}`));
            } finally {
                server.close();
            }
        });
    }

    // Over stdio nothing listens: the server is process 1 and the container lives as long as it.
    for (const [what, env, args] of [
        ['RD_MCP_TRANSPORT=stdio', { RD_MCP_TRANSPORT: 'stdio' }, ['retrodiffusion-mcp']],
        ['--transport stdio', { RD_MCP_TRANSPORT: 'http' }, ['retrodiffusion-mcp', '--transport', 'stdio']],
        ['--transport=stdio', {}, ['retrodiffusion-mcp', '--transport=stdio']],
    ]) {
        it(`exits 0 with no port to ask when the server runs over stdio (${what})`, async () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rdmcp-health-'));
            try {
                const cmdline = path.join(dir, 'cmdline');
                fs.writeFileSync(cmdline, args.map((arg) => `${arg}\0`).join(''));
                const result = await healthcheck({ ...env, RD_MCP_PORT: '1', RDMCP_SERVER_CMDLINE: cmdline });
                assert.equal(result.code, 0, result.stderr);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    }

    it('checks the port when the command line says http, whatever the environment says', async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rdmcp-health-'));
        try {
            const cmdline = path.join(dir, 'cmdline');
            fs.writeFileSync(cmdline, 'retrodiffusion-mcp\0--transport\0http\0');
            const result = await healthcheck({ RD_MCP_TRANSPORT: 'stdio', RD_MCP_PORT: '1', RDMCP_SERVER_CMDLINE: cmdline });
            assert.equal(result.code, 1);
            assert.match(result.stderr, /nothing listens/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it('exits 1 when nothing listens', async () => {
        const server = await serve(200);
        const port = server.address().port;
        await new Promise((resolve) => server.close(resolve));
        const result = await healthcheck({ RD_MCP_HOST: '127.0.0.1', RD_MCP_PORT: String(port) });
        assert.equal(result.code, 1);
    });
});
