/**
 * An Aho–Corasick automaton over the host-name alphabet: finds every occurrence of every token in one
 * pass over a label, whatever the number of tokens. Written here rather than taken from npm because the
 * maintained packages are generic (string keys, callbacks per character) and the alphabet of a DNS label
 * is 38 symbols, which allows a dense transition table: one array read per character.
 * @module
 */

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789-_';
const OTHER = ALPHABET.length; // any character outside the alphabet (unmapped Unicode)
const WIDTH = ALPHABET.length + 1;
const CODE = new Int8Array(128).fill(OTHER);
for (let i = 0; i < ALPHABET.length; i++) CODE[ALPHABET.charCodeAt(i)] = i;

const symbol = (c: number): number => (c < 128 ? (CODE[c] as number) : OTHER);

export interface AutomatonMatch<T> {
  /** Start offset in the searched string. */
  readonly start: number;
  /** End offset (exclusive). */
  readonly end: number;
  readonly value: T;
}

/**
 * A built automaton as plain arrays (`TokenAutomaton.image`, `TokenAutomaton.restore`): what the package
 * ships prebuilt (compiled-index.ts), so that start-up reads the tables instead of building them.
 * Outputs name their tokens by position in the entry list the automaton was built from.
 */
export interface TokenAutomatonImage {
  readonly next: Uint16Array | Int32Array;
  readonly flags: Int32Array;
  readonly outFrom: Int32Array;
  readonly outLen: Int32Array;
  /** Per output, the position of its entry in the list the automaton was built from. */
  readonly outEntry: Int32Array;
}

/** What `TokenAutomaton.restore` hands its constructor. */
class Restored<T> {
  constructor(
    readonly image: TokenAutomatonImage,
    readonly values: readonly T[],
  ) {}
}

export class TokenAutomaton<T> {
  // 16-bit states when they fit: the table is read once per character of every name, and half the
  // size keeps more of it in cache.
  readonly #next: Uint16Array | Int32Array;
  /** Per state, the union of `flagOf` over the tokens ending there (failure links included). */
  readonly #flags: Int32Array;
  // State s's outputs (its own tokens, then those along its failure links) are
  // #outLen/#outValue[#outFrom[s], #outFrom[s + 1]).
  readonly #outFrom: Int32Array;
  readonly #outLen: Int32Array;
  readonly #outValue: T[];
  /** Per output, the position of its entry in the list the automaton was built from (`image`). */
  readonly #outEntry: Int32Array;

  /** The automaton of `image`, given the values of the entries it was built from, in their order. */
  static restore<T>(image: TokenAutomatonImage, values: readonly T[]): TokenAutomaton<T> {
    return new TokenAutomaton<T>(new Restored(image, values));
  }

  /**
   * @param flagOf optional bit flags per token, so `flags` can answer "does any token of this kind
   *   occur?" in one pass without building match objects (the engine's pre-filter).
   */
  constructor(entries: Iterable<readonly [string, T]> | Restored<T>, flagOf: (value: T) => number = () => 1) {
    let values: readonly T[];
    let image: TokenAutomatonImage;
    if (entries instanceof Restored) {
      image = entries.image;
      values = entries.values;
    } else {
      const list = [...entries];
      values = list.map((e) => e[1]);
      image = build(list, flagOf);
    }
    this.#next = image.next;
    this.#flags = image.flags;
    this.#outFrom = image.outFrom;
    this.#outLen = image.outLen;
    this.#outEntry = image.outEntry;
    this.#outValue = Array.from(image.outEntry, (i) => values[i] as T);
  }

  /** The tables as plain arrays (see `TokenAutomatonImage`). */
  image(): TokenAutomatonImage {
    return {
      next: this.#next,
      flags: this.#flags,
      outFrom: this.#outFrom,
      outLen: this.#outLen,
      outEntry: this.#outEntry,
    };
  }

