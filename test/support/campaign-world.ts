/**
 * Hand-built entity graphs for the correlation tests: links and assessments written through the
 * store as the detect stage would write them. Test support only.
 * @module
 */
import { assess } from '../../src/detect/score.js';
import type { EntityKey, LinkPivot, Signal } from '../../src/domain/index.js';
import type { Store } from '../../src/store/store.js';

export const AT = '2026-03-01T00:00:00.000Z';

export async function link(store: Store, from: string, to: string, pivot: LinkPivot, strength = 1, at = AT) {
  const type = (k: string) => k.slice(0, k.indexOf(':')) as never;
  await store.entities.upsert([
    { key: from as EntityKey, type: type(from), display: from.slice(from.indexOf(':') + 1), seenAt: at },
    { key: to as EntityKey, type: type(to), display: to.slice(to.indexOf(':') + 1), seenAt: at },
  ]);
  await store.entities.upsertLinks([
    { from: from as EntityKey, to: to as EntityKey, pivot, strength, seenAt: at, provenance: 'test' },
  ]);
}

/** Gives an entity its own detector's signals, as the detect stage would. */
export async function judge(store: Store, key: string, signals: Array<[id: string, weight: number]>) {
  const list: Signal[] = signals.map(([id, weight]) => ({
    id,
    detector: id.split('.')[0]!,
    weight,
    detail: id,
    evidence: [],
  }));
  await store.assessments.replaceSignals([
    {
      entity: key as EntityKey,
      detectors: [...new Set(list.map((s) => s.detector))],
      signals: list,
      observedAt: AT,
    },
  ]);
  const kept = ((await store.assessments.signalsOf([key as EntityKey])).get(key as EntityKey) ?? []).filter(
    (s) => !list.some((x) => x.detector === s.detector),
  );
  await store.assessments.write([assess(key as EntityKey, [...kept, ...list], AT)]);
}

/**
 * The operation: six names on two certificates, two accounts (sharing a prepaid card) that attached
 * them; two names flagged by their lure words, one account by its sign-up burst; `view-hub.live` is a
 * lure-only name nothing flags on its own. Beside it: honest names on the same CDN address and name
 * servers, and an honest organisation whose staff arrived together from one office.
 */
export async function seedWorld(store: Store) {
  const certA = 'cert:sha256:aaaa';
  const certB = 'cert:sha256:bbbb';
  for (const d of ['o365-clloud-docss.live', 'view-hub.live', 'www.view-hub.live'])
    await link(store, certA, `domain:${d}`, 'cert-name', 0.5);
  for (const d of ['seccure.site', 'faxdocs.org', 'www.faxdocs.org'])
    await link(store, certB, `domain:${d}`, 'cert-name', 0.5);
  await link(store, 'domain:view-hub.live', 'account:cloud-a/op1', 'attached-by');
  await link(store, 'domain:seccure.site', 'account:cloud-b/op2', 'attached-by');
  await link(store, 'account:cloud-a/op1', 'payment:fp:card1', 'same-payment', 0.9);
  await link(store, 'account:cloud-b/op2', 'payment:fp:card1', 'same-payment', 0.9);
  await judge(store, 'domain:o365-clloud-docss.live', [['domain.combosquat', 60]]);
  await judge(store, 'domain:seccure.site', [['domain.lure-vocabulary', 55]]);
  await judge(store, 'account:cloud-a/op1', [['tenant.velocity', 55]]);
  await judge(store, 'domain:view-hub.live', [['domain.lure-vocabulary', 20]]);

  // Shared CDN: every name, honest or not, behind Cloudflare's anycast and name servers.
  for (const d of ['view-hub.live', 'seccure.site', 'bakery-example.com', 'dentist-example.org']) {
    await link(store, `domain:${d}`, 'ip:104.16.1.1', 'resolves-to', 0.5);
    await link(store, `domain:${d}`, 'ns:ada.ns.cloudflare.com', 'uses-ns', 0.3);
    await link(store, `domain:${d}`, 'ns:bob.ns.cloudflare.com', 'uses-ns', 0.3);
  }
  // Shared office: twelve staff accounts on one office address and company mail domain, flagged as a
  // linked burst (one signal family) — and the operator's second account once used the same address.
  for (let i = 0; i < 12; i++) {
    const a = `account:cloud-a/acme-${i}`;
    await link(store, a, 'ip:203.0.113.7', 'same-ip', 0.7);
    await link(store, a, 'domain:acme-corp.com', 'same-email-domain', 0.3);
    await link(store, a, `device:acme-${i}`, 'same-device', 0.8);
    await judge(store, a, [['tenant.velocity', 55]]);
  }
  await link(store, 'account:cloud-b/op2', 'ip:203.0.113.7', 'same-ip', 0.7);
}
