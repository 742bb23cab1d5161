// The run's targets, from the JSON file `gomall bench` writes before a run and names in
// GOMALL_DATA: { baseUrl, products: [product ids], antiBot, buyers: [{ id, token }] }.
// SharedArray keeps one copy for all VUs (under k6, the file is parsed by the first VU only).
import { SharedArray } from 'k6/data';

export interface Buyer {
  id: number;
  token: string;
}

interface GomallData {
  baseUrl: string;
  products: number[];
  /** "path": each buy needs a one-time token from POST /api/seckill/{id}/token first. */
  antiBot?: 'none' | 'path';
  buyers: Buyer[];
}

let parsed: GomallData | undefined;

function load(): GomallData {
  if (parsed !== undefined) return parsed;
  const file = __ENV.GOMALL_DATA;
  if (!file)
    throw new Error('GOMALL_DATA is not set: it must name the JSON file gomall bench writes');
  const data = JSON.parse(open(file)) as GomallData;
  if (!Array.isArray(data.buyers) || data.buyers.length === 0)
    throw new Error(`${file}: "buyers" is empty`);
  if (!Array.isArray(data.products) || data.products.length === 0)
    throw new Error(`${file}: "products" is empty`);
  parsed = data;
  return data;
}

export const buyers: Buyer[] = new SharedArray<Buyer>('gomall buyers', () => load().buyers);

export const products: number[] = new SharedArray<number>('gomall products', () => load().products);

// BASE_URL overrides the file, e.g. to aim at another instance of the same data.
const fileBaseUrl = new SharedArray<string>('gomall base url', () => [load().baseUrl])[0];
export const baseUrl: string = (__ENV.BASE_URL || fileBaseUrl || '').replace(/\/+$/, '');

/** Whether the sales need an anti-bot token per buy. */
export const antiBot: string = new SharedArray<string>('gomall anti-bot', () => [
  load().antiBot ?? 'none',
])[0] as string;

/** The buyer for the n-th iteration of the test: each buyer once, then round again. */
export function buyerFor(iteration: number): Buyer {
  return buyers[iteration % buyers.length] as Buyer;
}
