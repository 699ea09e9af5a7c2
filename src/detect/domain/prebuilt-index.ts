/**
 * The brand index's big tables shipped prebuilt: `npm run build` (scripts/build-catalogue.mjs) writes the
 * deletion indexes and the two token automata of the shipped profiles and word lists into
 * `dist/domain-index.bin`, and an engine reads them instead of building them (~0.1 s of CPU, a third of
 * `precursor score`'s start-up before the first name).
 *
 * The file is keyed by a digest of everything the tables are built from — the entries, in order, with
 * their edit budgets and flags, and the code that builds and reads them — computed afresh from the
 * profiles and word lists the engine was given. Other profiles, edited word lists, another fuzzy
 * configuration or changed code give another digest, and the engine builds its tables itself: the
 * prebuilt ones only ever replace identical ones.
 * @module
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrandToken, WordHit } from './brand-index.js';
import { DeletionIndex, type DeletionIndexImage } from './deletion-index.js';
import { packageRoot } from './package-paths.js';
import { TokenAutomaton, type TokenAutomatonImage } from './token-automaton.js';

/** What the tables are built from, in the order they are built. */
export interface IndexInputs {
  readonly tokens: readonly BrandToken[];
  /** Token skeletons → tokens, and each token's automaton flags. */
  readonly brandEntries: readonly (readonly [string, BrandToken])[];
  readonly brandFlags: readonly number[];
  /** Words as written → hits, and each hit's automaton flags. */
  readonly wordEntries: readonly (readonly [string, WordHit])[];
  readonly wordFlags: readonly number[];
  /** The vocabulary words indexed for misspellings (distance 1), in order. */
  readonly vocabularyWords: readonly string[];
  /** The deletion indexes' prefix length. */
  readonly fuzzyPrefix: number;
}

/** The tables. */
export interface IndexParts {
  readonly exact: DeletionIndex<BrandToken>;
  readonly tokenHashes: DeletionIndex<BrandToken>;
  readonly fuzzy: DeletionIndex<BrandToken>;
  readonly vocabularyFuzzy: DeletionIndex<string>;
  readonly brandAutomaton: TokenAutomaton<BrandToken>;
  readonly words: TokenAutomaton<WordHit>;
}

/** Bumped when the file layout changes. */
const FORMAT = 'precursor-domain-index/2';

export const prebuiltIndexPath = (): string => join(packageRoot(), 'dist', 'domain-index.bin');

/** The code the tables depend on: these modules, as this copy of the package has them. */
const CODE = ['brand-index', 'deletion-index', 'token-automaton', 'prebuilt-index'];

/** The digest of the inputs and of the code that builds and reads the tables. */
export function indexDigest(inputs: IndexInputs): string {
  const h = createHash('sha256');
  h.update(`${FORMAT}\0${inputs.fuzzyPrefix}\0`);
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  for (const m of CODE) h.update(readFileSync(fileURLToPath(new URL(`./${m}${ext}`, import.meta.url))));
  // One string per table: updating the hash per entry costs more than joining.
  h.update(
    inputs.tokens.map((t) => `${t.token}\t${t.skeleton}\t${t.maxEdits}\t${t.cls}\t${t.brand.id}`).join('\n'),
  );
  h.update('\0');
  h.update(inputs.brandEntries.map(([k], i) => `${k}\t${inputs.brandFlags[i]}`).join('\n'));
  h.update('\0');
  h.update(inputs.wordEntries.map(([k], i) => `${k}\t${inputs.wordFlags[i]}`).join('\n'));
  h.update('\0');
  h.update(inputs.vocabularyWords.join('\n'));
  return h.digest('hex');
}

interface ArrayEntry {
  readonly name: string;
  readonly type: 'i32' | 'u16' | 'u8';
  readonly offset: number;
  readonly length: number;
}

interface Header {
  readonly format: string;
  readonly digest: string;
  readonly arrays: readonly ArrayEntry[];
  readonly scalars: Readonly<Record<string, number | boolean>>;
}

type Typed = Int32Array | Uint16Array | Uint8Array;

