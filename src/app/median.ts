/**
 * The median of a list (the mean of the middle two for an even count); null for an empty one. How the
 * demo and `eval tenants` summarise operators' lead times.
 * @module
 */
export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}
