// The spend guard end to end, with both official SDK clients over stdio and Streamable HTTP,
// each case asserting what the simulated API charged (ledger deltas on one sim per block):
// - --confirm-above 0.10 with a 2025-11-25 client (SDK 1.x) that answers elicitation/create
//   mid-call: accept pays once, decline and cancel send nothing;
// - the same with a 2026-07-28 client (SDK 2.x) through MRTR (input_required, then a retry with
//   inputResponses and requestState): accept pays once, decline sends nothing; a forged or a
//   replayed requestState is refused and charges nothing;
// - a client without elicitation is refused, naming the price and --confirm-above;
// - --budget 0.40: two $0.18 calls pass, the third is refused; max_cost below the price refuses.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { Client as ClientV2, StreamableHTTPClientTransport as HttpTransportV2 } from '@modelcontextprotocol/client';
import { StdioClientTransport as StdioTransportV2 } from '@modelcontextprotocol/client/stdio';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as StdioTransportV1 } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport as HttpTransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';

import {
    closeClient, eventually, KEY_1, MCP_BINARY, REQUEST_TIMEOUT_MS, requireBinary, resultText,
    serverChildren, serverEnv, startSim,
} from './helpers.mjs';
import { startHttpServer } from './http_helpers.mjs';

const OPTIONS = { timeout: 20_000 };
const NEGOTIATION = { versionNegotiation: { mode: 'auto', probe: { timeoutMs: REQUEST_TIMEOUT_MS } } };
const ELICITATION = { capabilities: { elicitation: {} } };

// rd_pro__default at 256x256: $0.18 per image (the documented price the sim charges).
const PRICE = 0.18;
const PRICE_TEXT = '$0.180';
const PRO = { prompt_style: 'rd_pro__default', width: 256, height: 256 };
const confirmAbove = ['--confirm-above', '0.10'];

const ACCEPT = { action: 'accept', content: { approve: true } };
const DECLINE = { action: 'decline' };
const CANCEL = { action: 'cancel' };

let callNumber = 0;
// A fresh generation's arguments (a new prompt each time, so no two calls share arguments).
function proCall(extra = {}) {
    return { prompt: `a castle on a hill, take ${++callNumber}`, ...PRO, ...extra };
}

async function ledger(sim) {
    const response = await fetch(`${sim.url}/_sim/ledger`);
    assert.equal(response.status, 200);
    return response.json();
}

// What the sim charged (net of refunds) and the paid generations it received while `action` ran.
async function chargesDuring(sim, action) {
    const before = await ledger(sim);
    const requestsBefore = (await sim.requests()).length;
    const value = await action();
    const after = await ledger(sim);
    const requests = (await sim.requests()).slice(requestsBefore);
    const paid = requests.filter((r) => r.method === 'POST' && /\/inferences$/.test(r.path) &&
                                        r.body?.check_cost !== true);
    const charged = (after.total_charged - before.total_charged) -
                    ((after.total_refunded ?? 0) - (before.total_refunded ?? 0));
    return { value, charged: Math.round(charged * 1000) / 1000, paid: paid.length };
}

// `context` (say the server's log) is appended to the failure message of the first check.
function assertPaidOnce(outcome, what, context = '') {
    assert.notEqual(outcome.value.isError, true, `${what}: ${resultText(outcome.value)}${context}`);
    assert.equal(outcome.paid, 1, `${what}: one paid generation reached the API`);
    assert.equal(outcome.charged, PRICE, `${what}: charged ${outcome.charged}`);
    assert.equal(outcome.value.structuredContent?.spend?.cost_usd, PRICE,
                 `${what}: ${JSON.stringify(outcome.value.structuredContent?.spend)}`);
    assert.match(resultText(outcome.value), /Cost: \$0\.180/);
}

