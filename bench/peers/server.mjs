// The comparison peer for bench/: the RetroDiffusion tools on the official MCP TypeScript SDK
// (@modelcontextprotocol/sdk McpServer, StdioServerTransport, StreamableHTTPServerTransport),
// written the way the SDK's own examples are. It calls the API exactly as retrodiffusion-mcp
// does: the caller's key as X-RD-Token, JSON bodies, keep-alive connections (Node's fetch).
//
//   node server.mjs --transport stdio|http [--port 0] [--host 127.0.0.1]
//                   --upstream-url URL --tools tools.json --catalog catalog.json
//
// tools.json is retrodiffusion-mcp's own tools/list answer and catalog.json its full
// list_available_styles entries (bench/run.py captures both from the binary under test), so the
// peer lists the same tools with the same schemas and serves the same catalog.
// get_balance, list_available_styles and create_inference are implemented; the other tools are
// listed (for an equal tools/list) and answer with a tool error.
// Over HTTP the peer is stateless (a new McpServer and transport per request, as the SDK's
// stateless example does), the key comes from each request's Authorization: Bearer header,
// and it prints `event=listening url=http://HOST:PORT/mcp` on stderr like retrodiffusion-mcp.
// Message limits are retrodiffusion-mcp's defaults: the SDK's own (10 MiB per stdio line, 4 MiB
// per HTTP body) would refuse the 9-reference-image request outright. Over HTTP the body is read
// and parsed here and handed to the transport as parsedBody, as express.json() would.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { parseArgs } from 'node:util';

import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

const { values: options } = parseArgs({
    options: {
        transport: { type: 'string', default: 'stdio' },
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'string', default: '8000' },
        'upstream-url': { type: 'string', default: process.env.RD_API_BASE_URL ?? 'https://api.retrodiffusion.ai' },
        tools: { type: 'string' },
        catalog: { type: 'string' },
    },
});
if (!options.tools || !options.catalog) {
    console.error('peer: --tools FILE and --catalog FILE are required (bench/run.py makes them)');
    process.exit(2);
}
const upstreamUrl = options['upstream-url'].replace(/\/+$/, '');
const toolDefinitions = JSON.parse(readFileSync(options.tools, 'utf8'));
const catalog = JSON.parse(readFileSync(options.catalog, 'utf8')).styles;
const styleById = new Map();
for (const style of catalog) {
    styleById.set(style.prompt_style, style);
    for (const alias of style.aliases ?? []) styleById.set(alias, style);
}

// The JSON Schemas become zod schemas once, at start-up; each per-request McpServer reuses them.
const zodSchemas = new Map(toolDefinitions.map((tool) => [tool.name, {
    input: z.fromJSONSchema(tool.inputSchema),
    output: tool.outputSchema ? z.fromJSONSchema(tool.outputSchema) : undefined,
}]));

// ---------------------------------------------------------------------------------------------
// The upstream, called as retrodiffusion-mcp calls it.

const userAgent = 'retrodiffusion-mcp-peer/0.0.0';
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;  // retrodiffusion-mcp --max-message-bytes
const MAX_BODY_BYTES = 32 * 1024 * 1024;     // retrodiffusion-mcp --max-body-bytes

class UpstreamError extends Error {}

async function upstream(method, path, key, body) {
    if (!key) throw new UpstreamError('No API key: set RD_API_KEY (stdio) or send Authorization: Bearer <key>.');
    const headers = { 'X-RD-Token': key, Accept: 'application/json', 'User-Agent': userAgent };
    const init = { method, headers };
    if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(body);
    }
    let response;
    try {
        response = await fetch(upstreamUrl + path, init);
    } catch (error) {
        throw new UpstreamError(`the RetroDiffusion API could not be reached (${error.message})`);
    }
    const text = await response.text();
    if (!response.ok) throw new UpstreamError(`the API answered ${response.status}: ${text.slice(0, 300)}`);
    try {
        return JSON.parse(text);
    } catch {
        throw new UpstreamError('the API answered with something other than JSON');
    }
}

const toolError = (text) => ({ content: [{ type: 'text', text }], isError: true });

