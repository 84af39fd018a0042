#!/usr/bin/env node
// Writes man/bridgewatch.1 from the commander definitions (run `npm run build` first; `npm run man`).
import { mkdirSync, writeFileSync } from 'node:fs';
import { buildProgram } from '../dist/cli/main.js';
import { renderManPage } from '../dist/cli/manpage.js';

const out = new URL('../man/bridgewatch.1', import.meta.url);
mkdirSync(new URL('../man/', import.meta.url), { recursive: true });
writeFileSync(out, renderManPage(buildProgram()));
process.stdout.write(`wrote ${out.pathname}\n`);
