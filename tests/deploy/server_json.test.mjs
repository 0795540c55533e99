// packaging/registry/server.json, the entry for the official MCP registry: valid under the
// registry's published schema (pinned beside it), and naming only what the server really takes.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';

import Ajv from 'ajv';
import addFormats from 'ajv-formats';

import { read, serverBinary, serverVariables, variablesIn } from './helpers.mjs';

const SERVER_JSON = 'packaging/registry/server.json';
const SCHEMA = 'packaging/registry/server.schema.json';

const schema = JSON.parse(read(SCHEMA));
const server = JSON.parse(read(SERVER_JSON));

// The schema is JSON Schema draft-07 (its $schema), which is Ajv's default draft. It is generated
// from an OpenAPI document and carries two OpenAPI keywords that are annotations here: `example`,
// and `discriminator` (its oneOf does the validating).
function validator() {
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
    addFormats(ajv);
    ajv.addKeyword({ keyword: 'example', schemaType: ['string', 'number', 'boolean', 'object', 'array'] });
    ajv.addKeyword({ keyword: 'discriminator', schemaType: 'object' });
    return ajv.compile(schema);
}
const validate = validator();

function errorsOf(value) {
    return validate(value) ? [] : validate.errors.map((e) => `${e.instancePath || '/'} ${e.message}`);
}

const help = execFileSync(serverBinary(), ['--help'], { encoding: 'utf8' });

// Every `{name}` in a template string.
const placeholders = (text) => [...text.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);

describe('server.json', () => {
    it('is valid under the registry\'s schema', () => {
        assert.deepEqual(errorsOf(server), []);
    });

    it('names the schema it is valid under: the pinned file\'s published URL', () => {
        assert.equal(server.$schema, schema.$id);
        assert.match(schema.$id, /^https:\/\/static\.modelcontextprotocol\.io\/schemas\/\d{4}-\d{2}-\d{2}\/server\.schema\.json$/);
        const readme = read('packaging/registry/README.md');
        assert.ok(readme.includes(schema.$id), 'the README names the published URL');
        assert.match(readme, /github\.com\/modelcontextprotocol\/registry\/blob\/[0-9a-f]{40}\/docs\/reference\/server-json\/server\.schema\.json/,
            'the README names the source file at its commit');
    });

    it('the validator refuses what the schema forbids', () => {
        const broken = structuredClone(server);
        broken.description = 'x'.repeat(101);
        assert.ok(errorsOf(broken).some((e) => e.startsWith('/description')), 'a description over 100 characters');
        const unnamed = structuredClone(server);
        delete unnamed.name;
        assert.notDeepEqual(errorsOf(unnamed), []);
        const badType = structuredClone(server);
        badType.packages[0].registryType = 'apt';
        assert.notDeepEqual(errorsOf(badType), []);
        const noTransport = structuredClone(server);
        delete noTransport.remotes[0].type;
        assert.notDeepEqual(errorsOf(noTransport), []);
    });

    it('is ours, not the official RetroDiffusion server\'s name', () => {
        assert.match(server.name, /^io\.github\.[A-Za-z0-9-]+\/retrodiffusion-mcp$/);
        assert.notEqual(server.name, 'ai.retrodiffusion/pixel-art');
        assert.equal(server.repository.url, `https://github.com/${server.name.split('/')[0].replace('io.github.', '')}/retrodiffusion-mcp`);
    });
});

describe('server.json: the container image over stdio', () => {
    const stdio = server.packages.filter((p) => p.registryType === 'oci' && p.transport.type === 'stdio');

    it('one OCI package over stdio, started with --transport stdio', () => {
        assert.equal(stdio.length, 1);
        assert.equal(stdio[0].runtimeHint, 'docker');
        assert.deepEqual(stdio[0].packageArguments.map(({ type, name, value }) => ({ type, name, value })),
            [{ type: 'named', name: '--transport', value: 'stdio' }]);
        assert.match(help, /--transport VALUE +stdio \(default\) or http/);
    });

    it('RD_API_KEY is a required secret', () => {
        const key = stdio[0].environmentVariables.find((v) => v.name === 'RD_API_KEY');
        assert.ok(key, 'RD_API_KEY is declared');
        assert.equal(key.isSecret, true);
        assert.equal(key.isRequired, true);
        for (const variable of stdio[0].environmentVariables) {
            if (variable.name !== 'RD_API_KEY') assert.notEqual(variable.isRequired, true, `${variable.name} is optional`);
            assert.equal(variable.value, undefined, `${variable.name} is the user's to set`);
        }
    });
});

