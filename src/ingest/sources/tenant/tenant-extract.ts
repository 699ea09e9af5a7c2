/**
 * Tenant events → the account and what it shares with others: one `account:<provider>/<id>` entity,
 * one entity per identity attribute (mailbox, payment fingerprint, wallet, device, IP, hosting ASN) with
 * a typed link whose strength the pivot model gives for the value's class, and the domains and URLs it
 * attaches or deploys. Accounts on different providers meet at the shared attribute entities, which is
 * what links one operator across clouds. The identity configuration and the pivot model are the
 * configured ones (the same the tenant detectors use), so keys and strengths agree with them.
 * @module
 */
import type { EntityKey, Extraction } from '../../../domain/index.js';
import {
  accountKey,
  DEFAULT_IDENTITY_CONFIG,
  type IdentityConfig,
  identityAttributes,
  normaliseEmail,
} from '../../../correlate/identity/identity.js';
import { DEFAULT_PIVOTS, type PivotModel } from '../../../correlate/pivots.js';
import { parseTenantEvent } from './tenant-schema.js';
import type { TenantEvent } from '../../../domain/index.js';

type Entity = Extraction['entities'][number];
type LinkOut = { -readonly [K in keyof Extraction['links'][number]]: Extraction['links'][number][K] };

function accountEntity(e: TenantEvent, config: IdentityConfig): Entity {
  const attrs: Record<string, unknown> = { provider: e.provider, accountId: e.account_id };
  switch (e.type) {
    case 'account.created': {
      const mail = normaliseEmail(e.email, config);
      attrs.createdAt = e.ts;
      if (mail) attrs.emailClass = mail.domainClass;
      if (e.country !== undefined) attrs.country = e.country;
      break;
    }
    case 'account.closed':
      attrs.closedAt = e.ts;
      break;
    case 'payment.method_added':
      attrs.lastPaymentMethod = e.method;
      break;
    case 'deployment.created':
      attrs.lastDeploymentAt = e.ts;
      break;
    default:
      break;
  }
  return {
    key: accountKey(e.provider, e.account_id),
    type: 'account',
    display: `${e.provider}/${e.account_id}`,
    attrs,
  };
}

/** Pure: what one validated tenant event says about the world. */
export function extractValidTenantEvent(
  e: TenantEvent,
  config: IdentityConfig = DEFAULT_IDENTITY_CONFIG,
  pivots: PivotModel = DEFAULT_PIVOTS,
): Extraction {
  const account = accountEntity(e, config);
  const entities: Entity[] = [account];
  const links: LinkOut[] = [];
  for (const a of identityAttributes(e, config, pivots)) {
    entities.push({ key: a.key, type: a.type, display: a.display });
    links.push({ from: account.key, to: a.key, pivot: a.pivot, strength: a.strength });
  }
  const domains =
    e.type === 'domain.attached' ? [e.domain] : e.type === 'deployment.created' ? (e.domains ?? []) : [];
  for (const d of domains) {
    const key = `domain:${d}` as EntityKey;
    entities.push({ key, type: 'domain', display: d, attrs: { attachedBy: account.key } });
    const pivot = e.type === 'domain.attached' ? 'attached-by' : 'deployed-by';
    links.push({ from: key, to: account.key, pivot, strength: pivots.strength(pivot) });
  }
  if (e.type === 'deployment.created' && e.url !== undefined) {
    const key = `url:${e.url}` as EntityKey;
    entities.push({ key, type: 'url', display: e.url, attrs: { deployment: e.kind } });
    links.push({
      from: key,
      to: account.key,
      pivot: 'deployed-by',
      strength: pivots.strength('deployed-by'),
    });
  }
  return { entities, links };
}

/**
 * The extractor the detect stage calls for `tenant-event` observations. The payload was validated at
 * ingest; it is parsed again because stored JSON is untyped, and an event that no longer validates
 * (an older schema, a hand-edited row) yields nothing rather than a wrong entity.
 */
export function extractTenantEvent(
  event: Record<string, unknown>,
  config: IdentityConfig = DEFAULT_IDENTITY_CONFIG,
  pivots: PivotModel = DEFAULT_PIVOTS,
): Extraction {
  const r = parseTenantEvent(event);
  if (!r.ok) return { entities: [], links: [] };
  return extractValidTenantEvent(r.event, config, pivots);
}
