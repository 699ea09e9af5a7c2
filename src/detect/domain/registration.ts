/**
 * Domain age from enrichment (RDAP `registration` event): new names are where phishing lives, names
 * registered years before they were seen rarely are.
 * @module
 */
import { DOMAIN_SIGNALS as S } from './signal-ids.js';
import type { DomainEngineConfig } from './config.js';
import { type Finding, finding } from './techniques/context.js';

const DAY_MS = 86_400_000;

/** Signals for a registration date against the event time (both ISO 8601); none when either is unusable. */
export function registrationAge(cfg: DomainEngineConfig, registeredAt: string, now: string): Finding[] {
  const reg = Date.parse(registeredAt);
  const at = Date.parse(now);
  if (!Number.isFinite(reg) || !Number.isFinite(at)) return [];
  const days = Math.floor((at - reg) / DAY_MS);
  if (days < 0) return [];
  if (days < cfg.registration.newDays)
    return [
      finding(
        S.newRegistration,
        cfg.weights.newRegistration,
        `registered ${days} day${days === 1 ? '' : 's'} before it was seen (${registeredAt.slice(0, 10)})`,
      ),
    ];
  if (days > cfg.registration.oldDays)
    return [
      finding(
        S.oldRegistration,
        cfg.weights.oldRegistration,
        `registered ${Math.floor(days / 365)} year(s) before it was seen (${registeredAt.slice(0, 10)})`,
      ),
    ];
  return [];
}
