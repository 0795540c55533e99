// Writes the bundle's manifest.json from manifest.template.json and the server itself: it starts
// the binary exactly as the manifest's mcp_config says, speaks MCP over stdio (initialize,
// tools/list, prompts/list, prompts/get) and lists every tool and prompt the server offers, so
// the manifest never drifts from the binary it carries. Node's standard library only.
//
//   node make-manifest.mjs --template T --binary B --version V --system "Debian 12" \
//       --libraries "libgif.so.7 (libgif7), ..." --out manifest.json
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { startStdioServer } from './mcp_stdio.mjs';

const { values: options } = parseArgs({
    options: {
        template: { type: 'string' },
        binary: { type: 'string' },
        version: { type: 'string' },
        system: { type: 'string' },
        libraries: { type: 'string' },
        out: { type: 'string' },
    },
});
for (const name of ['template', 'binary', 'version', 'system', 'libraries', 'out']) {
    if (!options[name]) fail(`--${name} is required`);
}

function fail(message) {
    console.error(`make-manifest: ${message}`);
    process.exit(1);
}

// The first sentence of a description: what a desktop app shows beside the name.
function firstSentence(text) {
    const flat = text.replace(/\s+/g, ' ').trim();
    const match = /^(.+?[.!?])(?=\s+[A-Z`"(]|$)/.exec(flat);
    return match ? match[1] : flat;
}

// A prompt's text for the manifest: the server's own rendering, with each required argument
// given as the ${arguments.NAME} placeholder the manifest format uses, the others left out.
async function promptText(server, prompt) {
    const args = {};
    for (const argument of prompt.arguments ?? []) {
        if (argument.required) args[argument.name] = `\${arguments.${argument.name}}`;
    }
    const result = await server.request('prompts/get', { name: prompt.name, arguments: args });
    const texts = result.messages
        .filter((message) => message.content?.type === 'text')
        .map((message) => message.content.text);
    if (texts.length === 0) fail(`prompt ${prompt.name} has no text message`);
    return texts.join('\n\n');
}

const template = readFileSync(options.template, 'utf8');
const manifest = JSON.parse(template);
for (const [field, placeholder] of [['version', '@VERSION@'], ['tools', '@TOOLS@'], ['prompts', '@PROMPTS@']]) {
    if (manifest[field] !== placeholder) fail(`${options.template}: ${field} must be "${placeholder}"`);
}
for (const placeholder of ['@SYSTEM@', '@LIBRARIES@']) {
    if (!manifest.long_description.includes(placeholder)) {
        fail(`${options.template}: long_description must name ${placeholder}`);
    }
}

// The binary must be the version it is packed as.
const printed = execFileSync(options.binary, ['--version'], { encoding: 'utf8' }).trim();
if (!printed.split(/\s+/).includes(options.version)) {
    fail(`${options.binary} --version prints "${printed}", not version ${options.version}`);
}

// Started as the bundle starts it, with nothing from this shell's environment but PATH, so an
// RD_MCP_TOOLSETS or RD_API_KEY set here changes nothing.
const server = startStdioServer(options.binary, manifest.server.mcp_config.args, { PATH: process.env.PATH });
let tools, prompts;
try {
    const init = await server.handshake({ name: 'retrodiffusion-mcp-make-manifest', version: options.version });
    if (init.serverInfo?.version !== options.version) {
        fail(`the server says it is version ${init.serverInfo?.version}, not ${options.version}`);
    }
    tools = await server.listAll('tools/list', 'tools');
    const offered = init.capabilities?.prompts ? await server.listAll('prompts/list', 'prompts') : [];
    prompts = [];
    for (const prompt of offered) {
        prompts.push({
            name: prompt.name,
            description: firstSentence(prompt.description ?? prompt.title ?? prompt.name),
            arguments: (prompt.arguments ?? []).map((argument) => argument.name),
            text: await promptText(server, prompt),
        });
    }
} finally {
    const status = await server.close();
    if (status.code !== 0) fail(`the server exited with ${status.signal ?? status.code} when stdin closed`);
}
if (tools.length === 0) fail('the server offers no tools');

manifest.version = options.version;
manifest.long_description = manifest.long_description
    .replaceAll('@SYSTEM@', options.system)
    .replaceAll('@LIBRARIES@', options.libraries);
manifest.tools = tools.map((tool) => ({
    name: tool.name,
    description: firstSentence(tool.description ?? tool.title ?? tool.name),
}));
manifest.prompts = prompts;
writeFileSync(options.out, JSON.stringify(manifest, null, 2) + '\n');
console.log(`make-manifest: ${manifest.tools.length} tools, ${manifest.prompts.length} prompts, version ${manifest.version}`);
