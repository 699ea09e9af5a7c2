/**
 * Files shipped with the package (`data/`, `brands/`), found from this module's location so the stage
 * finds them from `src/` or `dist/` whatever the working directory.
 * @module
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

export function packageFile(...parts: string[]): string {
  if (root === undefined) {
    let dir = dirname(fileURLToPath(import.meta.url));
    while (!(existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'data')))) {
      const up = dirname(dir);
      if (up === dir) throw new Error('cannot find the package root above the correlate module');
      dir = up;
    }
    root = dir;
  }
  return join(root, ...parts);
}