function assertNotSent(outcome, pattern, what, context = '') {
    assert.equal(outcome.value.isError, true,
                 `${what} must be refused: ${resultText(outcome.value)}${context}`);
    assert.match(resultText(outcome.value), /^Not sent, nothing was charged: /, what + context);
    assert.match(resultText(outcome.value), pattern, what + context);
    assert.equal(outcome.paid, 0, `${what}: nothing paid reached the API`);
    assert.equal(outcome.charged, 0, `${what}: charged ${outcome.charged}`);
}

// ---------------------------------------------------------------------------------------------
// Connections. `era` is sdk1 (2025-11-25) or sdk2 (2026-07-28); `way` is stdio or http.

async function connect({ era, way, sim, server, stdioArgs = confirmAbove, elicit = true, onElicit }) {
    const options = elicit ? ELICITATION : {};
    const client = era === 'sdk1'
        ? new ClientV1({ name: 'rdmcp-e2e-spend-sdk1', version: '0.0.0' }, options)
        : new ClientV2({ name: 'rdmcp-e2e-spend-sdk2', version: '0.0.0' }, { ...options, ...NEGOTIATION });
    if (onElicit) {
        if (era === 'sdk1') client.setRequestHandler(ElicitRequestSchema, (request) => onElicit(request.params));
        else client.setRequestHandler('elicitation/create', (request) => onElicit(request.params));
    }
    let transport;
    if (way === 'stdio') {
        requireBinary(MCP_BINARY, 'retrodiffusion-mcp');
        const params = {
            command: MCP_BINARY, args: stdioArgs,
            env: serverEnv({ apiKey: KEY_1, baseUrl: sim.url }), stderr: 'pipe',
        };
        transport = era === 'sdk1' ? new StdioTransportV1(params) : new StdioTransportV2(params);
    } else {
        const init = { requestInit: { headers: { Authorization: `Bearer ${KEY_1}` } } };
        transport = era === 'sdk1' ? new HttpTransportV1(new URL(server.url), init)
                                   : new HttpTransportV2(new URL(server.url), init);
    }
    let stderr = '';
    transport.stderr?.on('data', (chunk) => { stderr = (stderr + chunk).slice(-50_000); });
    await client.connect(transport, { timeout: REQUEST_TIMEOUT_MS });
    if (era === 'sdk2') assert.equal(client.getProtocolEra(), 'modern');
    await client.listTools(undefined, OPTIONS);
    const call = era === 'sdk1'
        ? (name, args) => client.callTool({ name, arguments: args }, undefined, OPTIONS)
        : (name, args) => client.callTool({ name, arguments: args }, OPTIONS);
    // SDK 2.x only: a raw tools/call (no MRTR driver) whose input_required answer comes back as
    // is. Not callTool: it checks an input_required answer against the tool's outputSchema.
    const rawCall = (name, args, retry = {}) => client.request(
        { method: 'tools/call', params: { name, arguments: args, ...retry } },
        { ...OPTIONS, allowInputRequired: true });
    return { client, transport, call, rawCall, stderr: () => stderr,
             close: () => closeClient(client, transport) };
}

// Answers each elicitation/create with the next answer in `answers` and keeps what it was asked.
function scriptedUser() {
    const user = { asked: [], answer: ACCEPT };
    user.onElicit = async (params) => {
        user.asked.push(params);
        return user.answer;
    };
    return user;
}

function assertAskedForPrice(user, count) {
    assert.equal(user.asked.length, count, `the user was asked ${user.asked.length} times`);
    const asked = user.asked.at(-1);
    assert.ok(asked.message.includes(PRICE_TEXT), `the question names the price: ${asked.message}`);
    assert.equal(asked.requestedSchema?.properties?.approve?.type, 'boolean', JSON.stringify(asked));
}

function noServersLeft() {
    return eventually(() => serverChildren().length === 0, 5000);
}

// ---------------------------------------------------------------------------------------------

