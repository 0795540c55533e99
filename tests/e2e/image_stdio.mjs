// The container image as a stdio server, the way most MCP users on macOS and Windows run a
// native server: `docker run -i --rm -e RD_API_KEY <image> --transport stdio`.
// deploy/image/test.sh (`make test-image`) runs this with `node --test`. Without a Docker engine
// it passes RD_IMAGE_STDIO, a command that does what that line does: the image's entrypoint, its
// environment and user, a read-only root with only /tmp writable, RD_API_KEY handed on by name,
// and every further argument (`--transport stdio`) after the entrypoint; stdin and stdout are
// the server's. RD_SIM_URL is the simulated RetroDiffusion API the server calls (the command
// points the server at it). Both official SDK clients launch that command as a client would.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Client as Sdk2Client } from '@modelcontextprotocol/client';
import { StdioClientTransport as Sdk2Transport } from '@modelcontextprotocol/client/stdio';
import { Client as Sdk1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as Sdk1Transport } from '@modelcontextprotocol/sdk/client/stdio.js';

import { closeClient, KEY_1, KEY_2 } from './helpers.mjs';

const command = process.env.RD_IMAGE_STDIO;
const simUrl = process.env.RD_SIM_URL;
if (!command || !simUrl) {
    throw new Error('image_stdio.mjs is run by deploy/image/test.sh (RD_IMAGE_STDIO, RD_SIM_URL)');
}
// Pulling and starting a container takes longer than a local binary.
const OPTIONS = { timeout: 60_000 };

async function simRequests() {
    const response = await fetch(`${simUrl}/_sim/requests`);
    assert.equal(response.status, 200);
    return response.json();
}

// Paid generations: the spend guard's free price check (check_cost) is not one.
function inferencePosts(requests) {
    return requests.filter((r) => r.method === 'POST' && /^\/v[12]\/inferences$/.test(r.path) &&
                                  r.body?.check_cost !== true);
}

// One session: tools/list, get_balance and one paid generation, which the API charges once.
async function session(client, transport, key) {
    await client.connect(transport, OPTIONS);
    try {
        const { tools } = await client.listTools({}, OPTIONS);
        const names = tools.map((tool) => tool.name);
        for (const name of ['create_inference', 'get_balance', 'run_edit_tool', 'fix_pixel_art']) {
            assert.ok(names.includes(name), `${name} is listed: ${names.join(', ')}`);
        }

        const balanceResult = await client.callTool({ name: 'get_balance', arguments: {} }, undefined, OPTIONS);
        assert.notEqual(balanceResult.isError, true, JSON.stringify(balanceResult));
        const balance = balanceResult.structuredContent.balance;
        assert.equal(typeof balance, 'number', 'the key reached the server');

        const before = inferencePosts(await simRequests()).length;
        const generated = await client.callTool({
            name: 'create_inference',
            arguments: { prompt: 'a red apple', prompt_style: 'rd_fast__default', width: 64, height: 64, seed: 7 },
        }, undefined, OPTIONS);
        assert.notEqual(generated.isError, true, JSON.stringify(generated).slice(0, 2000));
        const images = generated.content.filter((block) => block.type === 'image');
        assert.equal(images.length, 1, 'one image inline');
        assert.equal(images[0].mimeType, 'image/png');
        const { balance_cost: cost, remaining_balance: remaining } = generated.structuredContent;
        assert.ok(cost > 0, `balance_cost ${cost}`);
        assert.ok(Math.abs(remaining - (balance - cost)) < 1e-9, `${balance} - ${cost} left ${remaining}`);
        const posts = inferencePosts(await simRequests()).slice(before);
        assert.equal(posts.length, 1, 'the generation was sent (and charged) once');
        assert.equal(posts[0].token, key, 'with the caller\'s key');
    } finally {
        await closeClient(client, transport);
    }
}

describe('docker run -i --rm -e RD_API_KEY <image> --transport stdio', () => {
    it('2025-11-25: the SDK 1.x client launches the container and uses it', async () => {
        const transport = new Sdk1Transport({
            command, args: ['--transport', 'stdio'], env: { RD_API_KEY: KEY_1 }, stderr: 'inherit',
        });
        await session(new Sdk1Client({ name: 'rdmcp-image-stdio', version: '0.0.0' }), transport, KEY_1);
    });

    it('2026-07-28: the SDK 2.x client launches the container and uses it', async () => {
        const transport = new Sdk2Transport({
            command, args: ['--transport', 'stdio'], env: { RD_API_KEY: KEY_2 }, stderr: 'inherit',
        });
        const client = new Sdk2Client({ name: 'rdmcp-image-stdio', version: '0.0.0' },
                                      { versionNegotiation: { mode: 'auto', probe: { timeoutMs: 60_000 } } });
        let negotiated;
        const listTools = client.listTools.bind(client);
        client.listTools = async (...args) => {
            negotiated = client.getNegotiatedProtocolVersion();
            return listTools(...args);
        };
        await session(client, transport, KEY_2);
        assert.equal(negotiated, '2026-07-28', 'the 2.x client speaks 2026-07-28 to the container');
    });
});
