/**
 * The IntelPublisher the review service is given: the store publisher with the configured settings
 * and the correlation stage's campaigns (name, explanation, first/last seen, and the e-mail addresses
 * and payment fingerprints among its members, which only a TLP:RED export that asks for them shows).
 * @module
 */
import type { Config } from '../config/config-schema.js';
import { parseEntityKey } from '../domain/index.js';
import type { IntelPublisher } from '../review/intel-port.js';
import { type CampaignFacts, StorePublisher } from '../share/publish.js';
import type { Aggregates } from '../store/store.js';
import { producerOf } from './export-service.js';

export async function campaignFacts(tx: Aggregates, id: string): Promise<CampaignFacts | undefined> {
  const c = await tx.campaigns.get(id);
  if (!c) return undefined;
  const values = (type: string) =>
    c.members
      .map((m) => parseEntityKey(m.key))
      .filter((p) => p?.type === type)
      .map((p) => p?.value as string)
      .sort();
  const emailAddresses = values('email');
  const paymentFingerprints = values('payment');
  return {
    name: c.name,
    description: c.explanation,
    firstSeen: c.firstSeen,
    lastSeen: c.lastSeen,
    ...(emailAddresses.length || paymentFingerprints.length
      ? { personal: { emailAddresses, paymentFingerprints } }
      : {}),
  };
}

export function createIntelPublisher(config: Config, now?: () => Date): IntelPublisher {
  return new StorePublisher({
    settings: {
      producer: producerOf(config),
      indicatorLifetimeDays: config.share.indicatorLifetimeDays,
      confidence: config.share.confidence,
    },
    campaigns: campaignFacts,
    ...(now ? { now } : {}),
  });
}
