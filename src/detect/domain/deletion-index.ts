/**
 * A deletion-neighbourhood index (the SymSpell idea): every key is stored under each string obtained by
 * deleting up to `d` of its characters. Two strings within edit distance `d` share such a variant, so a
 * query generates its own few variants and looks them up, at a cost that depends on the query's length
 * and not on how many keys (brands) are indexed.
 *
 * Variants are never built as strings: each is a 32-bit polynomial hash computed from prefix hashes in
 * O(1). A collision only adds a candidate, and callers verify candidates with a real edit distance, so
 * correctness does not depend on the hash.
 *
 * With a prefix length (SymSpell's refinement) only the first characters of keys and queries are
 * expanded: if two strings are within distance `d`, so are their deletion neighbourhoods restricted to
 * the first `p` characters (edits further right cannot break the match, they only let more candidates
 * through). A 12-letter label then costs 29 probes instead of 79 at distance 2.
 *
 * An index built `byLength` also keys each variant by a length the key can be edited to within its
 * distance, and a query by its own whole length: candidates then only come from keys whose length is
 * within their distance of the query's, which any caller verifying a distance would require anyway.
 * Without it, the prefix refinement lets unrelated long labels share a variant with short keys.
 *
 * Queries run once or more per name on the hot path, so the table is compiled into flat typed arrays
 * (open addressing) on first use: a probe is a multiply, a mask and one or two array reads, where a
 * `Map<number, …>` would box every 32-bit hash outside the small-integer range and allocate.
 * @module
 */

const P = 0x01000193; // FNV prime: odd, so powers never vanish modulo 2^32
const MAX_QUERY = 255;

/**
 * A compiled index as plain data (`DeletionIndex.image`, `DeletionIndex.restore`): what the package
 * ships prebuilt (compiled-index.ts), so that start-up reads the table instead of building it.
 */
export interface DeletionIndexImage {
  readonly maxDistance: number;
  readonly prefixLength: number;
  readonly byLength: boolean;
  /** Distinct variant hashes stored. */
  readonly size: number;
  readonly mask: number;
  readonly filterShift: number;
  readonly keys: Int32Array;
  readonly used: Uint8Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly postings: Int32Array;
  readonly filter: Int32Array;
}

export class DeletionIndex<T> {
  readonly #build = new Map<number, number[]>();
  readonly #values: T[] = [];
  readonly #valueIds = new Map<T, number>();
  readonly #maxDistance: number;
  readonly #prefixLength: number;
  readonly #byLength: boolean;
  // Compiled table: slot → hash, slot → [start, end) into #postings. Rebuilt lazily after `add`.
  #mask = 0;
  #keys: Int32Array = new Int32Array(0);
  #used: Uint8Array = new Uint8Array(0);
  #start: Int32Array = new Int32Array(0);
  #end: Int32Array = new Int32Array(0);
  #postings: Int32Array = new Int32Array(0);
  #compiled = false;
  /** Set by `restore`: the table came compiled and takes no more keys. */
  #restored = false;
  #size = 0;
  // About 32 bits per stored hash (a few percent false hits): almost every probe of an ordinary label
  // misses, and a miss is then one read from a table small enough to stay in cache.
  #filter: Int32Array = new Int32Array(1);
  #filterShift = 27;
  // Per-query deduplication without a Set: a value is new when its mark differs from the query stamp.
  #marks = new Int32Array(0);
  #stamp = 0;
  // Scratch buffers reused across queries (labels are at most 63 characters).
  readonly #prefix = new Int32Array(MAX_QUERY + 1);
  readonly #codes = new Uint16Array(MAX_QUERY + 1);
  readonly #pow = new Int32Array(MAX_QUERY + 1);
  readonly #q = new Int32Array(MAX_QUERY + 1);
  // At most 1 + n + n(n-1)/2 variants for n ≤ 255.
  readonly #hashes = new Int32Array(1 + MAX_QUERY + (MAX_QUERY * (MAX_QUERY - 1)) / 2);

