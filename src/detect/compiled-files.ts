/**
 * Data files compiled at build time (scripts/build-catalogue.mjs): the shipped YAML a detector reads,
 * parsed once into JSON under `dist/` with a digest of what it was compiled from. A reader uses the
 * JSON only when the digest of the files on disk, and of its own code, still matches — so an edited,
 * added or removed file, or a changed parser, is always read afresh.
 * @module
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The digest of a file set as the module at `readerUrl` (its `import.meta.url`) reads it: file names
 * (not directories) and contents, and that module's code, so JSON compiled by the built code (dist/)
 * serves only that code — running from src/ after changing the parser never reads its old output.
 */
export function fileSetDigest(readerUrl: string, files: readonly string[], texts: readonly string[]): string {
  const h = createHash('sha256');
  h.update(readFileSync(fileURLToPath(readerUrl)));
  files.forEach((f, i) => {
    h.update(`${basename(f)}\0${texts[i]}\0`);
  });
  return h.digest('hex');
}

/**
 * The compiled JSON at `path` when its `digest` is `digest()`; undefined when it is absent (not built,
 * running from src/), unreadable or stale, and the caller parses the files itself.
 */
export function readCompiled<T extends { readonly digest: string }>(
  path: string,
  digest: () => string,
): T | undefined {
  let compiled: T;
  try {
    compiled = JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
  return compiled.digest === digest() ? compiled : undefined;
}
