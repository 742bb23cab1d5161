// The JSON file the scenarios read through GOMALL_DATA (scenarios/lib/gomall-data.ts):
// { baseUrl, products, antiBot, buyers: [...] }, the buyers streamed from the run's buyers file (one
// JSON object a line) so that no copy of them is held here.
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { BuyerSet } from './buyers.js';

export interface ScenarioData {
  baseUrl: string;
  products: number[];
  buyers: BuyerSet;
  /** path: the scenarios fetch a one-time token before each buy. */
  antiBot?: 'none' | 'path';
}

export async function writeDataFile(path: string, data: ScenarioData): Promise<string> {
  const head = `{"baseUrl":${JSON.stringify(data.baseUrl)},"products":${JSON.stringify(data.products)},"antiBot":${JSON.stringify(data.antiBot ?? 'none')},"buyers":[`;
  async function* body(lines: AsyncIterable<Buffer>) {
    yield head;
    let pending = '';
    let written = false;
    for await (const chunk of lines) {
      // Lines end in "\n": each but the last becomes "…," before its newline.
      const text = pending + chunk.toString('utf8');
      const cut = text.lastIndexOf('\n');
      if (cut < 0) {
        pending = text;
        continue;
      }
      const complete = text.slice(0, cut);
      pending = text.slice(cut + 1);
      yield `${written ? ',\n' : ''}${complete.replaceAll('\n', ',\n')}`;
      written = true;
    }
    if (pending !== '') yield `${written ? ',\n' : ''}${pending}`;
    yield ']}';
  }
  await pipeline(
    createReadStream(data.buyers.file),
    body,
    createWriteStream(path, { mode: 0o600 }), // holds live tokens
  );
  return path;
}