  /**
   * @param maxDistance the largest distance any key is indexed for (1 or 2).
   * @param prefixLength how many leading characters of keys and queries are expanded (see above).
   * @param byLength key variants by length too (see above).
   */
  constructor(maxDistance: number, prefixLength = MAX_QUERY, byLength = false) {
    this.#maxDistance = Math.min(2, maxDistance);
    this.#byLength = byLength;
    this.#prefixLength = Math.max(maxDistance + 1, Math.min(MAX_QUERY, prefixLength));
    this.#pow[0] = 1;
    for (let i = 1; i < this.#pow.length; i++) this.#pow[i] = Math.imul(this.#pow[i - 1] as number, P);
  }

  /**
   * The index of `image`, given its values in the order of `image()`'s `values` (the order they were
   * first added in).
   */
  static restore<T>(image: DeletionIndexImage, values: readonly T[]): DeletionIndex<T> {
    const idx = new DeletionIndex<T>(image.maxDistance, image.prefixLength, image.byLength);
    idx.#load(image, values);
    return idx;
  }

  #load(image: DeletionIndexImage, values: readonly T[]): void {
    for (const v of values) {
      this.#valueIds.set(v, this.#values.length);
      this.#values.push(v);
    }
    this.#size = image.size;
    this.#mask = image.mask;
    this.#filterShift = image.filterShift;
    this.#keys = image.keys;
    this.#used = image.used;
    this.#start = image.start;
    this.#end = image.end;
    this.#postings = image.postings;
    this.#filter = image.filter;
    this.#marks = new Int32Array(values.length);
    this.#stamp = 0;
    this.#compiled = true;
    this.#restored = true;
  }

