/**
 * The URL check: what Precursor knows about a URL or host name, as `{url, verdict, score, reasons,
 * campaign}`. In order: a confirmed, active indicator on the URL, its host, a parent of its host
 * (an RPZ entry blocks subdomains too) or its IP address, within the caller's TLP ceiling; else (for
 * the deploying organisation's keys) the stored assessment of the URL or host; else the domain
 * engine applied live to the name, as it would score it on ingest.
 *
 * Known names answer from memory: the active indicators are held in a map refreshed when the
 * store's intel revision moves (checked at most every `refreshMs`, in the background), and live
 * scores of unseen names are kept in a bounded cache (they depend on the name and configuration only).
 * @module
 */
import { isIP } from 'node:net';
import type { Config } from '../config/config-schema.js';
import type { DetectorRegistry } from '../detect/registry.js';
import { storedSignals } from '../detect/pending-view.js';
import { assess } from '../detect/score.js';
import type { EntityKey, Verdict } from '../domain/index.js';
import { type Tlp, tlpAllows } from '../domain/tlp.js';
import { canonicalHost } from '../ingest/canonical-host.js';
import type { PublishedIndicator } from '../share/model.js';
import type { Store } from '../store/store.js';

export interface CheckReason {
  readonly id: string;
  readonly weight: number;
  readonly detail: string;
}

export interface CheckResult {
  readonly url: string;
  /** `invalid`: the input is neither a URL nor a host name (the reason says why). */
  readonly verdict: Verdict | 'invalid';
  readonly score: number;
  readonly reasons: readonly CheckReason[];
  readonly campaign: string | null;
}

interface ActiveIndicator {
  readonly tlp: Tlp;
  readonly score: number;
  readonly reasons: readonly CheckReason[];
  readonly campaign: string | null;
  readonly validUntil: number;
  readonly modified: string;
}

export interface CheckCaller {
  /** TLP ceiling on published intel (undefined: none visible). */
  readonly tlp: Tlp | undefined;
  /** The deploying organisation's key: may see stored assessments too. */
  readonly internal: boolean;
}

export interface UrlCheckerOptions {
  readonly store: Store;
  readonly config: Config;
  readonly registry: () => Promise<DetectorRegistry>;
  readonly refreshMs?: number;
  readonly liveCacheSize?: number;
  readonly now?: () => Date;
}

export class UrlChecker {
  readonly #o: UrlCheckerOptions;
  #intel = new Map<string, ActiveIndicator>();
  #revision = -1;
  #checkedAt = 0;
  #refreshing: Promise<void> | undefined;
  readonly #live = new Map<string, { score: number; verdict: Verdict; reasons: CheckReason[] }>();

  constructor(options: UrlCheckerOptions) {
    this.#o = options;
  }

