#!/usr/bin/env node
// Writes oclif.manifest.json after a build. Without it oclif imports every command module
// at start-up to learn their flags; with it only the command being run is imported. That
// keeps `gomall --help` quick and lets `serve`/`consume` start tracing before express,
// ioredis, mysql2 and amqplib are loaded (instrumentation patches them as they load).
import { writeFileSync } from 'node:fs';
import { Plugin } from '@oclif/core';

const root = new URL('..', import.meta.url).pathname;
// A Plugin of its own: Config.load would read the previous manifest instead of the commands.
const plugin = new Plugin({
  isRoot: true,
  root,
  ignoreManifest: true,
  errorOnManifestCreate: true,
});
await plugin.load();
writeFileSync(
  new URL('../oclif.manifest.json', import.meta.url),
  JSON.stringify(plugin.manifest, null, 2) + '\n',
);
console.log(`oclif.manifest.json: ${Object.keys(plugin.manifest.commands).length} commands`);
