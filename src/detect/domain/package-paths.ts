/**
 * Locates files shipped with the package (`data/`, `brands/`) from the module's own location, so the
 * CLI and the engine find them whatever the working directory and whether run from `src/` or `dist/`.
 * @module
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The directory holding the package's `package.json`. */
export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'data'))) {
      root = dir;
      return dir;
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the package root above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

export const dataPath = (...parts: string[]): string => join(packageRoot(), 'data', ...parts);
export const defaultBrandsDir = (): string => join(packageRoot(), 'brands');
