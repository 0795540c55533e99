// The official MCP conformance suite (@modelcontextprotocol/conformance) against our HTTP server
// at protocol 2026-07-28, with the simulated RetroDiffusion API upstream. Every check must be
// SUCCESS except those named in expected-failures.yml (why each is there is written in it).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { parse } from 'yaml';

import { MCP_BINARY, requireBinary, startSim } from '../e2e/helpers.mjs';
import { startHttpServer } from '../e2e/http_helpers.mjs';
import { CONFORMANCE, removeDir, runNode22, scratchDir } from './node22.mjs';

const BASELINE = fileURLToPath(new URL('./expected-failures.yml', import.meta.url));
const SPEC_VERSION = '2026-07-28';
const SCENARIOS = ['caching', 'server-stateless'];

// scenario -> the check ids expected not to succeed there.
function readBaseline() {
    const entries = parse(readFileSync(BASELINE, 'utf8'))?.server ?? [];
    const baseline = new Map(SCENARIOS.map((s) => [s, new Set()]));
    for (const entry of entries) {
        // Per check only: a whole scenario listed would excuse every check in it.
        const match = /^([\w-]+):([\w-]+)$/.exec(String(entry));
        assert.ok(match, `${BASELINE}: "${entry}" is not scenario:check-id`);
        assert.ok(baseline.has(match[1]), `${BASELINE}: "${entry}" names a scenario this test does not run`);
        baseline.get(match[1]).add(match[2]);
    }
    return baseline;
}

let sim;
let http;
let work;

before(async () => {
    requireBinary(MCP_BINARY, 'retrodiffusion-mcp');
    work = scratchDir('conformance');
    sim = await startSim();
    http = await startHttpServer({ baseUrl: sim.url });
});

after(async () => {
    await http?.stop();
    await sim?.stop();
    if (work) removeDir(work);
});

// Runs one scenario; resolves with the suite's exit code, its output, and its checks.
async function runScenario(scenario) {
    const out = path.join(work, scenario);
    const run = await runNode22(CONFORMANCE, [
        'server', '--url', http.url, '--scenario', scenario, '--spec-version', SPEC_VERSION,
        '--expected-failures', BASELINE, '-o', out, '--timeout', '20000',
    ], { env: { HOME: work }, cwd: work, timeoutMs: 45_000 });
    // The suite writes DIR/server-<scenario>-<timestamp>/checks.json.
    const dirs = readdirSync(out, { withFileTypes: true }).filter((d) => d.isDirectory());
    assert.equal(dirs.length, 1, `expected one result directory in ${out}; suite output: ${run.stdout.slice(-3000)}`);
    const checks = JSON.parse(readFileSync(path.join(out, dirs[0].name, 'checks.json'), 'utf8'));
    return { ...run, checks };
}

function describeCheck(check) {
    return `${check.id}: ${check.status}${check.errorMessage ? ` (${check.errorMessage})` : ''}`;
}

async function conforms(scenario) {
    const expected = readBaseline().get(scenario);
    const { code, stdout, stderr, checks } = await runScenario(scenario);
    assert.ok(checks.length > 0, `no checks ran: ${stdout.slice(-3000)}`);

    // Anything but SUCCESS (FAILURE, WARNING, SKIPPED, ...) must be in the baseline. The suite
    // itself lets a SKIPPED check pass; we do not, since a skip is a check that proved nothing.
    const unexpected = checks.filter((c) => c.status !== 'SUCCESS' && !expected.has(c.id));
    assert.deepEqual(unexpected.map(describeCheck), [], `${scenario}: checks not SUCCESS and not baselined`);

    // A baselined check must still be there and still not succeed: once it passes, its line in
    // expected-failures.yml must go. (An id may repeat; it succeeds when every occurrence does.)
    for (const id of expected) {
        const occurrences = checks.filter((c) => c.id === id);
        assert.ok(occurrences.length > 0, `${scenario}: baselined check ${id} did not run; remove it from ` +
                                          `expected-failures.yml if the suite dropped it`);
        assert.ok(occurrences.some((c) => c.status !== 'SUCCESS'),
                  `${scenario}: ${id} now succeeds: remove it from expected-failures.yml`);
    }

    // And the suite's own verdict against the same baseline.
    assert.equal(code, 0, `the suite failed ${scenario}: ${stdout.slice(-3000)}\n${stderr.slice(-2000)}`);
}

test('caching (SEP-2549): ttlMs and cacheScope on every list and read', () => conforms('caching'));
test('server-stateless (SEP-2575): per-request _meta, discover, errors, subscriptions',
     () => conforms('server-stateless'));