describe('server.json: the container image over Streamable HTTP', () => {
    const http = server.packages.filter((p) => p.registryType === 'oci' && p.transport.type === 'streamable-http');

    it('one OCI package over HTTP, published on loopback at the port its URL names', () => {
        assert.equal(http.length, 1);
        const url = new URL(http[0].transport.url);
        assert.equal(url.pathname, '/mcp');
        const publish = http[0].runtimeArguments.find((a) => a.name === '--publish');
        assert.equal(publish.value, `127.0.0.1:${url.port}:8000`);
        assert.match(read('Dockerfile'), /RD_MCP_PORT=8000/, 'the image serves on 8000');
        assert.equal(http[0].environmentVariables.find((v) => v.name === 'RD_API_KEY'), undefined,
            'over HTTP each request brings the key, RD_API_KEY is unused');
    });

    it('each request brings the key as Authorization: Bearer', () => {
        assertBearer(http[0].transport.headers);
    });
});

describe('server.json: a remote server', () => {
    it('a Streamable HTTP URL template whose variables are declared, and the bearer header', () => {
        assert.equal(server.remotes.length, 1);
        const [remote] = server.remotes;
        assert.equal(remote.type, 'streamable-http');
        assert.match(remote.url, /^https:\/\/\{host\}\/mcp$/);
        for (const name of placeholders(remote.url)) {
            assert.equal(remote.variables?.[name]?.isRequired, true, `{${name}} is a required variable`);
        }
        assertBearer(remote.headers);
    });
});

function assertBearer(headers) {
    assert.deepEqual(headers.map((h) => h.name), ['Authorization']);
    const [header] = headers;
    assert.equal(header.value, 'Bearer {api_key}');
    assert.equal(header.isSecret, true);
    assert.equal(header.isRequired, true);
    for (const name of placeholders(header.value)) {
        assert.equal(header.variables?.[name]?.isSecret, true, `{${name}} is a secret variable`);
        assert.equal(header.variables?.[name]?.isRequired, true, `{${name}} is required`);
    }
}

describe('server.json names only what the server takes', () => {
    it('every environment variable it declares is in --help', () => {
        const known = serverVariables();
        const declared = server.packages.flatMap((p) => (p.environmentVariables ?? []).map((v) => v.name));
        assert.ok(declared.length > 1);
        for (const name of declared) {
            assert.ok(name === 'RD_API_KEY' ? help.includes('RD_API_KEY') : known.has(name), `${name} is in --help`);
        }
    });

    it('every RD_ name anywhere in it is one the server reads', () => {
        const known = serverVariables();
        for (const name of variablesIn(read(SERVER_JSON))) assert.ok(known.has(name), `${name} is in --help`);
    });

    it('every choice offered is one the server accepts', () => {
        const level = server.packages[0].environmentVariables.find((v) => v.name === 'RD_MCP_LOG_LEVEL');
        for (const choice of level.choices) {
            const checked = serveWith({ RD_MCP_LOG_LEVEL: choice });
            assert.equal(checked.status, 0, `RD_MCP_LOG_LEVEL=${choice}: ${checked.stderr}`);
        }
        assert.notEqual(serveWith({ RD_MCP_LOG_LEVEL: 'loud' }).status, 0, 'a wrong value is refused');
    });
});

// Starts the server with an environment and an immediately closed stdin: a configuration error
// exits non-zero before serving; a good one serves stdio until EOF and exits 0.
function serveWith(env) {
    return spawnSync(serverBinary(), [], {
        env: { PATH: process.env.PATH, ...env },
        input: '',
        encoding: 'utf8',
        timeout: 10000,
    });
}
