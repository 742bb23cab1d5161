// The JSON file the scenarios read through GOMALL_DATA (scenarios/lib/gomall-data.ts).
import { writeFile } from 'node:fs/promises';
import type { Buyer } from './buyers.js';

export interface ScenarioData {
  baseUrl: string;
  products: number[];
  buyers: Buyer[];
}

export async function writeDataFile(path: string, data: ScenarioData): Promise<string> {
  await writeFile(path, JSON.stringify(data), { mode: 0o600 }); // holds live tokens
  return path;
}
