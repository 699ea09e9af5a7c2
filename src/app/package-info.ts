/**
 * The package's own files (brands/, web/, data/, kits/) and version, independent of the working
 * directory and of running from src/ (tsx) or dist/src/ (built).
 * @module
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../detect/domain/package-paths.js';

export const PACKAGE_ROOT = packageRoot();
export const PACKAGE_VERSION: string = (
  JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;
export const packagePath = (...parts: string[]): string => join(PACKAGE_ROOT, ...parts);
