// Shared plumbing for the end-to-end tests over Streamable HTTP: retrodiffusion-mcp started with
// `--transport http --port 0` (the URL comes from its `event=listening url=...` log line), a
// fetch that records what went over the wire, and one exercise of every tool the server lists,
// so each SDK client calls all of them against the simulated API.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { Buffer } from 'node:buffer';
import http from 'node:http';

import {
    checkAnswerShapes,
    eventually, keepLog, MCP_BINARY, requireBinary, resultText, track, untrack, waitForExit,
} from './helpers.mjs';

// Starts the server over HTTP on a free port; resolves once it printed its listening line.
export async function startHttpServer({ baseUrl, args = [], env = {}, timeoutMs = 10_000 }) {
    requireBinary(MCP_BINARY, 'retrodiffusion-mcp');
    const child = spawn(MCP_BINARY, ['--transport', 'http', '--port', '0', ...args], {
        stdio: ['ignore', 'ignore', 'pipe'],
        // Only what the server needs: a key in the test runner's environment must not leak in.
        // API v1 unless args say --api-version (it wins): the suites assert v1's paths. No
        // spend confirmation unless args say --confirm-above (HTTP has none by default anyway).
        // Output schemas listed, so the SDK clients validate every structuredContent.
        env: { PATH: process.env.PATH, RD_API_BASE_URL: baseUrl, RD_MCP_LOG_LEVEL: 'debug',
               RD_API_VERSION: 'v1', RD_CONFIRM_ABOVE: 'none', RD_MCP_OUTPUT_SCHEMAS: 'true',
               ...env },
    });
    track(child);
    let stderr = '';
    const log = keepLog('http');
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
        stderr = (stderr + chunk).slice(-200_000);
        log(chunk);
    });
    const url = await new Promise((resolve, reject) => {
        // Every way out clears both timers: a live interval would keep the test process running
        // (until ctest's timeout) after a server that died before its listening line.
        let poll;
        const fail = (error) => {
            clearInterval(poll);
            clearTimeout(timer);
            reject(error);
        };
        const timer = setTimeout(() => fail(new Error(`no listening line in ${timeoutMs} ms: ${stderr}`)),
                                 timeoutMs);
        child.once('exit', (code) => fail(new Error(`the server exited with ${code}: ${stderr}`)));
        poll = setInterval(() => {
            const match = /event=listening url=(http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(stderr);
            if (match) {
                clearInterval(poll);
                clearTimeout(timer);
                child.removeAllListeners('exit');
                resolve(match[1]);
            }
        }, 10);
        timer.unref?.();
    });
    return {
        url,
        process: child,
        stderr: () => stderr,
        // A series' value from GET /metrics (summed over the series whose labels contain `labels`).
        async metric(name, labels = '') {
            const text = await httpGet(new URL('/metrics', url).href);
            let sum = 0;
            for (const line of text.split('\n')) {
                if (!line || line.startsWith('#')) continue;
                const space = line.lastIndexOf(' ');
                const series = line.slice(0, space);
                if (series.split('{')[0] !== name || !series.includes(labels)) continue;
                sum += Number(line.slice(space + 1));
            }
            return sum;
        },
        async stop() {
            if (child.exitCode === null && child.signalCode === null) {
                child.kill('SIGTERM');
                if (!(await waitForExit(child, 10_000))) child.kill('SIGKILL');
            }
            untrack(child);
            return child.exitCode;
        },
    };
}

function httpGet(url) {
    return new Promise((resolve, reject) => {
        http.get(url, { agent: false, headers: { connection: 'close' } }, (response) => {
            let body = '';
            response.setEncoding('utf8');
            response.on('data', (chunk) => (body += chunk));
            response.on('end', () => resolve(body));
        }).on('error', reject);
    });
}

