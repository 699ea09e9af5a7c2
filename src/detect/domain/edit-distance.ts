/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transposition) with an early exit, and
 * the naming of a single edit the way permutation engines name them.
 * @module
 */

// Three rolling rows in one reused buffer (labels are short); the transposition step looks two rows back.
const ROW = 256;
const ROWS = new Int32Array(3 * ROW);

/**
 * OSA distance of `a` and `b`, or `max + 1` when it exceeds `max` (as soon as that is certain).
 *
 * Only the band of cells within `max` of the diagonal is computed: a cell further off costs more than
 * `max` to reach, so it is `max + 1` for all that matters here (the cells just outside the band are
 * written as such before they are read, and nothing else outside it is read).
 */
export function osaDistance(a: string, b: string, max: number): number {
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > max) return max + 1;
  if (a === b) return 0;
  if (max <= 0) return max + 1;
  if (m + 2 > ROW) return Math.abs(n - m) + Math.min(n, m) > max ? max + 1 : Math.abs(n - m);
  const big = max + 1;
  const rows = ROWS;
  // Offsets of the rows two back, one back and current; rotated instead of swapping arrays.
  let prev2 = 0;
  let prev = ROW;
  let cur = 2 * ROW;
  for (let j = 0; j <= m; j++) rows[prev + j] = j <= max ? j : big;
  for (let i = 1; i <= n; i++) {
    const lo = Math.max(i - max, 1);
    const hi = Math.min(i + max, m);
    const left = lo === 1 ? (i <= max ? i : big) : big;
    rows[cur + lo - 1] = left;
    let rowMin = left;
    const ca = a.charCodeAt(i - 1);
    const ca2 = i > 1 ? a.charCodeAt(i - 2) : -1;
    for (let j = lo; j <= hi; j++) {
      const cb = b.charCodeAt(j - 1);
      let v = (rows[prev + j] as number) + 1;
      const ins = (rows[cur + j - 1] as number) + 1;
      if (ins < v) v = ins;
      const sub = (rows[prev + j - 1] as number) + (ca === cb ? 0 : 1);
      if (sub < v) v = sub;
      if (j > 1 && ca2 === cb && ca === b.charCodeAt(j - 2)) {
        const tr = (rows[prev2 + j - 2] as number) + 1;
        if (tr < v) v = tr;
      }
      rows[cur + j] = v;
      if (v < rowMin) rowMin = v;
    }
    // The next row reads one cell right of this row's band.
    if (hi < m) rows[cur + hi + 1] = big;
    if (rowMin > max) return big;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  const d = rows[prev + m] as number;
  return d > max ? big : d;
}

export type EditKind =
  | 'omission'
  | 'insertion'
  | 'addition'
  | 'repetition'
  | 'replacement'
  | 'bitsquatting'
  | 'vowel-swap'
  | 'transposition'
  | 'substitution';

const VOWELS = new Set('aeiouy');
// QWERTY neighbours, as typists miss them (dnstwist uses the same idea with several layouts).
const KEYBOARD_ROWS = ['1234567890-', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

function neighbours(): Map<string, Set<string>> {
  const pos = new Map<string, [number, number]>();
  KEYBOARD_ROWS.forEach((row, r) => {
    [...row].forEach((ch, c) => {
      pos.set(ch, [r, c]);
    });
  });
  const out = new Map<string, Set<string>>();
  for (const [ch, [r, c]] of pos) {
    const set = new Set<string>();
    for (const [other, [r2, c2]] of pos)
      if (other !== ch && Math.abs(r - r2) <= 1 && Math.abs(c - c2) <= 1) set.add(other);
    out.set(ch, set);
  }
  return out;
}
const KEY_NEIGHBOURS = neighbours();

/**
 * Names the single edit that turns `token` into `label` (which must be one OSA edit apart).
 * @returns the kind and a short human description of the edit.
 */
export function classifyEdit(token: string, label: string): { kind: EditKind; what: string } {
  let i = 0;
  while (i < token.length && i < label.length && token[i] === label[i]) i++;
  if (label.length === token.length - 1) return { kind: 'omission', what: `'${token[i]}' left out` };
  if (label.length === token.length + 1) {
    const added = label[i] as string;
    if (i === token.length) return { kind: 'addition', what: `'${added}' appended` };
    if (added === token[i] || added === token[i - 1])
      return { kind: 'repetition', what: `'${added}' doubled` };
    return { kind: 'insertion', what: `'${added}' inserted` };
  }
  const from = token[i] as string;
  const to = label[i] as string;
  if (token[i + 1] === to && label[i + 1] === from)
    return { kind: 'transposition', what: `'${from}${to}' swapped to '${to}${from}'` };
  const x = from.charCodeAt(0) ^ to.charCodeAt(0);
  if ((x & (x - 1)) === 0)
    return { kind: 'bitsquatting', what: `'${from}' became '${to}' (one bit flipped)` };
  if (VOWELS.has(from) && VOWELS.has(to))
    return { kind: 'vowel-swap', what: `vowel '${from}' became '${to}'` };
  if (KEY_NEIGHBOURS.get(from)?.has(to))
    return { kind: 'replacement', what: `'${from}' became its keyboard neighbour '${to}'` };
  return { kind: 'substitution', what: `'${from}' became '${to}'` };
}