// ---------------------------------------------------------------------------------------------
// The tools.

async function getBalance(key) {
    const answer = await upstream('GET', '/v1/inferences/credits', key);
    if (typeof answer.balance !== 'number') return toolError('Checking the balance failed: no numeric "balance" field.');
    return {
        content: [{ type: 'text', text: `Remaining RetroDiffusion balance: $${answer.balance.toFixed(3)} USD.` }],
        structuredContent: { balance: answer.balance, currency: 'USD' },
    };
}

function listAvailableStyles({ model, kind, query }) {
    const words = (query ?? '').toLowerCase().split(' ').filter(Boolean);
    const styles = catalog.filter((s) => {
        if (model && s.model !== model) return false;
        if (kind && s.kind !== kind) return false;
        const haystack = [s.prompt_style, s.description, s.model, ...(s.aliases ?? [])].join(' ').toLowerCase();
        return words.every((w) => haystack.includes(w));
    });
    const lines = styles.map((s) => `- ${s.prompt_style} [${s.model}, ${s.kind}, ${s.min_width}-${s.max_width} x ` +
        `${s.min_height}-${s.max_height}px, up to ${s.max_images} images, ${s.price}]: ${s.description}`);
    return {
        content: [{ type: 'text', text: `${styles.length} styles:\n${lines.join('\n')}\n` }],
        structuredContent: { count: styles.length, styles },
    };
}

const base64Pattern = /^[A-Za-z0-9+/]*={0,2}$/;

// Raw base64 of a PNG/JPEG/GIF/WEBP image, a data: URL's prefix stripped: what the API takes.
function resolveImage(field, value) {
    let data = value;
    if (data.startsWith('data:')) data = data.slice(data.indexOf(',') + 1);
    if (data.length % 4 !== 0 || !base64Pattern.test(data)) throw new UpstreamError(`field '${field}' is not valid base64`);
    const head = Buffer.from(data.slice(0, 16), 'base64');
    const png = head[0] === 0x89 && head[1] === 0x50 && head[2] === 0x4e && head[3] === 0x47;
    const jpeg = head[0] === 0xff && head[1] === 0xd8;
    const gif = head.subarray(0, 3).toString('latin1') === 'GIF';
    const webp = head.subarray(8, 12).toString('latin1') === 'WEBP';
    if (!png && !jpeg && !gif && !webp) throw new UpstreamError(`field '${field}' is not a PNG/JPEG/GIF/WEBP image`);
    return data;
}

async function createInference(args, key) {
    const body = { ...args, num_images: args.num_images ?? 1 };
    const style = styleById.get(body.prompt_style);
    if (style) {
        body.prompt_style = style.prompt_style;
        const { width, height } = body;
        if (width < style.min_width || width > style.max_width || height < style.min_height ||
            height > style.max_height || (style.square_only && width !== height)) {
            return toolError(`Invalid request for style ${style.prompt_style}: width and height out of range.`);
        }
        if (body.num_images > style.max_images) return toolError('num_images is over the style limit.');
        if ((body.reference_images?.length ?? 0) > style.max_reference_images) {
            return toolError('too many reference_images for this style.');
        }
    }
    try {
        for (const field of ['input_image', 'extra_input_image', 'input_palette']) {
            if (typeof body[field] === 'string') body[field] = resolveImage(field, body[field]);
        }
        if (Array.isArray(body.reference_images)) {
            body.reference_images = body.reference_images.map((v, i) => resolveImage(`reference_images[${i}]`, v));
        }
    } catch (error) {
        return toolError(error.message);
    }
    const answer = await upstream('POST', '/v1/inferences', key, body);
    const images = answer.base64_images ?? [];
    return {
        content: [
            { type: 'text', text: `Generated ${images.length} image(s) with ${body.prompt_style} at ${body.width}x${body.height}.` },
            ...images.map((data) => ({ type: 'image', data, mimeType: 'image/png' })),
        ],
        structuredContent: {
            images: images.map((data, index) => ({ index, label: 'generated', mime_type: 'image/png',
                                                   bytes: Math.floor(data.length * 3 / 4) })),
            inline: true,
            model: answer.model,
            balance_cost: answer.balance_cost,
            remaining_balance: answer.remaining_balance,
            created_at: answer.created_at,
        },
    };
}

