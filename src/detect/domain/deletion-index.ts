/**
 * A deletion-neighbourhood index (the SymSpell idea): every key is stored under each string obtained by
 * deleting up to `d` of its characters. Two strings within edit distance `d` share such a variant, so a
 * query generates its own few variants and looks them up, at a cost that depends on the query's length
 * and not on how many keys (brands) are indexed.
 *
 * Variants are never built as strings: each is a 32-bit polynomial hash computed from prefix hashes in
 * O(1), and the table is keyed by that number. A collision only adds a candidate, and callers verify
 * candidates with a real edit distance, so correctness does not depend on the hash.
 * @module
 */

const P = 0x01000193; // FNV prime: odd, so powers never vanish modulo 2^32

export class DeletionIndex<T> {
  readonly #variants = new Map<number, T[]>();
  readonly #maxDistance: number;
  // Scratch buffers reused across queries (labels are at most 63 characters).
  readonly #prefix = new Int32Array(256);
  readonly #pow = new Int32Array(256);
  // At most 1 + n + n(n-1)/2 variants for n ≤ 255.
  readonly #hashes = new Int32Array(1 + 255 + (255 * 254) / 2);

  /** @param maxDistance the largest distance any key is indexed for (1 or 2). */
  constructor(maxDistance: number) {
    this.#maxDistance = Math.min(2, maxDistance);
    this.#pow[0] = 1;
    for (let i = 1; i < this.#pow.length; i++) this.#pow[i] = Math.imul(this.#pow[i - 1] as number, P);
  }

  /** Indexes `key` for distances up to `distance` (≤ the index's maximum). */
  add(key: string, distance: number, value: T): void {
    const count = this.#variantHashes(key, Math.min(distance, this.#maxDistance));
    for (let k = 0; k < count; k++) {
      const h = this.#hashes[k] as number;
      const list = this.#variants.get(h);
      if (!list) this.#variants.set(h, [value]);
      else if (!list.includes(value)) list.push(value);
    }
  }

  /**
   * Values whose keys may lie within `distance` of `query`: a superset, to be verified by the caller
   * with a real distance.
   */
  candidates(query: string, distance: number, out: Set<T> = new Set()): Set<T> {
    if (query.length >= this.#prefix.length - 1) return out;
    const count = this.#variantHashes(query, Math.min(distance, this.#maxDistance));
    for (let k = 0; k < count; k++) {
      const hit = this.#variants.get(this.#hashes[k] as number);
      if (hit) for (const x of hit) out.add(x);
    }
    return out;
  }

  get size(): number {
    return this.#variants.size;
  }

  /**
   * Writes the hash of `s` and of every string with 1..d characters of `s` deleted into `#hashes`
   * (no closures or strings: this is the hot loop of the engine) and returns how many there are.
   */
  #variantHashes(s: string, d: number): number {
    const n = s.length;
    const pre = this.#prefix;
    const pow = this.#pow;
    const out = this.#hashes;
    pre[0] = 0;
    for (let i = 0; i < n; i++) pre[i + 1] = (Math.imul(pre[i] as number, P) + s.charCodeAt(i)) | 0;
    const whole = pre[n] as number;
    let count = 0;
    out[count++] = whole;
    if (d < 1) return count;
    for (let i = 0; i < n; i++) {
      // Deleting the second of two equal neighbours gives the same variant as deleting the first.
      if (i > 0 && s.charCodeAt(i) === s.charCodeAt(i - 1)) continue;
      // hash(s[i+1, n)) = pre[n] - pre[i+1] * P^(n-i-1)
      const tail = (whole - Math.imul(pre[i + 1] as number, pow[n - i - 1] as number)) | 0;
      out[count++] = (Math.imul(pre[i] as number, pow[n - 1 - i] as number) + tail) | 0;
      if (d < 2) continue;
      for (let j = i + 1; j < n; j++) {
        if (j > i + 1 && s.charCodeAt(j) === s.charCodeAt(j - 1)) continue;
        const mid = ((pre[j] as number) - Math.imul(pre[i + 1] as number, pow[j - i - 1] as number)) | 0;
        const rest = (whole - Math.imul(pre[j + 1] as number, pow[n - j - 1] as number)) | 0;
        out[count++] =
          (Math.imul(pre[i] as number, pow[n - 2 - i] as number) +
            Math.imul(mid, pow[n - 1 - j] as number) +
            rest) |
          0;
      }
    }
    return count;
  }
}
