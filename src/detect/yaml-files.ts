/**
 * The YAML files a data path names: every `*.yaml`/`*.yml` of a directory (sorted), or the path itself
 * when it is a file. One rule for every reader of brand profiles and kit rules, and for the build that
 * compiles them (scripts/build-catalogue.mjs), so the file set a compiled digest was made from is the
 * one each reader lists.
 * @module
 */
import { readdirSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export type YamlFiles = { ok: true; files: string[] } | { ok: false; problem: string };

const inDir = (dir: string, names: readonly string[]): string[] =>
  names
    .filter((f) => /\.ya?ml$/i.test(f))
    .sort()
    .map((f) => join(dir, f));

/** The `*.yaml`/`*.yml` files of `dir`, sorted; throws as `readdirSync` does. */
export function yamlFilesIn(dir: string): string[] {
  return inDir(dir, readdirSync(dir));
}

/**
 * A path that cannot be read or yields no file is a problem to report, never an empty list: a mistyped
 * `--kits` path would otherwise switch kit detection off without a word.
 */
export async function yamlFiles(path: string, what: string): Promise<YamlFiles> {
  try {
    if (!(await stat(path)).isDirectory()) return { ok: true, files: [path] };
    const files = inDir(path, await readdir(path));
    if (files.length === 0) return { ok: false, problem: `${what}: no *.yaml file in ${path}` };
    return { ok: true, files };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file or directory' : (e as Error).message;
    return { ok: false, problem: `${what}: cannot read ${path}: ${why}` };
  }
}