  async check(input: string, caller: CheckCaller): Promise<CheckResult> {
    const target = parseTarget(input);
    if ('error' in target)
      return {
        url: input,
        verdict: 'invalid',
        score: 0,
        reasons: [{ id: 'check.invalid', weight: 0, detail: target.error }],
        campaign: null,
      };
    await this.#fresh();
    const now = (this.#o.now?.() ?? new Date()).getTime();
    if (caller.tlp !== undefined) {
      for (const key of target.intelKeys) {
        const ind = this.#intel.get(key);
        if (!ind || !tlpAllows(caller.tlp, ind.tlp) || ind.validUntil <= now) continue;
        const via = key === target.intelKeys[0] ? '' : ` (listed as ${key})`;
        return {
          url: target.url,
          verdict: 'malicious',
          score: Math.max(ind.score, this.#o.config.scoring.malicious),
          reasons: [
            {
              id: 'intel.confirmed',
              weight: 100,
              detail: `confirmed phishing infrastructure by human review on ${ind.modified}${via}, TLP:${ind.tlp.toUpperCase()}`,
            },
            ...ind.reasons,
          ],
          campaign: ind.campaign,
        };
      }
    }
    if (caller.internal) {
      let best: { score: number; verdict: Verdict; reasons: CheckReason[] } | undefined;
      for (const key of target.assessmentKeys) {
        const a = await this.#o.store.assessments.get(key);
        if (a && (!best || a.score > best.score))
          best = {
            score: a.score,
            verdict: a.verdict,
            reasons: a.contributions.map((c) => ({ id: c.id, weight: c.weight, detail: c.detail })),
          };
      }
      if (best) return { url: target.url, ...best, campaign: null };
    }
    if (!target.host) return { url: target.url, verdict: 'benign', score: 0, reasons: [], campaign: null };
    const live = await this.#liveScore(target.host);
    return { url: target.url, ...live, campaign: null };
  }

  async #liveScore(host: { ascii: string; unicode: string }) {
    const cached = this.#live.get(host.ascii);
    if (cached) return cached;
    const registry = await this.#o.registry();
    const key = `domain:${host.ascii}` as EntityKey;
    const at = (this.#o.now?.() ?? new Date()).toISOString();
    const detectors = this.#o.config.detectors as Record<string, unknown>;
    const signals = await registry.run(
      { key, type: 'domain', display: host.unicode, attrs: {} },
      {
        now: at,
        config: <T>(id: string) => detectors[id] as T | undefined,
        entity: (k) => this.#o.store.entities.get(k),
        links: (k) => this.#o.store.entities.links(k),
        signals: storedSignals(this.#o.store),
      },
    );
    const a = assess(key, signals, at, this.#o.config.scoring);
    const out = {
      score: a.score,
      verdict: a.verdict,
      reasons: a.contributions.map((c) => ({ id: c.id, weight: c.weight, detail: c.detail })),
    };
    const max = this.#o.liveCacheSize ?? 10_000;
    if (this.#live.size >= max) this.#live.delete(this.#live.keys().next().value as string);
    this.#live.set(host.ascii, out);
    return out;
  }

  /** Reloads the active indicators when the intel revision moved; at most every refreshMs. */
  async #fresh(): Promise<void> {
    const due = Date.now() - this.#checkedAt >= (this.#o.refreshMs ?? 1000);
    if (this.#revision >= 0 && !due) return;
    this.#refreshing ??= this.#reload().finally(() => {
      this.#refreshing = undefined;
    });
    // The first load is awaited; later ones run in the background while answers use the last map.
    if (this.#revision < 0) await this.#refreshing;
  }

  async #reload(): Promise<void> {
    const store = this.#o.store;
    const revision = await store.intel.revision();
    this.#checkedAt = Date.now();
    if (revision === this.#revision) return;
    const next = new Map<string, ActiveIndicator>();
    let afterKey: string | undefined;
    for (;;) {
      const page = await store.intel.latest({
        kind: 'indicator',
        limit: 10_000,
        ...(afterKey ? { afterKey } : {}),
      });
      for (const r of page) {
        if (r.revoked) continue;
        const ind = r.body as unknown as PublishedIndicator;
        next.set(r.key, {
          tlp: r.tlp,
          score: ind.score,
          reasons: ind.reasons.map((x) => ({ id: x.id, weight: x.weight, detail: x.detail })),
          campaign: ind.campaignId ?? null,
          validUntil: ind.validUntil ? Date.parse(ind.validUntil) : Number.POSITIVE_INFINITY,
          modified: ind.modified,
        });
      }
      if (page.length < 10_000) break;
      afterKey = page.at(-1)?.key;
    }
    this.#intel = next;
    this.#revision = revision;
  }
}

interface Target {
  readonly url: string;
  readonly host?: { ascii: string; unicode: string };
  /** Intel keys in order of precedence: the URL, the host, its parents, the IP. */
  readonly intelKeys: readonly EntityKey[];
  readonly assessmentKeys: readonly EntityKey[];
}

/** A URL (http/https) or a bare host name or IP address. */
export function parseTarget(input: string): Target | { error: string } {
  const text = input.trim();
  if (text === '') return { error: 'empty' };
  let url: URL | undefined;
  let hostText = text;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    try {
      url = new URL(text);
    } catch {
      return { error: `'${text.slice(0, 200)}' is not a valid URL` };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      return { error: `unsupported URL scheme '${url.protocol}'` };
    url.hash = '';
    hostText = url.hostname.replace(/^\[(.*)\]$/, '$1');
  }
  const urlKeys: EntityKey[] = url ? [`url:${url.toString()}`] : [];
  const shown = url ? url.toString() : text;
  if (isIP(hostText) !== 0) {
    const ip = `ip:${hostText.toLowerCase()}` as EntityKey;
    return { url: shown, intelKeys: [...urlKeys, ip], assessmentKeys: [...urlKeys, ip] };
  }
  const h = canonicalHost(hostText);
  if (!h.ok) return { error: h.reason };
  const labels = h.ascii.split('.');
  const parents: EntityKey[] = [];
  for (let i = 1; i <= labels.length - 2; i++) parents.push(`domain:${labels.slice(i).join('.')}`);
  const domain = `domain:${h.ascii}` as EntityKey;
  return {
    url: shown,
    host: { ascii: h.ascii, unicode: h.unicode },
    intelKeys: [...urlKeys, domain, ...parents],
    assessmentKeys: [...urlKeys, domain],
  };
}
