/**
 * One list value (a host name or a URL) → one observation with a canonical dedupe key.
 * @module
 */
import type { Observation } from '../../../domain/index.js';
import { canonicalHost } from '../../canonical-host.js';

export type ObserveResult =
  | { readonly ok: true; readonly observation: Observation }
  | { readonly ok: false; readonly rejection: { code: 'INVALID_VALUE'; reason: string } };

const bad = (reason: string): ObserveResult => ({ ok: false, rejection: { code: 'INVALID_VALUE', reason } });

export function observeValue(source: string, value: string, observedAt: string): ObserveResult {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return bad(`'${value.slice(0, 120)}' is not a valid URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      return bad(`unsupported URL scheme '${url.protocol}'`);
    const host = canonicalHost(url.hostname);
    if (!host.ok) return bad(host.reason);
    url.hash = '';
    const canonical = url.toString();
    return {
      ok: true,
      observation: {
        source,
        kind: 'url',
        observedAt,
        dedupeKey: `${source}|url|${canonical}`,
        payload: { url: canonical },
      },
    };
  }
  const host = canonicalHost(value);
  if (!host.ok) return bad(host.reason);
  return {
    ok: true,
    observation: {
      source,
      kind: 'domain',
      observedAt,
      dedupeKey: `${source}|domain|${host.ascii}`,
      payload: { name: host.ascii },
    },
  };
}
