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

export class TokenAutomaton<T> {
  // 16-bit states when they fit: the table is read once per character of every name, and half the
  // size keeps more of it in cache.
  readonly #next: Uint16Array | Int32Array;
  readonly #out: ReadonlyArray<ReadonlyArray<{ len: number; value: T }>>;
  /** Per state, the union of `flagOf` over the tokens ending there (failure links included). */
  readonly #flags: Int32Array;
  // `#out` flattened: state s's outputs are #outLen/#outValue[#outFrom[s], #outFrom[s + 1]).
  readonly #outFrom: Int32Array;
  readonly #outLen: Int32Array;
  readonly #outValue: T[];

  /**
   * @param flagOf optional bit flags per token, so `flags` can answer "does any token of this kind
   *   occur?" in one pass without building match objects (the engine's pre-filter).
   */
  constructor(entries: Iterable<readonly [string, T]>, flagOf: (value: T) => number = () => 1) {
    // Trie first, in a typed table sized for the worst case (one state per character): building it
    // runs at every start of the CLI, and growable arrays made that a third of start-up.
    const list = [...entries];
    let capacity = 1;
    for (const [word] of list) capacity += word.length;
    let next = new Int32Array(capacity * WIDTH).fill(-1);
    type Out = { len: number; value: T }[];
    const NONE: Out = [];
    const out: Out[] = [NONE];
    for (const [word, value] of list) {
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
      if (o === NONE) out[node] = [{ len: word.length, value }];
      else o.push({ len: word.length, value });
    }
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
    this.#next = out.length <= 0xffff ? Uint16Array.from(next) : next.slice();
    this.#out = out;
    this.#flags = new Int32Array(out.length);
    for (let node = 0; node < out.length; node++)
      for (const o of out[node] as { len: number; value: T }[])
        this.#flags[node] = (this.#flags[node] as number) | flagOf(o.value);
    this.#outFrom = new Int32Array(out.length + 1);
    const lens: number[] = [];
    this.#outValue = [];
    for (let node = 0; node < out.length; node++) {
      this.#outFrom[node] = lens.length;
      for (const o of out[node] as { len: number; value: T }[]) {
        lens.push(o.len);
        this.#outValue.push(o.value);
      }
    }
    this.#outFrom[out.length] = lens.length;
    this.#outLen = Int32Array.from(lens);
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
    let node = 0;
    for (let i = 0; i < text.length; i++) {
      node = this.#next[node * WIDTH + symbol(text.charCodeAt(i))] as number;
      const outs = this.#out[node] as ReadonlyArray<{ len: number; value: T }>;
      for (const o of outs) found.push({ start: i + 1 - o.len, end: i + 1, value: o.value });
    }
    return found;
  }

  /** `matches` without match objects: appends each occurrence's value, start and end to the arrays. */
  collect(text: string, values: T[], starts: number[], ends: number[]): void {
    let node = 0;
    for (let i = 0; i < text.length; i++) {
      node = this.#next[node * WIDTH + symbol(text.charCodeAt(i))] as number;
      const outs = this.#out[node] as ReadonlyArray<{ len: number; value: T }>;
      for (let k = 0; k < outs.length; k++) {
        const o = outs[k] as { len: number; value: T };
        values.push(o.value);
        starts.push(i + 1 - o.len);
        ends.push(i + 1);
      }
    }
  }
}
