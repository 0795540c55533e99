// The generation tools end to end, continued (generation_sdk1.test.mjs has the main cases): the
// official SDK 1.x client over stdio saving images to a directory, estimating without a key,
// and receiving links instead of image data over the inline budget, against rd-sim.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, describe, it } from 'node:test';

import {
    KEY_1,
    resultText,
    serverEnv,
} from './helpers.mjs';
import {
    GENERATION_OPTIONS,
    API_INFERENCE_FIELDS,
    pngSize,
    imageBlocks,
    describeResult,
    assertSuccess,
    upstreamRequestsDuring,
    summarize,
    inferencePosts,
    generationFixture,
} from './generation_helpers.mjs';

describe('SDK 1.x client over stdio: generation tools that write files', { timeout: 55_000 }, () => {
    const fixture = generationFixture();
    const { tempDir, launch } = fixture;

    describe('with RD_API_KEY', () => {
        let client;

        before(async () => {
            ({ client } = await launch(serverEnv({ apiKey: KEY_1, baseUrl: fixture.sim.url })));
        });

        it('an output_dir argument saves the images and is not sent to the API', async () => {
            const dir = tempDir();
            const { value: result, requests } = await upstreamRequestsDuring(
                fixture.sim, () => client.callTool(
                    { name: 'create_inference',
                      arguments: { prompt: 'a blue potion', prompt_style: 'rd_fast__default',
                                   width: 64, height: 64, output_dir: dir } },
                    undefined, GENERATION_OPTIONS));
            assertSuccess(result, 'create_inference with output_dir');
            const blocks = imageBlocks(result);
            assert.equal(blocks.length, 1, 'under the budget the image is still inline');
            const [image] = result.structuredContent.images;
            assert.ok(image.path, `no path: ${JSON.stringify(result.structuredContent)}`);
            assert.equal(path.dirname(image.path), dir);
            assert.deepEqual(readFileSync(image.path), Buffer.from(blocks[0].data, 'base64'));

            const posts = inferencePosts(requests);
            assert.equal(posts.length, 1, summarize(requests));
            for (const key of Object.keys(posts[0].body)) {
                assert.ok(API_INFERENCE_FIELDS.has(key), `unexpected field "${key}" sent to the API`);
            }
            assert.ok(!JSON.stringify(posts[0].body).includes(dir), 'the directory leaked upstream');
        });
    });

    describe('without RD_API_KEY', () => {
        it('4b. estimate_inference_cost falls back to the offline formula: 0.36', async () => {
            const { client } = await launch(serverEnv({ baseUrl: fixture.sim.url }));
            const { value: result, requests } = await upstreamRequestsDuring(
                fixture.sim, () => client.callTool(
                    { name: 'estimate_inference_cost',
                      arguments: { prompt: 'a castle on a hill', prompt_style: 'rd_pro__default',
                                   width: 256, height: 256, num_images: 2 } },
                    undefined, GENERATION_OPTIONS));
            assertSuccess(result, 'estimate_inference_cost without a key');
            assert.equal(result.structuredContent.balance_cost, 0.36);
            assert.equal(result.structuredContent.source, 'offline_estimate');
            assert.match(resultText(result), /0\.36/);
            assert.deepEqual(requests, [], `no key: the API must not be called: ${summarize(requests)}`);
        });
    });

    describe('over the inline image budget', () => {
        it('8. saves the images, returns resource links and no image data', async () => {
            const dir = tempDir();
            const { client } = await launch(serverEnv({ apiKey: KEY_1, baseUrl: fixture.sim.url }),
                                            ['--inline-image-budget', '100', '--output-dir', dir]);
            const { value: result, requests } = await upstreamRequestsDuring(
                fixture.sim, () => client.callTool(
                    { name: 'create_inference',
                      arguments: { prompt: 'a treasure chest', prompt_style: 'rd_fast__default',
                                   width: 64, height: 64, num_images: 2, seed: 77 } },
                    undefined, GENERATION_OPTIONS));
            assertSuccess(result, 'create_inference over the budget');

            assert.equal(imageBlocks(result).length, 0, `no image data expected: ${describeResult(result)}`);
            assert.match(resultText(result), /saved/i);
            assert.equal(result.structuredContent.inline, false);
            assert.ok(result.structuredContent.balance_cost > 0);

            const images = result.structuredContent.images;
            assert.equal(images.length, 2, JSON.stringify(images));
            const links = result.content.filter((block) => block.type === 'resource_link');
            assert.equal(links.length, 2, describeResult(result));
            const linkedPaths = links.map((link) => {
                assert.ok(link.uri.startsWith('file://'), link.uri);
                return fileURLToPath(link.uri);
            });
            for (const image of images) {
                assert.equal(image.label, 'generated');
                assert.ok(image.path, `no path: ${JSON.stringify(image)}`);
                assert.ok(path.isAbsolute(image.path), image.path);
                assert.equal(path.dirname(image.path), dir, 'saved in --output-dir');
                assert.ok(existsSync(image.path), `${image.path} does not exist`);
                const bytes = readFileSync(image.path);
                assert.deepEqual(pngSize(bytes, image.path), { width: 64, height: 64 });
                assert.equal(image.bytes, bytes.length);
                assert.ok(linkedPaths.includes(image.path), `no resource_link for ${image.path}`);
            }
            assert.notEqual(images[0].path, images[1].path, 'each image gets its own file');

            const posts = inferencePosts(requests);
            assert.equal(posts.length, 1, summarize(requests));
            for (const key of Object.keys(posts[0].body)) {
                assert.ok(API_INFERENCE_FIELDS.has(key), `unexpected field "${key}" sent to the API`);
            }
        });
    });
});