/** Writes the tables of `parts`, built from `inputs`, to `path` (the build's step). */
export function writePrebuiltIndex(inputs: IndexInputs, parts: IndexParts, path = prebuiltIndexPath()): void {
  const arrays = new Map<string, Typed>();
  const scalars: Record<string, number | boolean> = {};
  const tokenAt = new Map(inputs.tokens.map((t, i) => [t, i] as const));
  const wordAt = new Map(inputs.vocabularyWords.map((w, i) => [w, i] as const));
  const deletion = <T>(name: string, idx: DeletionIndex<T>, position: (v: T) => number): void => {
    const { image, values } = idx.image();
    for (const k of ['maxDistance', 'prefixLength', 'byLength', 'size', 'mask', 'filterShift'] as const)
      scalars[`${name}.${k}`] = image[k];
    for (const k of ['keys', 'used', 'start', 'end', 'postings', 'filter'] as const)
      arrays.set(`${name}.${k}`, image[k]);
    arrays.set(`${name}.values`, Int32Array.from(values, position));
  };
  const automaton = (name: string, a: TokenAutomaton<unknown>): void => {
    const image = a.image();
    for (const k of ['next', 'flags', 'outFrom', 'outLen', 'outEntry'] as const)
      arrays.set(`${name}.${k}`, image[k]);
  };
  deletion('exact', parts.exact, (t) => tokenAt.get(t) as number);
  deletion('tokenHashes', parts.tokenHashes, (t) => tokenAt.get(t) as number);
  deletion('fuzzy', parts.fuzzy, (t) => tokenAt.get(t) as number);
  deletion('vocabularyFuzzy', parts.vocabularyFuzzy, (w) => wordAt.get(w) as number);
  automaton('brandAutomaton', parts.brandAutomaton);
  automaton('words', parts.words);

  const entries: ArrayEntry[] = [];
  let offset = 0;
  for (const [name, a] of arrays) {
    const type = a instanceof Int32Array ? 'i32' : a instanceof Uint16Array ? 'u16' : 'u8';
    entries.push({ name, type, offset, length: a.length });
    offset += align8(a.byteLength);
  }
  const header: Header = { format: FORMAT, digest: indexDigest(inputs), arrays: entries, scalars };
  const json = Buffer.from(JSON.stringify(header));
  const bodyStart = align8(8 + json.length);
  const file = Buffer.alloc(bodyStart + offset);
  file.writeUInt32LE(json.length, 0);
  json.copy(file, 8);
  for (const e of entries) {
    const a = arrays.get(e.name) as Typed;
    file.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), bodyStart + e.offset);
  }
  writeFileSync(path, file);
}

/**
 * The prebuilt tables when the file at `path` was built from exactly `inputs` by this code; undefined
 * when it is absent (not built, running from src/), unreadable or built from anything else.
 */
export function readPrebuiltIndex(inputs: IndexInputs, path = prebuiltIndexPath()): IndexParts | undefined {
  let file: Buffer;
  let header: Header;
  try {
    file = readFileSync(path);
    const n = file.readUInt32LE(0);
    header = JSON.parse(file.toString('utf8', 8, 8 + n)) as Header;
    if (header.format !== FORMAT) return undefined;
  } catch {
    return undefined;
  }
  if (header.digest !== indexDigest(inputs)) return undefined;
  const bodyStart = align8(8 + file.readUInt32LE(0));
  // Views on the file's bytes where they are aligned (a file read whole has a buffer of its own), else copies.
  const array = (name: string): Typed => {
    const e = header.arrays.find((a) => a.name === name);
    if (e === undefined) throw new Error(`${path}: no array ${name}`);
    const at = file.byteOffset + bodyStart + e.offset;
    const Type = e.type === 'i32' ? Int32Array : e.type === 'u16' ? Uint16Array : Uint8Array;
    const bytes = file.buffer as ArrayBuffer;
    return at % Type.BYTES_PER_ELEMENT === 0
      ? new Type(bytes, at, e.length)
      : new Type(bytes.slice(at, at + e.length * Type.BYTES_PER_ELEMENT));
  };
  const s = header.scalars;
  const deletion = <T>(name: string, values: readonly T[]): DeletionIndex<T> => {
    const image: DeletionIndexImage = {
      maxDistance: s[`${name}.maxDistance`] as number,
      prefixLength: s[`${name}.prefixLength`] as number,
      byLength: s[`${name}.byLength`] as boolean,
      size: s[`${name}.size`] as number,
      mask: s[`${name}.mask`] as number,
      filterShift: s[`${name}.filterShift`] as number,
      keys: array(`${name}.keys`) as Int32Array,
      used: array(`${name}.used`) as Uint8Array,
      start: array(`${name}.start`) as Int32Array,
      end: array(`${name}.end`) as Int32Array,
      postings: array(`${name}.postings`) as Int32Array,
      filter: array(`${name}.filter`) as Int32Array,
    };
    const positions = array(`${name}.values`) as Int32Array;
    return DeletionIndex.restore(
      image,
      Array.from(positions, (i) => values[i] as T),
    );
  };
  const automaton = <T>(name: string, entries: readonly (readonly [string, T])[]): TokenAutomaton<T> => {
    const image: TokenAutomatonImage = {
      next: array(`${name}.next`) as Uint16Array | Int32Array,
      flags: array(`${name}.flags`) as Int32Array,
      outFrom: array(`${name}.outFrom`) as Int32Array,
      outLen: array(`${name}.outLen`) as Int32Array,
      outEntry: array(`${name}.outEntry`) as Int32Array,
    };
    return TokenAutomaton.restore(
      image,
      entries.map((e) => e[1]),
    );
  };
  return {
    exact: deletion('exact', inputs.tokens),
    tokenHashes: deletion('tokenHashes', inputs.tokens),
    fuzzy: deletion('fuzzy', inputs.tokens),
    vocabularyFuzzy: deletion('vocabularyFuzzy', inputs.vocabularyWords),
    brandAutomaton: automaton('brandAutomaton', inputs.brandEntries),
    words: automaton('words', inputs.wordEntries),
  };
}

const align8 = (n: number): number => (n + 7) & ~7;
