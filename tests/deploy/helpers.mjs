// Shared by the deployment-file tests: where the files are, YAML with every document, and the
// environment variables the server knows (from its own --help, so the files cannot drift).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import YAML from 'yaml';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '../..');
export const DEPLOY = path.join(ROOT, 'deploy');

export const HOSTED_URL = 'https://mcp.example.com/mcp';
export const LOCAL_URL = 'http://127.0.0.1:8000/mcp';
export const BINARY_PATH = '/usr/local/bin/retrodiffusion-mcp';
// The container image as a stdio server: `docker run -i --rm -e RD_API_KEY <image> --transport stdio`.
export const IMAGE = 'ghcr.io/retrodiffusion-mcp/retrodiffusion-mcp';
export const CONTAINER_ARGS = ['run', '-i', '--rm', '-e', 'RD_API_KEY', IMAGE, '--transport', 'stdio'];

export function read(relative) {
    return readFileSync(path.join(ROOT, relative), 'utf8');
}

export function exists(relative) {
    return existsSync(path.join(ROOT, relative));
}

// Every document of a YAML file, parsed strictly: a syntax error or a duplicate key fails.
export function yamlDocuments(relative) {
    const documents = YAML.parseAllDocuments(read(relative), { uniqueKeys: true, prettyErrors: true });
    for (const document of documents) {
        if (document.errors.length > 0) {
            throw new Error(`${relative}: ${document.errors.map((e) => e.message).join('; ')}`);
        }
    }
    return documents.map((document) => document.toJS()).filter((value) => value !== null);
}

// Files under a folder of the repository, relative to the root, sorted.
export function filesUnder(relative) {
    const found = [];
    const walk = (dir) => {
        for (const entry of readdirSync(path.join(ROOT, dir)).sort()) {
            const child = path.join(dir, entry);
            if (statSync(path.join(ROOT, child)).isDirectory()) walk(child);
            else found.push(child);
        }
    };
    walk(relative);
    return found;
}

// The server binary under test: RD_MCP_BINARY (ctest sets it), else the default build's.
export function serverBinary() {
    const binary = process.env.RD_MCP_BINARY
        ? path.resolve(process.env.RD_MCP_BINARY)
        : path.join(ROOT, 'build/retrodiffusion-mcp');
    if (!existsSync(binary)) {
        throw new Error(`retrodiffusion-mcp not found at ${binary}: build it or set RD_MCP_BINARY`);
    }
    return binary;
}

// The environment variables the server reads: each option's [RD_...] in --help, and the key.
let knownVariables;
export function serverVariables() {
    if (!knownVariables) {
        const help = execFileSync(serverBinary(), ['--help'], { encoding: 'utf8' });
        knownVariables = new Set([...help.matchAll(/\[(RD_[A-Z0-9_]+)\]/g)].map((m) => m[1]));
        knownVariables.add('RD_API_KEY');
    }
    return knownVariables;
}

// RD_* names written in a text (environment settings in any of the formats).
export function variablesIn(text) {
    return new Set([...text.matchAll(/\b(RD_[A-Z0-9_]+)\b/g)].map((m) => m[1]));
}
