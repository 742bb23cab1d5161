#!/usr/bin/env -S node --import tsx --no-warnings
// Runs the commands from source through tsx (registered by --import above). The
// development mode of oclif would try to register tsx a second time and fall back to
// dist/, so instead it is pointed at the TypeScript folders directly.

import { readFileSync } from 'node:fs';
import { Config, execute, Plugin, settings } from '@oclif/core';

settings.enableAutoTranspile = false;
const root = new URL('..', import.meta.url).pathname;
const pjson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
pjson.oclif = { ...pjson.oclif, commands: './commands', helpClass: './src/cli/help.ts' };
// The root plugin is built here so it can ignore oclif.manifest.json, which describes dist/.
const plugin = new Plugin({ isRoot: true, root, pjson, ignoreManifest: true });
await plugin.load();
const config = await Config.load({ root, pjson, plugins: new Map([[pjson.name, plugin]]) });

await execute({ dir: import.meta.url, loadOptions: config });
