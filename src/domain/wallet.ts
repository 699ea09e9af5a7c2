/**
 * Wallet vocabulary shared by ingest (links from transactions) and correlate (wallet clustering).
 * @module
 */

/**
 * Whether a UTXO transaction looks like a CoinJoin: several inputs and several outputs of one equal
 * amount. Common-input ownership does not hold for it (its inputs belong to different people), so
 * neither the `co-spent` links nor wallet clustering use its inputs.
 */
export function looksLikeCoinJoin(
  inputCount: number,
  outputAmounts: readonly string[],
  minEqual = 3,
): boolean {
  if (inputCount < minEqual) return false;
  const counts = new Map<string, number>();
  let best = 0;
  for (const a of outputAmounts) {
    const c = (counts.get(a) ?? 0) + 1;
    counts.set(a, c);
    if (c > best) best = c;
  }
  return best >= minEqual;
}
