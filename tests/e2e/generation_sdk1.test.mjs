// The generation tools end to end: the official MCP TypeScript SDK 1.x client
// (@modelcontextprotocol/sdk) spawns retrodiffusion-mcp over stdio and generates images,
// animations and tilesets, estimates costs, edits images and manages user styles against the
// simulated RetroDiffusion API (rd-sim), checking both what the client gets back and what
// reached the API.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
    KEY_1,
    resultText,
    serverEnv,
} from './helpers.mjs';
import {
    GENERATION_OPTIONS,
    API_INFERENCE_FIELDS,
    pngSize,
    gifSize,
    decodeBase64,
    imageBlocks,
    describeResult,
    assertSuccess,
    upstreamRequestsDuring,
    summarize,
    inferencePosts,
    balanceOf,
    generationFixture,
} from './generation_helpers.mjs';

describe('SDK 1.x client over stdio: generation tools', { timeout: 55_000 }, () => {
    const fixture = generationFixture();
    const { tempDir, launch } = fixture;

    describe('with RD_API_KEY', () => {
        let client;
        let generatedPng; // base64 of the first image of the first generation

        before(async () => {
            ({ client } = await launch(serverEnv({ apiKey: KEY_1, baseUrl: fixture.sim.url })));
        });

        it('1. generates two 64x64 PNGs with rd_fast__default and a seed', async () => {
            const args = {
                prompt: 'a red apple on a wooden table',
                prompt_style: 'rd_fast__default',
                width: 64,
                height: 64,
                num_images: 2,
                seed: 1234,
            };
            const { value: result, requests } = await upstreamRequestsDuring(
                fixture.sim, () => client.callTool({ name: 'create_inference', arguments: args },
                                           undefined, GENERATION_OPTIONS));
            assertSuccess(result, 'create_inference');

            const blocks = imageBlocks(result);
            assert.equal(blocks.length, 2, describeResult(result));
            for (const [i, block] of blocks.entries()) {
                assert.equal(block.mimeType, 'image/png');
                const size = pngSize(decodeBase64(block.data, `image block ${i}`), `image block ${i}`);
                assert.deepEqual(size, { width: 64, height: 64 });
            }
            assert.match(resultText(result), /rd_fast__default/);

            const structured = result.structuredContent;
            assert.ok(structured, 'no structuredContent');
            assert.equal(structured.inline, true);
            assert.equal(structured.model, 'rd_fast');
            assert.equal(structured.images.length, 2, JSON.stringify(structured));
            for (const [i, image] of structured.images.entries()) {
                assert.equal(image.index, i);
                assert.equal(image.label, 'generated');
                assert.equal(image.mime_type, 'image/png');
                assert.equal(image.width, 64);
                assert.equal(image.height, 64);
                assert.equal(image.bytes, decodeBase64(blocks[i].data, `image ${i}`).length,
                             `images[${i}].bytes must be the decoded size of its block`);
                assert.equal(image.path, undefined, 'nothing was saved, so no path');
            }
            assert.equal(typeof structured.balance_cost, 'number');
            assert.ok(structured.balance_cost > 0, `balance_cost ${structured.balance_cost}`);
            assert.equal(typeof structured.remaining_balance, 'number');
            assert.ok(Math.abs(structured.remaining_balance - (100 - structured.balance_cost)) < 1e-9,
                      `remaining ${structured.remaining_balance} after a first charge of ` +
                      `${structured.balance_cost} on a balance of 100`);
            assert.ok(structured.created_at !== undefined, 'created_at missing');

            const posts = inferencePosts(requests);
            assert.equal(posts.length, 1, summarize(requests));
            assert.equal(requests.length, 1, `only the inference should reach the API: ${summarize(requests)}`);
            const body = posts[0].body;
            assert.equal(posts[0].token, KEY_1);
            assert.equal(body.prompt, args.prompt);
            assert.equal(body.prompt_style, 'rd_fast__default');
            assert.equal(body.width, 64);
            assert.equal(body.height, 64);
            assert.equal(body.num_images, 2);
            assert.equal(body.seed, 1234);
            assert.notEqual(body.check_cost, true, 'a generation is not a dry run');
            for (const key of Object.keys(body)) {
                assert.ok(API_INFERENCE_FIELDS.has(key), `unexpected field "${key}" sent to the API`);
                assert.doesNotMatch(key, /output|dir|path|inline|budget/i,
                                    `MCP-side field "${key}" sent to the API`);
            }

            generatedPng = blocks[0].data;
        });

        it('2. generates a 48x48 walking animation as a GIF, also under the old style name', async () => {
            for (const style of ['rd_animation__four_angle_walking', 'animation__four_angle_walking']) {
                const { value: result, requests } = await upstreamRequestsDuring(
                    fixture.sim, () => client.callTool(
                        { name: 'create_inference',
                          arguments: { prompt: 'a knight in silver armor', prompt_style: style,
                                       width: 48, height: 48 } },
                        undefined, GENERATION_OPTIONS));
                assertSuccess(result, `create_inference ${style}`);

                const blocks = imageBlocks(result);
                assert.equal(blocks.length, 1, `${style}: ${describeResult(result)}`);
                assert.equal(blocks[0].mimeType, 'image/gif', style);
                const gif = decodeBase64(blocks[0].data, `${style} image`);
                assert.deepEqual(gifSize(gif, style), { width: 48, height: 48 }, style);

                const [image] = result.structuredContent.images;
                assert.equal(result.structuredContent.images.length, 1);
                assert.equal(image.mime_type, 'image/gif');
                assert.equal(image.label, 'generated');
                assert.equal(image.width, 48);
                assert.equal(image.height, 48);
                assert.equal(image.bytes, gif.length);
                assert.equal(result.structuredContent.model, 'rd_animation');
                assert.ok(result.structuredContent.balance_cost > 0);

                const posts = inferencePosts(requests);
                assert.equal(posts.length, 1, summarize(requests));
                // The old name is mapped to the current one before it reaches the API.
                assert.equal(posts[0].body.prompt_style, 'rd_animation__four_angle_walking', style);
                assert.equal(posts[0].body.width, 48);
                assert.equal(posts[0].body.height, 48);
            }
        });

        it('3. generates a 32x32 tileset as a PNG', async () => {
            const { value: result, requests } = await upstreamRequestsDuring(
                fixture.sim, () => client.callTool(
                    { name: 'create_inference',
                      arguments: { prompt: 'grass and dirt', prompt_style: 'rd_tile__tileset',
                                   width: 32, height: 32 } },
                    undefined, GENERATION_OPTIONS));
            assertSuccess(result, 'create_inference rd_tile__tileset');

            const blocks = imageBlocks(result);
            assert.equal(blocks.length, 1, describeResult(result));
            assert.equal(blocks[0].mimeType, 'image/png');
            const png = decodeBase64(blocks[0].data, 'tileset');
            const size = pngSize(png, 'tileset');
            const [image] = result.structuredContent.images;
            assert.equal(image.mime_type, 'image/png');
            assert.equal(image.label, 'generated');
            assert.deepEqual({ width: image.width, height: image.height }, size);
            assert.equal(image.bytes, png.length);
            assert.equal(result.structuredContent.model, 'rd_tile');
            assert.ok(result.structuredContent.balance_cost > 0);

            const posts = inferencePosts(requests);
            assert.equal(posts.length, 1, summarize(requests));
            assert.equal(posts[0].body.prompt_style, 'rd_tile__tileset');
            assert.equal(posts[0].body.width, 32);
            assert.equal(posts[0].body.height, 32);
        });

        it('4. estimates 2 x rd_pro__default 256x256 at 0.36 with check_cost, charging nothing', async () => {
            const balanceBefore = await balanceOf(client);
            const { value: result, requests } = await upstreamRequestsDuring(
                fixture.sim, () => client.callTool(
                    { name: 'estimate_inference_cost',
                      arguments: { prompt: 'a castle on a hill', prompt_style: 'rd_pro__default',
                                   width: 256, height: 256, num_images: 2 } },
                    undefined, GENERATION_OPTIONS));
            assertSuccess(result, 'estimate_inference_cost');
            assert.equal(result.structuredContent.balance_cost, 0.36);
            assert.equal(result.structuredContent.source, 'api_check_cost');
            assert.equal(result.structuredContent.prompt_style, 'rd_pro__default');
            assert.equal(imageBlocks(result).length, 0, 'an estimate returns no images');
            assert.match(resultText(result), /0\.36/);

            const posts = inferencePosts(requests);
            assert.equal(posts.length, 1, summarize(requests));
            assert.equal(posts[0].body.check_cost, true, 'the estimate must be a check_cost dry run');

            const balanceAfter = await balanceOf(client);
            assert.equal(balanceAfter, balanceBefore, 'estimating must not change the balance');
            if (result.structuredContent.remaining_balance !== undefined) {
                assert.equal(result.structuredContent.remaining_balance, balanceBefore);
            }
        });

        it('5. edits the generated PNG, progressively, from base64, a data: URL and a file path', async () => {
            assert.ok(generatedPng, 'step 1 must have produced a PNG to edit');
            const sourceBytes = Buffer.from(generatedPng, 'base64');
            const sourceSize = pngSize(sourceBytes, 'source');

            async function edit(inputImage, prompt, what) {
                const { value: result, requests } = await upstreamRequestsDuring(
                    fixture.sim, () => client.callTool(
                        { name: 'edit_image', arguments: { prompt, input_image: inputImage } },
                        undefined, GENERATION_OPTIONS));
                assertSuccess(result, `edit_image (${what})`);
                const blocks = imageBlocks(result);
                assert.equal(blocks.length, 1, `${what}: ${describeResult(result)}`);
                assert.equal(blocks[0].mimeType, 'image/png', what);
                const output = decodeBase64(blocks[0].data, `${what} output`);
                assert.deepEqual(pngSize(output, `${what} output`), sourceSize, what);
                assert.equal(result.structuredContent.images.length, 1);
                assert.equal(result.structuredContent.images[0].mime_type, 'image/png');
                assert.equal(result.structuredContent.images[0].width, sourceSize.width);
                assert.equal(result.structuredContent.images[0].height, sourceSize.height);

                assert.equal(requests.length, 1, `${what}: ${summarize(requests)}`);
                assert.equal(requests[0].method, 'POST');
                assert.equal(requests[0].path, '/v1/edit');
                assert.equal(requests[0].body.prompt, prompt);
                const sent = requests[0].body.inputImageBase64;
                assert.ok(!String(sent).startsWith('data:'), `${what}: the API got a data: URL`);
                return { result, data: blocks[0].data, sentBytes: decodeBase64(sent, `${what} upload`) };
            }

            const first = await edit(generatedPng, 'add a hat', 'raw base64');
            assert.deepEqual(first.sentBytes, sourceBytes, 'the API must get the PNG as given');

            // Progressive editing: the edited image goes back in with the next instruction.
            const second = await edit(first.data, 'make the hat red', 'progressive');
            assert.deepEqual(second.sentBytes, Buffer.from(first.data, 'base64'),
                             'the second edit must upload the first edit\'s output');
            assert.ok(second.result.structuredContent.remaining_balance <
                      first.result.structuredContent.remaining_balance, 'each edit is charged');

            const viaDataUrl = await edit(`data:image/png;base64,${generatedPng}`, 'add a hat', 'data: URL');
            assert.deepEqual(viaDataUrl.sentBytes, sourceBytes, 'data: URL: the prefix must be stripped');

            const file = path.join(tempDir(), 'input.png');
            writeFileSync(file, sourceBytes);
            const viaFile = await edit(file, 'add a hat', 'file path');
            assert.deepEqual(viaFile.sentBytes, sourceBytes, 'file path: the file\'s bytes must be sent');
        });

        it('6. creates, uses, updates and deletes a user style', async () => {
            assert.ok(generatedPng, 'step 1 must have produced a PNG to use as a reference');
            const { value: created, requests: createRequests } = await upstreamRequestsDuring(
                fixture.sim, () => client.callTool(
                    { name: 'create_user_style',
                      arguments: { name: 'E2E Apples', description: 'shiny fruit',
                                   style_icon: 'sparkles', reference_images: [generatedPng] } },
                    undefined, GENERATION_OPTIONS));
            assertSuccess(created, 'create_user_style');
            const promptStyle = created.structuredContent?.prompt_style;
            assert.match(String(promptStyle), /^user__/, describeResult(created));
            assert.equal(created.structuredContent.name, 'E2E Apples');
            assert.ok(resultText(created).includes(promptStyle), 'the text must name the prompt_style');

            assert.equal(createRequests.length, 1, summarize(createRequests));
            assert.equal(createRequests[0].method, 'POST');
            assert.equal(createRequests[0].path, '/v1/styles');
            assert.equal(createRequests[0].body.name, 'E2E Apples');
            assert.equal(createRequests[0].body.description, 'shiny fruit');
            assert.equal(createRequests[0].body.style_icon, 'sparkles');
            assert.deepEqual(createRequests[0].body.reference_images, [generatedPng]);

            const generate = () => upstreamRequestsDuring(
                fixture.sim, () => client.callTool(
                    { name: 'create_inference',
                      arguments: { prompt: 'a pear', prompt_style: promptStyle, width: 128, height: 128 } },
                    undefined, GENERATION_OPTIONS));

            const { value: used, requests: useRequests } = await generate();
            assertSuccess(used, `create_inference with ${promptStyle}`);
            const blocks = imageBlocks(used);
            assert.equal(blocks.length, 1, describeResult(used));
            assert.equal(blocks[0].mimeType, 'image/png');
            assert.deepEqual(pngSize(decodeBase64(blocks[0].data, 'user style image')),
                             { width: 128, height: 128 });
            assert.equal(used.structuredContent.model, 'rd_pro');
            assert.ok(used.structuredContent.balance_cost > 0);
            const usePosts = inferencePosts(useRequests);
            assert.equal(usePosts.length, 1, summarize(useRequests));
            assert.equal(usePosts[0].body.prompt_style, promptStyle);

            const { value: updated, requests: updateRequests } = await upstreamRequestsDuring(
                fixture.sim, () => client.callTool(
                    { name: 'update_user_style',
                      arguments: { style_id: promptStyle, description: 'shiny fruit, updated' } },
                    undefined, GENERATION_OPTIONS));
            assertSuccess(updated, 'update_user_style');
            assert.equal(updated.structuredContent.description, 'shiny fruit, updated');
            assert.equal(updated.structuredContent.prompt_style, promptStyle);
            assert.equal(updated.structuredContent.name, 'E2E Apples', 'the name stays as it was');
            assert.equal(updateRequests.length, 1, summarize(updateRequests));
            assert.equal(updateRequests[0].method, 'PATCH');
            assert.ok(updateRequests[0].path.startsWith('/v1/styles/'), updateRequests[0].path);
            assert.deepEqual(updateRequests[0].body, { description: 'shiny fruit, updated' });

            const { value: deleted, requests: deleteRequests } = await upstreamRequestsDuring(
                fixture.sim, () => client.callTool(
                    { name: 'delete_user_style', arguments: { style_id: promptStyle } },
                    undefined, GENERATION_OPTIONS));
            assertSuccess(deleted, 'delete_user_style');
            assert.equal(deleted.structuredContent.deleted, true);
            assert.equal(deleteRequests.length, 1, summarize(deleteRequests));
            assert.equal(deleteRequests[0].method, 'DELETE');

            const balanceBefore = await balanceOf(client);
            const { value: gone } = await generate();
            assert.equal(gone.isError, true, `a deleted style must fail: ${describeResult(gone)}`);
            assert.equal(imageBlocks(gone).length, 0);
            assert.ok(resultText(gone).includes(promptStyle), `the error must name the style: ${resultText(gone)}`);
            assert.equal(await balanceOf(client), balanceBefore, 'a failed generation costs nothing');
        });

        it('7. rejects arguments the style cannot take before anything reaches the API', async () => {
            const { value: vfx, requests: vfxRequests } = await upstreamRequestsDuring(
                fixture.sim, () => client.callTool(
                    { name: 'create_inference',
                      arguments: { prompt: 'an explosion', prompt_style: 'rd_animation__vfx',
                                   width: 48, height: 64 } },
                    undefined, GENERATION_OPTIONS));
            assert.equal(vfx.isError, true, `expected isError: ${describeResult(vfx)}`);
            const vfxText = resultText(vfx);
            assert.match(vfxText, /\bwidth\b/);
            assert.match(vfxText, /\bheight\b/);
            assert.match(vfxText, /48x64/, 'the error should quote the size given');
            assert.deepEqual(vfxRequests, [], `nothing may reach the API: ${summarize(vfxRequests)}`);

            // The corrected example is a complete, valid request for the same style and prompt.
            const match = /corrected example:\s*(\{.*\})/i.exec(vfxText);
            assert.ok(match, `no corrected example in: ${vfxText}`);
            const example = JSON.parse(match[1]);
            assert.equal(example.prompt_style, 'rd_animation__vfx');
            assert.equal(example.prompt, 'an explosion');
            assert.equal(example.width, example.height, 'rd_animation__vfx is square');
            const estimate = await client.callTool(
                { name: 'estimate_inference_cost', arguments: example }, undefined, GENERATION_OPTIONS);
            assertSuccess(estimate, `estimate of the corrected example ${match[1]}`);
            assert.equal(estimate.structuredContent.source, 'api_check_cost');

            const { value: variation, requests: variationRequests } = await upstreamRequestsDuring(
                fixture.sim, () => client.callTool(
                    { name: 'create_inference',
                      arguments: { prompt: 'mossy stone', prompt_style: 'rd_tile__tile_variation',
                                   width: 32, height: 32 } },
                    undefined, GENERATION_OPTIONS));
            assert.equal(variation.isError, true, `expected isError: ${describeResult(variation)}`);
            const variationText = resultText(variation);
            assert.match(variationText, /\binput_image\b/);
            const variationExample = /corrected example:\s*(\{.*\})/i.exec(variationText);
            assert.ok(variationExample, `no corrected example in: ${variationText}`);
            const parsed = JSON.parse(variationExample[1]);
            assert.equal(parsed.prompt_style, 'rd_tile__tile_variation');
            assert.ok(parsed.input_image, 'the corrected example must include input_image');
            assert.deepEqual(variationRequests, [],
                             `nothing may reach the API: ${summarize(variationRequests)}`);
        });
    });
});