  /** The compiled table (see `DeletionIndexImage`) and the values, in the order `restore` takes them. */
  image(): { readonly image: DeletionIndexImage; readonly values: readonly T[] } {
    if (!this.#compiled) this.#compile();
    return {
      image: {
        maxDistance: this.#maxDistance,
        prefixLength: this.#prefixLength,
        byLength: this.#byLength,
        size: this.size,
        mask: this.#mask,
        filterShift: this.#filterShift,
        keys: this.#keys,
        used: this.#used,
        start: this.#start,
        end: this.#end,
        postings: this.#postings,
        filter: this.#filter,
      },
      values: this.#values,
    };
  }

  /** Indexes `key` for distances up to `distance` (≤ the index's maximum). */
  add(key: string, distance: number, value: T): void {
    if (this.#restored) throw new Error('a restored DeletionIndex takes no more keys');
    let id = this.#valueIds.get(value);
    if (id === undefined) {
      id = this.#values.length;
      this.#values.push(value);
      this.#valueIds.set(value, id);
    }
    const end = Math.min(key.length, this.#prefixLength);
    const d = Math.min(distance, this.#maxDistance);
    // One set of variants per length the key can be edited to (`byLength`), else one unsalted set.
    const salts: number[] = [];
    if (!this.#byLength) salts.push(0);
    else for (let n = Math.max(0, key.length - d); n <= key.length + d; n++) salts.push(this.#salt(n));
    for (const salt of salts) {
      const count = this.#variantHashes(key, 0, end, d, salt);
      for (let k = 0; k < count; k++) {
        const h = this.#hashes[k] as number;
        const list = this.#build.get(h);
        if (!list) this.#build.set(h, [id]);
        else if (!list.includes(id)) list.push(id);
      }
    }
    this.#compiled = false;
  }

  /**
   * Values whose keys may lie within `distance` of `query`: a superset, to be verified by the caller
   * with a real distance.
   */
  candidates(query: string, distance: number, out: Set<T> = new Set()): Set<T> {
    const found: T[] = [];
    this.collect(query, 0, query.length, distance, found);
    for (const x of found) out.add(x);
    return out;
  }

  /**
   * Appends the candidates for `query[start, end)` to `out` (each once) and returns how many were
   * appended: the allocation-free form of `candidates` for the hot path.
   */
  collect(query: string, start: number, end: number, distance: number, out: T[]): number {
    if (end - start >= MAX_QUERY) return 0;
    if (!this.#compiled) this.#compile();
    const stop = Math.min(end, start + this.#prefixLength);
    const salt = this.#salt(end - start);
    const count = this.#variantHashes(query, start, stop, Math.min(distance, this.#maxDistance), salt);
    return this.#gather(count, out);
  }

  /** `collect` over character codes already in a buffer (`codes[from, from + length)`). */
  collectCodes(codes: Uint16Array, length: number, distance: number, out: T[], from = 0): number {
    if (length >= MAX_QUERY) return 0;
    if (!this.#compiled) this.#compile();
    const count = this.#codeVariantHashes(
      from === 0 ? codes : codes.subarray(from),
      Math.min(length, this.#prefixLength),
      Math.min(distance, this.#maxDistance),
      this.#salt(length),
    );
    return this.#gather(count, out);
  }

  #gather(count: number, out: T[]): number {
    const stamp = ++this.#stamp;
    const marks = this.#marks;
    let added = 0;
    for (let k = 0; k < count; k++) {
      const slot = this.#find(this.#hashes[k] as number);
      if (slot < 0) continue;
      for (let p = this.#start[slot] as number, e = this.#end[slot] as number; p < e; p++) {
        const id = this.#postings[p] as number;
        if (marks[id] === stamp) continue;
        marks[id] = stamp;
        out.push(this.#values[id] as T);
        added++;
      }
    }
    return added;
  }

  /** Whether `query[start, end)` has any candidate: the pre-filter form, which stops at the first. */
  hasAny(query: string, start: number, end: number, distance: number): boolean {
    if (end - start >= MAX_QUERY) return false;
    if (!this.#compiled) this.#compile();
    const stop = Math.min(end, start + this.#prefixLength);
    const codes = this.#codes;
    for (let i = start; i < stop; i++) codes[i - start] = query.charCodeAt(i);
    const salt = this.#salt(end - start);
    return this.#anyVariant(codes, 0, stop - start, Math.min(distance, this.#maxDistance), salt);
  }

  /**
   * `hasAny` over character codes already in a buffer (`codes[from, from + length)`), for callers that
   * fold a label into codes and want to reject it before building any string.
   */
  hasAnyCodes(codes: Uint16Array, length: number, distance: number, from = 0): boolean {
    if (length >= MAX_QUERY) return false;
    if (!this.#compiled) this.#compile();
    return this.#anyVariant(
      codes,
      from,
      Math.min(length, this.#prefixLength),
      Math.min(distance, this.#maxDistance),
      this.#salt(length),
    );
  }

  /** What a variant's hash is offset by for a query or key of whole length `n` (0 unless `byLength`). */
  #salt(n: number): number {
    return this.#byLength ? Math.imul(n + 1, 0x27d4eb2f) : 0;
  }

  /**
   * Whether `s[at, at + n)` or a string with 1..d of its characters deleted is stored: the hashes of
   * `#codeVariantHashes`, each tested as soon as it is computed (against the bit filter first), so a
   * query that misses, as most do, writes no hash list and one that hits stops there.
   *
   * The hashes are rearranged so that each costs one addition: with H the polynomial hash and
   * pre[k] = H(s[0, k)), deleting position j leaves Q[j] = pre[j]·P^(n-1-j) + H(s[j+1, n)), and deleting
   * i < j as well leaves C[i] + Q[j] with C[i] = (pre[i] - pre[i+1])·P^(n-2-i) (all modulo 2^32).
   */
  #anyVariant(s: Uint16Array, at: number, n: number, d: number, salt: number): boolean {
    const pre = this.#prefix;
    const pow = this.#pow;
    const q = this.#q;
    const filter = this.#filter;
    const shift = this.#filterShift;
    pre[0] = 0;
    for (let i = 0; i < n; i++) pre[i + 1] = (Math.imul(pre[i] as number, P) + (s[at + i] as number)) | 0;
    const whole = pre[n] as number;
    const h0 = (whole + salt) | 0;
    let bit = Math.imul(h0, 0x9e3779b1) >>> shift;
    if (((filter[bit >>> 5] as number) & (1 << (bit & 31))) !== 0 && this.#find(h0) >= 0) return true;
    if (d < 1) return false;
    for (let j = 0; j < n; j++)
      q[j] =
        (Math.imul(pre[j] as number, pow[n - 1 - j] as number) +
          whole +
          salt -
          Math.imul(pre[j + 1] as number, pow[n - 1 - j] as number)) |
        0;
    for (let i = 0; i < n; i++) {
      // Deleting the second of two equal neighbours gives the same variant as deleting the first.
      if (i > 0 && s[at + i] === s[at + i - 1]) continue;
      const h1 = q[i] as number;
      bit = Math.imul(h1, 0x9e3779b1) >>> shift;
      if (((filter[bit >>> 5] as number) & (1 << (bit & 31))) !== 0 && this.#find(h1) >= 0) return true;
      if (d < 2 || i === n - 1) continue;
      const c = Math.imul(((pre[i] as number) - (pre[i + 1] as number)) | 0, pow[n - 2 - i] as number);
      for (let j = i + 1; j < n; j++) {
        if (j > i + 1 && s[at + j] === s[at + j - 1]) continue;
        const h2 = (c + (q[j] as number)) | 0;
        bit = Math.imul(h2, 0x9e3779b1) >>> shift;
        if (((filter[bit >>> 5] as number) & (1 << (bit & 31))) !== 0 && this.#find(h2) >= 0) return true;
      }
    }
    return false;
  }

  get size(): number {
    return this.#restored ? this.#size : this.#build.size;
  }

  #find(h: number): number {
    const bit = Math.imul(h, 0x9e3779b1) >>> this.#filterShift;
    if (((this.#filter[bit >>> 5] as number) & (1 << (bit & 31))) === 0) return -1;
    const mask = this.#mask;
    const keys = this.#keys;
    const used = this.#used;
    for (let slot = (Math.imul(h, 0x9e3779b1) >>> 0) & mask; ; slot = (slot + 1) & mask) {
      if (used[slot] === 0) return -1;
      if (keys[slot] === h) return slot;
    }
  }

  #compile(): void {
    let capacity = 16;
    while (capacity < this.#build.size * 2) capacity *= 2;
    this.#mask = capacity - 1;
    this.#keys = new Int32Array(capacity);
    this.#used = new Uint8Array(capacity);
    this.#start = new Int32Array(capacity);
    this.#end = new Int32Array(capacity);
    let total = 0;
    for (const ids of this.#build.values()) total += ids.length;
    this.#postings = new Int32Array(total);
    let at = 0;
    let bits = 10;
    while (bits < 22 && 1 << bits < this.#build.size * 32) bits++;
    this.#filterShift = 32 - bits;
    this.#filter = new Int32Array((1 << bits) >>> 5);
    for (const [h, ids] of this.#build) {
      const bit = Math.imul(h, 0x9e3779b1) >>> this.#filterShift;
      this.#filter[bit >>> 5] = (this.#filter[bit >>> 5] as number) | (1 << (bit & 31));
      let slot = (Math.imul(h, 0x9e3779b1) >>> 0) & this.#mask;
      while (this.#used[slot] !== 0) slot = (slot + 1) & this.#mask;
      this.#used[slot] = 1;
      this.#keys[slot] = h;
      this.#start[slot] = at;
      for (const id of ids) this.#postings[at++] = id;
      this.#end[slot] = at;
    }
    this.#marks = new Int32Array(this.#values.length);
    this.#stamp = 0;
    this.#compiled = true;
  }

  /**
   * Writes the hash of `s[from, to)` and of every string with 1..d of its characters deleted into
   * `#hashes` (no closures or strings: this is the hot loop of the engine) and returns how many there are.
   */
  #variantHashes(s: string, from: number, to: number, d: number, salt: number): number {
    const codes = this.#codes;
    for (let i = from; i < to; i++) codes[i - from] = s.charCodeAt(i);
    return this.#codeVariantHashes(codes, to - from, d, salt);
  }

  /** `salt` is added to every hash (`#salt`). */
  #codeVariantHashes(s: Uint16Array, n: number, d: number, salt: number): number {
    const pre = this.#prefix;
    const pow = this.#pow;
    const out = this.#hashes;
    pre[0] = 0;
    for (let i = 0; i < n; i++) pre[i + 1] = (Math.imul(pre[i] as number, P) + (s[i] as number)) | 0;
    const whole = pre[n] as number;
    let count = 0;
    out[count++] = (whole + salt) | 0;
    if (d < 1) return count;
    for (let i = 0; i < n; i++) {
      // Deleting the second of two equal neighbours gives the same variant as deleting the first.
      if (i > 0 && s[i] === s[i - 1]) continue;
      // hash(s[i+1, n)) = pre[n] - pre[i+1] * P^(n-i-1)
      const tail = (whole - Math.imul(pre[i + 1] as number, pow[n - i - 1] as number)) | 0;
      out[count++] = (Math.imul(pre[i] as number, pow[n - 1 - i] as number) + tail + salt) | 0;
      if (d < 2) continue;
      for (let j = i + 1; j < n; j++) {
        if (j > i + 1 && s[j] === s[j - 1]) continue;
        const mid = ((pre[j] as number) - Math.imul(pre[i + 1] as number, pow[j - i - 1] as number)) | 0;
        const rest = (whole - Math.imul(pre[j + 1] as number, pow[n - j - 1] as number)) | 0;
        out[count++] =
          (Math.imul(pre[i] as number, pow[n - 2 - i] as number) +
            Math.imul(mid, pow[n - 1 - j] as number) +
            rest +
            salt) |
          0;
      }
    }
    return count;
  }
}
