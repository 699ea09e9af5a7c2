/**
 * The YAML files a data path names: every `*.yaml`/`*.yml` of a directory (sorted), or the path itself
 * when it is a file. A path that cannot be read or yields no file is a problem to report, never an
 * empty list: a mistyped `--kits` path would otherwise switch kit detection off without a word.
 * @module
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export type YamlFiles = { ok: true; files: string[] } | { ok: false; problem: string };

export async function yamlFiles(path: string, what: string): Promise<YamlFiles> {
  try {
    if (!(await stat(path)).isDirectory()) return { ok: true, files: [path] };
    const files = (await readdir(path))
      .filter((f) => /\.ya?ml$/i.test(f))
      .sort()
      .map((f) => join(path, f));
    if (files.length === 0) return { ok: false, problem: `${what}: no *.yaml file in ${path}` };
    return { ok: true, files };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file or directory' : (e as Error).message;
    return { ok: false, problem: `${what}: cannot read ${path}: ${why}` };
  }
}