// A fetch that keeps the method, headers and JSON body of every request it sends, and the status
// and session header of every answer.
export function recordingFetch() {
    const exchanges = [];
    const recorded = async (url, init = {}) => {
        const headers = new Headers(init.headers);
        let body;
        try {
            body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
        } catch {
            body = init.body;
        }
        const entry = { method: init.method ?? 'GET', headers, body };
        exchanges.push(entry);
        const response = await fetch(url, init);
        entry.status = response.status;
        entry.contentType = response.headers.get('content-type');
        entry.sessionId = response.headers.get('mcp-session-id');
        return response;
    };
    recorded.exchanges = exchanges;
    return recorded;
}

// ---------------------------------------------------------------------------------------------
// Every tool, once, with checks on what came back and on what reached the API.

function images(result) {
    return (result?.content ?? []).filter((block) => block.type === 'image');
}

function describe(result) {
    return JSON.stringify(result, (key, value) =>
        typeof value === 'string' && value.length > 200 ? `${value.slice(0, 40)}...(${value.length})` : value);
}

function ok(result, what) {
    assert.notEqual(result?.isError, true, `${what} failed: ${describe(result)}`);
    return result;
}

function pngSize(base64) {
    const bytes = Buffer.from(base64, 'base64');
    assert.equal(bytes.toString('latin1', 12, 16), 'IHDR', 'not a PNG');
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

// The Low-Poly 3D tools, each once: a model generated, read, revised, animated, re-rigged,
// split, exported, recoloured, and its animation removed, every job polled until it is done.
async function exerciseLowPoly(run, apiVersion) {
    const pricing = ok((await run('get_lowpoly_pricing', {})).result, 'get_lowpoly_pricing');
    assert.ok(Array.isArray(pricing.structuredContent.export_targets), describe(pricing));
    const estimate = ok((await run('estimate_lowpoly_cost', { prompt: 'a red barn', size: 32 })).result,
                        'estimate_lowpoly_cost');
    assert.ok(estimate.structuredContent.cost > 0, describe(estimate));

    const finish = async (started, what) => {
        ok(started.result, what);
        const jobId = started.result.structuredContent.job_id;
        let last;
        const done = await eventually(async () => {
            last = ok((await run('get_lowpoly_job', { job_id: jobId })).result, 'get_lowpoly_job');
            return last.structuredContent.status === 'succeeded';
        }, 15_000, 300);
        assert.ok(done, `${what} never finished: ${describe(last)}`);
        return last;
    };
    const generate = await run('start_lowpoly_generate', { prompt: 'a red barn', size: 32 });
    assert.ok(generate.upstream.some((r) => r.method === 'POST' && r.path === `/${apiVersion}/lowpoly/generate`),
              'the generation reached /lowpoly/generate');
    const generated = await finish(generate, 'start_lowpoly_generate');
    assert.ok(images(generated).length >= 1, `no render: ${describe(generated)}`);
    const asset_id = generate.result.structuredContent.asset_id;

    ok((await run('get_lowpoly_model', { asset_id })).result, 'get_lowpoly_model');
    const listed = ok((await run('list_lowpoly_models', {})).result, 'list_lowpoly_models');
    assert.ok(JSON.stringify(listed.structuredContent).includes(asset_id), describe(listed));

    await finish(await run('start_lowpoly_revise', { asset_id, prompt: 'a blue barn' }), 'start_lowpoly_revise');
    await finish(await run('start_lowpoly_animate', { asset_id, prompt: 'the doors swing', animation: 'swing' }),
                 'start_lowpoly_animate');
    await finish(await run('start_lowpoly_rerig', { asset_id }), 'start_lowpoly_rerig');
    await finish(await run('start_lowpoly_split', { asset_id }), 'start_lowpoly_split');

    const exported = ok((await run('export_lowpoly_model', { asset_id, target: 'godot' })).result,
                        'export_lowpoly_model');
    assert.match(exported.structuredContent.url, /^https?:\/\//, describe(exported));
    ok((await run('recolor_lowpoly_model', { asset_id, tool: 'color_reducer', color_count: 8 })).result,
       'recolor_lowpoly_model');

    const model = ok((await run('get_lowpoly_model', { asset_id })).result, 'get_lowpoly_model');
    const animated = model.structuredContent.model.versions.find((v) => (v.animations ?? []).includes('swing'));
    assert.ok(animated, `no version holds the animation: ${describe(model)}`);
    ok((await run('delete_lowpoly_animation', { asset_id, version: animated.number, animation: 'swing' })).result,
       'delete_lowpoly_animation');
}

// `call(name, args)` calls a tool through the client under test. Returns the names called.
export async function exerciseEveryTool({ call, listTools, sim, key, apiVersion = 'v1' }) {
    const called = new Set();
    const run = async (name, args) => {
        called.add(name);
        const before = (await sim.requests()).length;
        const result = await call(name, args);
        const upstream = (await sim.requests()).slice(before);
        for (const request of upstream) {
            // The public status and edit tool catalog are asked with no key at all; everything
            // else with ours.
            const public_ = request.path.endsWith('/status') ||
                (request.method === 'GET' && request.path.endsWith('/edit/tools'));
            assert.equal(request.token, public_ ? null : key,
                         `${name} reached the API with ${public_ ? 'a key it needs not' : 'another key'}`);
        }
        return { result, upstream };
    };

    const styles = ok((await run('list_available_styles', { kind: 'tileset' })).result, 'list_available_styles');
    assert.ok(styles.structuredContent.count > 0);
    assert.equal(styles.structuredContent.source, 'live', describe(styles));

    const models = ok((await run('list_available_models', {})).result, 'list_available_models');
    assert.ok(models.structuredContent.models.some((m) => m.model === 'rd_pro'));

    const usageRun = await run('get_style_usage', {
        prompt_style: 'rd_pro__default', width: 256, height: 256, num_images: 2,
    });
    const usage = ok(usageRun.result, 'get_style_usage');
    assert.equal(usage.structuredContent.price.balance_cost, 0.36);
    assert.equal(usageRun.upstream.length, 0, 'get_style_usage answers locally');

    const statusRun = await run('get_service_status', {});
    const status = ok(statusRun.result, 'get_service_status');
    assert.equal(typeof status.structuredContent.all_ok, 'boolean');
    assert.ok(statusRun.upstream.some((r) => r.path === `/${apiVersion}/status`));

    const balance = ok((await run('get_balance', {})).result, 'get_balance');
    assert.equal(typeof balance.structuredContent.balance, 'number');

    const generated = await run('create_inference', {
        prompt: 'a red apple', prompt_style: 'rd_fast__default', width: 64, height: 64, seed: 7,
    });
    ok(generated.result, 'create_inference');
    const [png] = images(generated.result);
    assert.ok(png, `no image: ${describe(generated.result)}`);
    assert.deepEqual(pngSize(png.data), { width: 64, height: 64 });
    assert.ok(generated.upstream.some((r) => r.method === 'POST' && r.path === `/${apiVersion}/inferences`));

    const estimate = ok((await run('estimate_inference_cost', {
        prompt: 'a castle', prompt_style: 'rd_pro__default', width: 256, height: 256, num_images: 2,
    })).result, 'estimate_inference_cost');
    assert.equal(estimate.structuredContent.balance_cost, 0.36);

    const edited = await run('edit_image', { prompt: 'add a hat', input_image: png.data });
    ok(edited.result, 'edit_image');
    assert.equal(images(edited.result).length, 1);
    assert.ok(edited.upstream.some((r) => r.path === `/${apiVersion}/edit`));

    const editTools = ok((await run('list_edit_tools', {})).result, 'list_edit_tools');
    assert.ok(editTools.structuredContent.tools.some((tool) => tool.id === 'background_remover'),
              describe(editTools));
    const removeBackground = { tool_id: 'background_remover', input_image: png.data };
    const price = ok((await run('estimate_edit_tool_cost', removeBackground)).result,
                     'estimate_edit_tool_cost');
    assert.equal(price.structuredContent.balance_cost, 0.01);
    const removed = await run('run_edit_tool', removeBackground);
    ok(removed.result, 'run_edit_tool');
    assert.equal(images(removed.result).length, 1);
    assert.ok(removed.upstream.some((r) => r.method === 'POST' &&
                                           r.path === `/${apiVersion}/edit/tools/background_remover`));
    // Pixel Fixer (free): the 64x64 generation comes back at the sim's detected grid (64 / 4).
    const fixed = await run('fix_pixel_art', { input_image: png.data });
    ok(fixed.result, 'fix_pixel_art');
    const [fixedPng] = images(fixed.result);
    assert.ok(fixedPng, `no image: ${describe(fixed.result)}`);
    assert.deepEqual(pngSize(fixedPng.data), { width: 16, height: 16 });
    assert.ok(fixed.upstream.some((r) => r.method === 'POST' && r.path === `/${apiVersion}/pixel-fixer/standard`));
    // extract_palette (free, local): over HTTP the palette files come back as embedded resources.
    const palette = await run('extract_palette', { image: fixedPng.data });
    ok(palette.result, 'extract_palette');
    assert.ok(palette.result.structuredContent.count > 0, describe(palette.result));
    assert.deepEqual(palette.result.content.filter((c) => c.type === 'resource')
                         .map((c) => c.resource.uri.split('.').pop()), ['hex', 'gpl', 'pal']);
    assert.equal(palette.upstream.length, 0, 'extract_palette asks the API nothing');

    // Over HTTP the caller is not on this machine: a file path is refused, not read.
    const path = await call('edit_image', { prompt: 'add a hat', input_image: '/etc/hostname' });
    assert.equal(path.isError, true, `a local path must be refused over HTTP: ${describe(path)}`);

    const style = ok((await run('create_user_style', {
        name: 'HTTP Apples', description: 'shiny', reference_images: [png.data],
    })).result, 'create_user_style');
    const promptStyle = style.structuredContent.prompt_style;
    assert.match(String(promptStyle), /^user__/);
    const updated = ok((await run('update_user_style', { style_id: promptStyle, description: 'shinier' })).result,
                       'update_user_style');
    assert.equal(updated.structuredContent.description, 'shinier');
    const deleted = ok((await run('delete_user_style', { style_id: promptStyle })).result, 'delete_user_style');
    assert.equal(deleted.structuredContent.deleted, true);

    const started = ok((await run('start_inference_job', {
        prompt: 'a blue potion', prompt_style: 'rd_fast__default', width: 64, height: 64,
    })).result, 'start_inference_job');
    const jobId = started.structuredContent.job_id;
    assert.ok(jobId, describe(started));
    let finished;
    const done = await eventually(async () => {
        finished = ok((await run('get_inference_job', { job_id: jobId })).result, 'get_inference_job');
        return finished.structuredContent.done === true;
    }, 15_000, 300);
    assert.ok(done, `the job never finished: ${describe(finished)}`);
    assert.equal(images(finished).length, 1);
    const jobs = ok((await run('list_inference_jobs', {})).result, 'list_inference_jobs');
    assert.ok(jobs.structuredContent.jobs.some((job) => job.job_id === jobId), describe(jobs));
    // A result is recovered by its task id without paying again.
    const recovered = ok((await run('get_inference_result', {
        task_id: started.structuredContent.upstream_task_id,
    })).result, 'get_inference_result');
    assert.equal(recovered.structuredContent.done, true, describe(recovered));
    assert.equal(images(recovered).length, 1);

    await exerciseLowPoly(run, apiVersion);

    // The request's own key (the Authorization header) is the one used: authenticate and logout
    // refuse to replace or remove it, and ask the API nothing.
    for (const [name, args] of [['authenticate', { api_key: 'rdpk-test-key-2' }], ['logout', {}]]) {
        const { result, upstream } = await run(name, args);
        assert.equal(result?.isError, true, `${name} must refuse: ${describe(result)}`);
        assert.match(resultText(result), /Authorization header/);
        assert.equal(upstream.length, 0, `${name} reached the API`);
    }

    await checkAnswerShapes(call, sim, apiVersion);

    // Every tool the server lists was called here: a new tool needs a case above.
    const listed = (await listTools()).map((tool) => tool.name);
    const missing = listed.filter((name) => !called.has(name));
    assert.deepEqual(missing, [], `tools without an HTTP end-to-end case: ${missing.join(', ')}`);
    return called;
}

export { resultText };