  /**
   * `matches` into caller-owned buffers: occurrence k is `values[k]` at `[starts[k], ends[k])`. Writes
   * at most `starts.length` occurrences and returns how many there are in all (the caller grows its
   * buffers and scans again when that is more).
   */
  scan(text: string, starts: Int32Array, ends: Int32Array, values: T[]): number {
    const next = this.#next;
    const from = this.#outFrom;
    const lens = this.#outLen;
    const outValues = this.#outValue;
    const capacity = starts.length;
    let node = 0;
    let count = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      node = next[node * WIDTH + (c < 128 ? (CODE[c] as number) : OTHER)] as number;
      for (let k = from[node] as number, e = from[node + 1] as number; k < e; k++) {
        if (count < capacity) {
          starts[count] = i + 1 - (lens[k] as number);
          ends[count] = i + 1;
          values[count] = outValues[k] as T;
        }
        count++;
      }
    }
    return count;
  }

  /** The union of the flags of every token occurring in `text`; 0 when none occurs. */
  flags(text: string): number {
    const next = this.#next;
    const flags = this.#flags;
    let node = 0;
    let acc = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      node = next[node * WIDTH + (c < 128 ? (CODE[c] as number) : OTHER)] as number;
      acc |= flags[node] as number;
    }
    return acc;
  }

  /** `flags` over character codes in a buffer (`codes[0, length)`), for text that exists only as codes. */
  flagsOfCodes(codes: Uint16Array, length: number): number {
    const next = this.#next;
    const flags = this.#flags;
    let node = 0;
    let acc = 0;
    for (let i = 0; i < length; i++) {
      const c = codes[i] as number;
      node = next[node * WIDTH + (c < 128 ? (CODE[c] as number) : OTHER)] as number;
      acc |= flags[node] as number;
    }
    return acc;
  }

  /** Every occurrence of every token in `text`, in order of end offset. */
  matches(text: string): AutomatonMatch<T>[] {
    const found: AutomatonMatch<T>[] = [];
    const from = this.#outFrom;
    let node = 0;
    for (let i = 0; i < text.length; i++) {
      node = this.#next[node * WIDTH + symbol(text.charCodeAt(i))] as number;
      for (let k = from[node] as number, e = from[node + 1] as number; k < e; k++)
        found.push({ start: i + 1 - (this.#outLen[k] as number), end: i + 1, value: this.#outValue[k] as T });
    }
    return found;
  }

  /** `matches` without match objects: appends each occurrence's value, start and end to the arrays. */
  collect(text: string, values: T[], starts: number[], ends: number[]): void {
    const from = this.#outFrom;
    let node = 0;
    for (let i = 0; i < text.length; i++) {
      node = this.#next[node * WIDTH + symbol(text.charCodeAt(i))] as number;
      for (let k = from[node] as number, e = from[node + 1] as number; k < e; k++) {
        values.push(this.#outValue[k] as T);
        starts.push(i + 1 - (this.#outLen[k] as number));
        ends.push(i + 1);
      }
    }
  }
}

/** Builds the tables of an automaton over `list` (outputs name entries by position). */
function build<T>(
  list: readonly (readonly [string, T])[],
  flagOf: (value: T) => number,
): TokenAutomatonImage {
  // Trie first, in a typed table sized for the worst case (one state per character): building it
  // runs at every start of the CLI when no prebuilt image serves, and growable arrays made that a
  // third of start-up. Outputs are entry positions.
  let capacity = 1;
  for (const [word] of list) capacity += word.length;
  let next = new Int32Array(capacity * WIDTH).fill(-1);
  type Out = { len: number; entry: number }[];
  const NONE: Out = [];
  const out: Out[] = [NONE];
  list.forEach(([word], entry) => {
    let node = 0;
    for (let i = 0; i < word.length; i++) {
      const s = symbol(word.charCodeAt(i));
      let child = next[node * WIDTH + s] as number;
      if (child < 0) {
        child = out.length;
        out.push(NONE);
        next[node * WIDTH + s] = child;
      }
      node = child;
    }
    const o = out[node] as Out;
    if (o === NONE) out[node] = [{ len: word.length, entry }];
    else o.push({ len: word.length, entry });
  });
  next = next.subarray(0, out.length * WIDTH);
  // Breadth-first: fill missing transitions from the failure state, merge outputs along failure links.
  const fail = new Int32Array(out.length);
  const queue = new Int32Array(out.length);
  let tail = 0;
  for (let s = 0; s < WIDTH; s++) {
    const child = next[s] as number;
    if (child < 0) next[s] = 0;
    else queue[tail++] = child;
  }
  for (let qi = 0; qi < tail; qi++) {
    const node = queue[qi] as number;
    const f = fail[node] as number;
    const fo = out[f] as Out;
    if (fo.length > 0) {
      const own = out[node] as Out;
      out[node] = own === NONE ? [...fo] : own.concat(fo);
    }
    const row = node * WIDTH;
    const frow = f * WIDTH;
    for (let s = 0; s < WIDTH; s++) {
      const child = next[row + s] as number;
      if (child < 0) next[row + s] = next[frow + s] as number;
      else {
        fail[child] = next[frow + s] as number;
        queue[tail++] = child;
      }
    }
  }
  const flags = new Int32Array(out.length);
  const outFrom = new Int32Array(out.length + 1);
  const lens: number[] = [];
  const entries: number[] = [];
  for (let node = 0; node < out.length; node++) {
    outFrom[node] = lens.length;
    for (const o of out[node] as Out) {
      flags[node] = (flags[node] as number) | flagOf((list[o.entry] as readonly [string, T])[1]);
      lens.push(o.len);
      entries.push(o.entry);
    }
  }
  outFrom[out.length] = lens.length;
  return {
    next: out.length <= 0xffff ? Uint16Array.from(next) : next.slice(),
    flags,
    outFrom,
    outLen: Int32Array.from(lens),
    outEntry: Int32Array.from(entries),
  };
}
