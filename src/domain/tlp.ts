/**
 * Traffic Light Protocol 2.0 levels: a decision marks what it confirms, the store keeps the marking,
 * and every reader (API key, partner grant, export) has a ceiling. Vocabulary shared by review (the
 * decision's TLP), the store (published intel, grants) and sharing (every output).
 * @module
 */

/** TLP 2.0 levels, from least to most restricted. */
export const TLP_LEVELS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export type Tlp = (typeof TLP_LEVELS)[number];

export function isTlp(value: string): value is Tlp {
  return (TLP_LEVELS as readonly string[]).includes(value);
}

/** 0 (clear) … 4 (red): stored beside the level so that a ceiling is one comparison in SQL. */
export function tlpRank(level: Tlp): number {
  return TLP_LEVELS.indexOf(level);
}

/** True when something marked `level` may be shown to an audience cleared up to `ceiling`. */
export function tlpAllows(ceiling: Tlp, level: Tlp): boolean {
  return tlpRank(level) <= tlpRank(ceiling);
}

/** The stricter of two levels (a relationship carries the stricter marking of its two ends). */
export function stricterTlp(a: Tlp, b: Tlp): Tlp {
  return tlpRank(a) >= tlpRank(b) ? a : b;
}
