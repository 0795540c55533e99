// deploy/systemd/retrodiffusion-mcp.service, the unit the Debian package ships as an example:
// it starts the packaged binary over HTTP on loopback, sets only variables the server knows,
// holds no key, and confines the service (no privileges, no writable system, its own /tmp).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { read, serverVariables, variablesIn } from './helpers.mjs';

const UNIT = 'deploy/systemd/retrodiffusion-mcp.service';

// The unit file's sections as { section: { key: [values] } }, comments and blank lines dropped.
function parseUnit(text) {
    const sections = {};
    let current = null;
    for (const raw of text.split('\n')) {
        const line = raw.trim();
        if (!line || line.startsWith('#') || line.startsWith(';')) continue;
        const header = /^\[([A-Za-z]+)\]$/.exec(line);
        if (header) {
            current = sections[header[1]] = {};
            continue;
        }
        const equals = line.indexOf('=');
        assert.ok(current && equals > 0, `${UNIT}: "${line}" is neither a section nor key=value`);
        const key = line.slice(0, equals);
        (current[key] ??= []).push(line.slice(equals + 1));
    }
    return sections;
}

describe('the systemd unit', () => {
    const text = read(UNIT);
    const unit = parseUnit(text);

    it('starts the packaged binary over Streamable HTTP on loopback', () => {
        assert.deepEqual(unit.Service.ExecStart, ['/usr/bin/retrodiffusion-mcp --transport http']);
        assert.ok(unit.Service.Environment.includes('RD_MCP_HOST=127.0.0.1'));
        assert.deepEqual(unit.Install.WantedBy, ['multi-user.target']);
    });

    it('sets only variables the server reads, and no key', () => {
        const known = serverVariables();
        for (const name of variablesIn(text)) assert.ok(known.has(name), `${name} is not a server variable`);
        assert.ok(!unit.Service.Environment.some((setting) => /KEY|SECRET|TOKEN/.test(setting)));
    });

    it('runs confined: a dynamic user, a read-only system, its own /tmp, no new privileges', () => {
        for (const [key, value] of [['DynamicUser', 'yes'], ['ProtectSystem', 'strict'],
                                    ['PrivateTmp', 'yes'], ['NoNewPrivileges', 'yes']]) {
            assert.deepEqual(unit.Service[key], [value], key);
        }
    });

    it('waits for the shutdown grace before it stops the service', () => {
        // SIGTERM lets calls in flight finish for --shutdown-grace-seconds (20 s by default).
        assert.deepEqual(unit.Service.KillSignal, ['SIGTERM']);
        assert.ok(Number(unit.Service.TimeoutStopSec[0]) > 20);
    });
});