describe('Spend confirmation (--confirm-above 0.10) with both SDK clients', { timeout: 60_000 }, () => {
    let sim;
    let server;

    before(async () => {
        sim = await startSim();
        server = await startHttpServer({ baseUrl: sim.url, args: confirmAbove });
    });

    after(async () => {
        if (server) assert.equal(await server.stop(), 0, 'the server must exit 0 on SIGTERM');
        await sim?.stop();
        assert.ok(await noServersLeft(), `server processes left: ${serverChildren().join(', ')}`);
    });

    // 1. SDK 1.x (2025-11-25): the server asks with elicitation/create while the call runs.
    for (const way of ['stdio', 'http']) {
        describe(`SDK 1.x (2025-11-25) over ${way}`, () => {
            const user = scriptedUser();
            let connection;
            before(async () => {
                connection = await connect({ era: 'sdk1', way, sim, server, onElicit: user.onElicit });
            });
            after(async () => connection?.close());

            for (const [name, answer, expected] of [
                ['accepts: one charge of the price', ACCEPT, null],
                ['declines: refused, nothing charged', DECLINE, /the user declined the spend/],
                ['cancels: refused, nothing charged', CANCEL, /the user cancelled/],
            ]) {
                it(`the user ${name}`, async () => {
                    user.answer = answer;
                    const asked = user.asked.length;
                    const outcome = await chargesDuring(sim, () => connection.call('create_inference', proCall()));
                    const what = `${way} ${answer.action}`;
                    const log = way === 'stdio' ? `\nserver stderr:\n${connection.stderr().slice(-1500)}` : '';
                    if (expected) assertNotSent(outcome, expected, what, log);
                    else assertPaidOnce(outcome, what, log);
                    assertAskedForPrice(user, asked + 1);
                });
            }
        });
    }

    // 2. SDK 2.x (2026-07-28): input_required, answered through the SDK's MRTR driver.
    for (const way of ['stdio', 'http']) {
        describe(`SDK 2.x (2026-07-28) over ${way}`, () => {
            const user = scriptedUser();
            let connection;
            before(async () => {
                connection = await connect({ era: 'sdk2', way, sim, server, onElicit: user.onElicit });
            });
            after(async () => connection?.close());

            it('the user accepts through the MRTR driver: paid once', async () => {
                user.answer = ACCEPT;
                const asked = user.asked.length;
                const outcome = await chargesDuring(sim, () => connection.call('create_inference', proCall()));
                assertPaidOnce(outcome, way);
                assertAskedForPrice(user, asked + 1);
            });

            it('the user declines through the MRTR driver: nothing charged', async () => {
                user.answer = DECLINE;
                const asked = user.asked.length;
                const outcome = await chargesDuring(sim, () => connection.call('create_inference', proCall()));
                assertNotSent(outcome, /the user declined the spend/, way);
                assertAskedForPrice(user, asked + 1);
            });

            it('by hand: input_required, then a forged and a replayed requestState are refused', async () => {
                const args = proCall();
                const first = await chargesDuring(sim, () => connection.rawCall('create_inference', args));
                assert.equal(first.value.resultType, 'input_required', JSON.stringify(first.value));
                assert.equal(first.paid, 0);
                assert.equal(first.charged, 0);
                const ask = first.value.inputRequests?.confirm_spend;
                assert.equal(ask?.method, 'elicitation/create', JSON.stringify(first.value));
                assert.ok(ask.params.message.includes(PRICE_TEXT), ask.params.message);
                assert.deepEqual(ask.params.requestedSchema.required, ['approve']);
                assert.equal(ask.params.requestedSchema.properties.approve.default, true);
                const state = first.value.requestState;
                assert.equal(typeof state, 'string');

                const retry = (requestState) => connection.rawCall('create_inference', args, {
                    inputResponses: { confirm_spend: ACCEPT }, requestState,
                });

                // One character changed in the middle of the signed payload.
                const at = Math.floor(state.indexOf('.') / 2) + 6;
                const forged = state.slice(0, at) + (state[at] === 'A' ? 'B' : 'A') + state.slice(at + 1);
                assert.notEqual(forged, state);
                assertNotSent(await chargesDuring(sim, () => retry(forged)),
                              /does not hold for this call/, `${way} forged requestState`);

                // The same state for other arguments is refused too.
                const otherArguments = await chargesDuring(sim, () => connection.rawCall(
                    'create_inference', { ...args, prompt: `${args.prompt}, at night` },
                    { inputResponses: { confirm_spend: ACCEPT }, requestState: state }));
                assertNotSent(otherArguments, /does not hold for this call/, `${way} other arguments`);

                // The genuine one pays once...
                assertPaidOnce(await chargesDuring(sim, () => retry(state)), `${way} genuine requestState`);
                // ...and cannot be used again.
                assertNotSent(await chargesDuring(sim, () => retry(state)),
                              /does not hold for this call/, `${way} replayed requestState`);
            });

            it('max_cost below the price is refused before anyone is asked', async () => {
                const asked = user.asked.length;
                const outcome = await chargesDuring(sim, () =>
                    connection.call('create_inference', proCall({ max_cost: 0.1 })));
                assertNotSent(outcome, /max_cost of \$0\.100/, `${way} max_cost`);
                assert.ok(resultText(outcome.value).includes(PRICE_TEXT), resultText(outcome.value));
                assert.equal(user.asked.length, asked, 'nobody was asked');
            });
        });
    }

    // 3. Clients that declare no elicitation.
    for (const [era, way] of [['sdk1', 'stdio'], ['sdk2', 'http']]) {
        it(`${era} over ${way} without elicitation: refused, naming the price and --confirm-above`, async () => {
            const connection = await connect({ era, way, sim, server, elicit: false });
            try {
                const outcome = await chargesDuring(sim, () => connection.call('create_inference', proCall()));
                assertNotSent(outcome, /this client cannot ask the user/, `${era} ${way}`);
                const text = resultText(outcome.value);
                assert.ok(text.includes(PRICE_TEXT), text);
                assert.ok(text.includes('--confirm-above'), text);
            } finally {
                await connection.close();
            }
        });
    }
});

