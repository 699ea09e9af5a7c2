/**
 * The sharing model as the store holds it: the latest version of every published indicator and
 * campaign (what every export is built from), read in key order a page at a time.
 * @module
 */
import type { Aggregates } from '../store/store.js';
import type { CampaignSummary, ProducerIdentity, PublishedIndicator, ShareSnapshot } from './model.js';

const PAGE = 5000;

export async function loadShareSnapshot(
  store: Pick<Aggregates, 'intel'>,
  producer: ProducerIdentity,
): Promise<ShareSnapshot> {
  const indicators: PublishedIndicator[] = [];
  const campaigns: CampaignSummary[] = [];
  let afterKey: string | undefined;
  for (;;) {
    const page = await store.intel.latest({ limit: PAGE, ...(afterKey !== undefined ? { afterKey } : {}) });
    for (const r of page) {
      if (r.kind === 'indicator') indicators.push(r.body as unknown as PublishedIndicator);
      else campaigns.push(r.body as unknown as CampaignSummary);
    }
    // Entity keys (`type:value`) and campaign ids (`C-…`) never coincide: paging by key is exact.
    if (page.length < PAGE) break;
    afterKey = page.at(-1)?.key;
  }
  return { producer, indicators, campaigns, sightings: [] };
}
