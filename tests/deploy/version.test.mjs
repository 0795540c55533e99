// One version everywhere: CMakeLists.txt's project(VERSION) is what --version prints, what
// initialize answers as serverInfo.version, what the bundle's manifest and the registry's
// server.json say, the tag of the container image server.json names, and the image's version
// label (the Dockerfile's default; deploy/image/build.sh passes scripts/version.sh's). The
// Debian package takes CMake's PROJECT_VERSION (scripts/test-package.sh checks the .deb).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';

import { read, ROOT, serverBinary } from './helpers.mjs';
import { startStdioServer } from '../../packaging/mcpb/mcp_stdio.mjs';

const cmakeVersion = /^project\(retrodiffusion-mcp VERSION (\d+\.\d+\.\d+)[ )]/m.exec(read('CMakeLists.txt'))?.[1];

describe('one version', () => {
    it('CMakeLists.txt has project(retrodiffusion-mcp VERSION x.y.z), and scripts/version.sh prints it', () => {
        assert.match(cmakeVersion ?? '', /^\d+\.\d+\.\d+$/);
        assert.equal(execFileSync(path.join(ROOT, 'scripts/version.sh'), { encoding: 'utf8' }), `${cmakeVersion}\n`);
    });

    it('--version', () => {
        const printed = execFileSync(serverBinary(), ['--version'], { encoding: 'utf8' }).trim();
        assert.equal(printed.split(/\s+/).at(-1), cmakeVersion, `--version printed "${printed}"`);
    });

    it('serverInfo.version from initialize', async () => {
        const server = startStdioServer(serverBinary(), ['--transport', 'stdio'], { PATH: process.env.PATH });
        try {
            const init = await server.handshake();
            assert.equal(init.serverInfo.version, cmakeVersion);
        } finally {
            await server.close();
        }
    });

    it('the bundle manifest (as make-mcpb.sh writes it)', () => {
        const work = mkdtempSync(path.join(os.tmpdir(), 'rdmcp-version-'));
        try {
            const out = path.join(work, 'manifest.json');
            execFileSync('node', [path.join(ROOT, 'packaging/mcpb/make-manifest.mjs'),
                '--template', path.join(ROOT, 'packaging/mcpb/manifest.template.json'),
                '--binary', serverBinary(), '--version', cmakeVersion, '--system', 'Debian 12', '--libraries', 'none', '--out', out],
            { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
            assert.equal(JSON.parse(readFileSync(out, 'utf8')).version, cmakeVersion);
        } finally {
            rmSync(work, { recursive: true, force: true });
        }
    });

    it('the manifest generator refuses a binary of another version', () => {
        const work = mkdtempSync(path.join(os.tmpdir(), 'rdmcp-version-'));
        try {
            assert.throws(() => execFileSync('node', [path.join(ROOT, 'packaging/mcpb/make-manifest.mjs'),
                '--template', path.join(ROOT, 'packaging/mcpb/manifest.template.json'),
                '--binary', serverBinary(), '--version', '99.0.0', '--system', 'Debian 12', '--libraries', 'none',
                '--out', path.join(work, 'manifest.json')], { stdio: 'pipe' }),
            /not version 99\.0\.0/);
        } finally {
            rmSync(work, { recursive: true, force: true });
        }
    });

    it('server.json, and the tag of each image it names', () => {
        const server = JSON.parse(read('packaging/registry/server.json'));
        assert.equal(server.version, cmakeVersion);
        const images = server.packages.filter((p) => p.registryType === 'oci');
        assert.ok(images.length > 0);
        for (const image of images) assert.equal(image.identifier.split(':').at(-1), cmakeVersion, image.identifier);
    });

    it('the Dockerfile labels the image with it, and with the registry name server.json gives', () => {
        const dockerfile = read('Dockerfile');
        assert.equal(/^ARG RDMCP_VERSION=(\S+)$/m.exec(dockerfile)?.[1], cmakeVersion);
        assert.match(dockerfile, /org\.opencontainers\.image\.version="\$\{RDMCP_VERSION\}"/);
        // The registry checks that an OCI image belongs to the entry through this label.
        const name = JSON.parse(read('packaging/registry/server.json')).name;
        assert.equal(/io\.modelcontextprotocol\.server\.name="([^"]+)"/.exec(dockerfile)?.[1], name);
    });
});