// 4. A budget, without confirmation.
describe('Spend budget (--budget 0.40, --confirm-above none)', { timeout: 30_000 }, () => {
    let sim;

    before(async () => {
        sim = await startSim();
    });

    after(async () => {
        await sim?.stop();
        assert.ok(await noServersLeft(), `server processes left: ${serverChildren().join(', ')}`);
    });

    it('SDK 1.x over stdio: two $0.18 calls pass, the third is refused', async () => {
        const connection = await connect({
            era: 'sdk1', way: 'stdio', sim, elicit: false,
            stdioArgs: ['--budget', '0.40', '--confirm-above', 'none'],
        });
        try {
            const refusedByMaxCost = await chargesDuring(sim, () =>
                connection.call('create_inference', proCall({ max_cost: 0.1 })));
            assertNotSent(refusedByMaxCost, /max_cost of \$0\.100/, 'max_cost 0.1');

            for (const left of [0.22, 0.04]) {
                const outcome = await chargesDuring(sim, () => connection.call('create_inference', proCall()));
                assertPaidOnce(outcome, `budget call, ${left} left after`);
                const spend = outcome.value.structuredContent.spend;
                assert.equal(spend.budget_usd, 0.4, JSON.stringify(spend));
                assert.equal(spend.budget_left_usd, left, JSON.stringify(spend));
            }
            const third = await chargesDuring(sim, () => connection.call('create_inference', proCall()));
            assertNotSent(third, /more than the budget has left/, 'the third call');
            assert.ok(resultText(third.value).includes('--budget'), resultText(third.value));

            const balance = await connection.call('get_balance', {});
            assert.notEqual(balance.isError, true, resultText(balance));
            const limits = balance.structuredContent.limits;
            assert.equal(limits.budget_usd, 0.4, JSON.stringify(limits));
            assert.equal(limits.budget_spent_usd, 0.36, JSON.stringify(limits));
            assert.equal(limits.budget_left_usd, 0.04, JSON.stringify(limits));
            assert.equal('confirm_above_usd' in limits, false, JSON.stringify(limits));
        } finally {
            await connection.close();
        }
    });
});
