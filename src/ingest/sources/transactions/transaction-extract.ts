/**
 * A transaction → its wallets and how they relate: every address becomes `wallet:<chain>:<address>`;
 * the inputs of one UTXO transaction are tied by common-input ownership (`co-spent`, a star from the
 * first input so n inputs cost n − 1 links; not for a CoinJoin, whose inputs have many owners); every sender is linked to every recipient (`paid-to`). The
 * correlate stage's wallet clustering decides what those links mean together (hubs, exchanges).
 * @module
 */
import {
  type EntityKey,
  type Extraction,
  looksLikeCoinJoin,
  type ObservationPayloads,
} from '../../../domain/index.js';
import { DEFAULT_PIVOTS, type PivotModel } from '../../../correlate/pivots.js';
import { toChecksumAddress } from '../../../evidence/wallet-address.js';

type Entity = Extraction['entities'][number];
type LinkOut = Extraction['links'][number];

/** Outputs past this many are not linked to each input (a payout batch would cost inputs × outputs). */
export const MAX_PAID_LINKS = 1000;

export function extractTransaction(
  p: ObservationPayloads['transaction'],
  pivots: PivotModel = DEFAULT_PIVOTS,
): Extraction {
  const key = (a: string) => `wallet:${p.chain}:${a}` as EntityKey;
  const entities = new Map<string, Entity>();
  const add = (a: string) => {
    const k = key(a);
    if (!entities.has(k))
      entities.set(k, {
        key: k,
        type: 'wallet',
        display: p.chain === 'ethereum' ? toChecksumAddress(a.slice(2)) : a,
        attrs: { chain: p.chain },
      });
    return k;
  };
  const inputs = [...new Set(p.from.map((x) => add(x.address)))];
  const outputs = [...new Set(p.to.map((x) => add(x.address)))];
  const links: LinkOut[] = [];
  const coinJoin = looksLikeCoinJoin(
    inputs.length,
    p.to.map((x) => x.amount),
  );
  if (p.chain === 'bitcoin' && !coinJoin)
    for (const k of inputs.slice(1))
      links.push({ from: inputs[0]!, to: k, pivot: 'co-spent', strength: pivots.strength('co-spent') });
  let budget = MAX_PAID_LINKS;
  for (const a of inputs)
    for (const b of outputs) {
      if (a === b || budget-- <= 0) continue;
      links.push({ from: a, to: b, pivot: 'paid-to', strength: pivots.strength('paid-to') });
    }
  return { entities: [...entities.values()], links };
}
