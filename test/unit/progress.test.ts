import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { progressLine, withProgress } from '../../src/cli/progress.js';

function stream(isTTY: boolean): { out: NodeJS.WriteStream; text: () => string } {
  const sink = new PassThrough();
  let text = '';
  sink.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { out: Object.assign(sink, { isTTY }) as unknown as NodeJS.WriteStream, text: () => text };
}

test('on a terminal: one line rewritten with a carriage return, erased with spaces, no escape code', async () => {
  const { out, text } = stream(true);
  await withProgress(async (line) => {
    line.update('migrating gomall: 1 of 2, 20261125000000_initial_schema');
  }, out);
  const written = text();
  assert.equal(
    written,
    `\rmigrating gomall: 1 of 2, 20261125000000_initial_schema\r${' '.repeat(55)}\r`,
  );
  assert.ok(!written.includes('\x1b'));
});

test('without a terminal: nothing for work shorter than the line interval', async () => {
  const { out, text } = stream(false);
  const line = progressLine(out);
  line.update('reconciling: 0 of 3 activities checked, now product 1');
  line.clear();
  assert.equal(text(), '');
});
