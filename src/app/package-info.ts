/**
 * Where the package's own files are (brands/, web/, data/), independent of the working directory and of
 * running from src/ (tsx) or dist/src/ (built).
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('cannot find the Precursor package root');
}

export const PACKAGE_ROOT = findRoot();
export const PACKAGE_VERSION: string = (
  JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;
export const packagePath = (...parts: string[]): string => join(PACKAGE_ROOT, ...parts);