const handlers = {
    get_balance: (_args, key) => getBalance(key),
    list_available_styles: (args) => listAvailableStyles(args),
    create_inference: (args, key) => createInference(args, key),
};

// One McpServer with every tool of tools.json. `keyOf(extra)` is where the caller's key comes
// from: the environment over stdio, the request's bearer token over HTTP.
function buildServer(keyOf) {
    const server = new McpServer({ name: 'retrodiffusion-mcp-peer', version: '0.0.0' });
    for (const tool of toolDefinitions) {
        const schemas = zodSchemas.get(tool.name);
        const handler = handlers[tool.name];
        server.registerTool(tool.name, {
            title: tool.title,
            description: tool.description,
            inputSchema: schemas.input,
            outputSchema: schemas.output,
            annotations: tool.annotations,
        }, async (args, extra) => {
            if (!handler) return toolError(`${tool.name} is not implemented by the benchmark peer.`);
            try {
                return await handler(args, keyOf(extra));
            } catch (error) {
                if (error instanceof UpstreamError) return toolError(error.message);
                throw error;
            }
        });
    }
    return server;
}

// ---------------------------------------------------------------------------------------------
// Transports.

// The request body as JSON, refused past MAX_BODY_BYTES (what express.json({limit}) does).
async function readJsonBody(req) {
    const chunks = [];
    let size = 0;
    for await (const chunk of req) {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
            throw Object.assign(new Error(`the body exceeds ${MAX_BODY_BYTES} bytes`), { status: 413 });
        }
        chunks.push(chunk);
    }
    try {
        return JSON.parse(Buffer.concat(chunks, size).toString('utf8'));
    } catch {
        throw Object.assign(new Error('Parse error: the body is not JSON'), { status: 400 });
    }
}

if (options.transport === 'stdio') {
    const server = buildServer(() => process.env.RD_API_KEY);
    await server.connect(new StdioServerTransport(process.stdin, process.stdout,
                                                  { maxBufferSize: MAX_MESSAGE_BYTES }));
} else if (options.transport === 'http') {
    const httpServer = http.createServer(async (req, res) => {
        if (req.url !== '/mcp' && !req.url.startsWith('/mcp?')) {
            res.writeHead(404).end();
            return;
        }
        if (req.method !== 'POST') {
            // Stateless: no GET stream, no DELETE of a session.
            res.writeHead(405, { Allow: 'POST' }).end();
            return;
        }
        const authorization = req.headers.authorization ?? '';
        if (authorization.toLowerCase().startsWith('bearer ')) {
            req.auth = { token: authorization.slice(7).trim(), clientId: 'bearer', scopes: [] };
        }
        let parsedBody;
        try {
            parsedBody = await readJsonBody(req);
        } catch (error) {
            res.writeHead(error.status ?? 400, { 'Content-Type': 'application/json' }).end(JSON.stringify({
                jsonrpc: '2.0', id: null, error: { code: error.status === 413 ? -32600 : -32700, message: error.message } }));
            return;
        }
        const server = buildServer((extra) => extra.authInfo?.token);
        const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
        res.on('close', () => {
            transport.close();
            server.close();
        });
        try {
            await server.connect(transport);
            await transport.handleRequest(req, res, parsedBody);
        } catch (error) {
            if (!res.headersSent) {
                res.writeHead(500, { 'Content-Type': 'application/json' }).end(JSON.stringify({
                    jsonrpc: '2.0', id: null, error: { code: -32603, message: String(error) } }));
            }
        }
    });
    httpServer.listen(Number(options.port), options.host, () => {
        const { address, port } = httpServer.address();
        process.stderr.write(`event=listening url=http://${address}:${port}/mcp\n`);
    });
    const stop = () => httpServer.close(() => process.exit(0));
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
} else {
    console.error(`peer: unknown --transport ${options.transport} (stdio or http)`);
    process.exit(2);
}
