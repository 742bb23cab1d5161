import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * The folder holding package.json. The same code runs from src/ (tsx) and dist/src/
 * (built), so conf/ and lua/ are found by walking up rather than by a fixed relative path.
 */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('gomall: package.json not found above ' + import.meta.url);
    dir = parent;
  }
  root = dir;
  return dir;
}
