/**
 * Pulls host names out of an input line: a bare name, a URL (also defanged `hxxp://a[.]b`), or a
 * certstream-style JSON message (`data.leaf_cert.all_domains`). Lines are untrusted; every failure is a
 * value, never a throw.
 * @module
 */

export type ExtractErrorCode = 'PARSE_ERROR' | 'NO_HOST';

export type ExtractResult =
  | { readonly ok: true; readonly hosts: readonly string[] }
  | { readonly ok: false; readonly code: ExtractErrorCode; readonly reason: string };

/** Lines longer than this are not host names, URLs or certstream messages worth parsing. */
export const MAX_LINE = 1_000_000;

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const EMPTY: ExtractResult = Object.freeze({ ok: true, hosts: Object.freeze([]) as readonly string[] });

/**
 * Extracts the host names of one line. Blank lines and `#` comments yield no host.
 *
 * @example
 * ```ts
 * extractHosts('https://user@Login.Example.com:8443/x?y'); // { ok: true, hosts: ['Login.Example.com'] }
 * extractHosts('{"data":{"leaf_cert":{"all_domains":["a.com","*.a.com"]}}}'); // hosts: ['a.com', '*.a.com']
 * ```
 */
export function extractHosts(line: string): ExtractResult {
  const text = line.trim();
  if (text === '' || text.startsWith('#')) return EMPTY;
  if (text.length > MAX_LINE)
    return { ok: false, code: 'PARSE_ERROR', reason: `line longer than ${MAX_LINE} characters` };
  if (text.startsWith('{')) return fromJson(text);
  const refanged = refang(text);
  if (SCHEME.test(refanged)) return fromUrl(refanged);
  if (/\s/.test(refanged)) return { ok: false, code: 'NO_HOST', reason: 'the line holds more than one word' };
  // A bare name may still carry a path or port (`example.com/login`, `example.com:443`).
  const host = refanged.replace(/[/?#].*$/, '').replace(/:\d+$/, '');
  return { ok: true, hosts: [host] };
}

/** Undoes the usual defanging of indicators in threat reports. */
function refang(text: string): string {
  if (!text.includes('[') && !/^hxxp/i.test(text)) return text;
  return text
    .replace(/\[\.\]|\(\.\)|\{\.\}|\[dot\]/gi, '.')
    .replace(/^hxxp/i, 'http')
    .replace(/\[:\]\/\//, '://');
}

function fromUrl(text: string): ExtractResult {
  const afterScheme = text.slice(text.indexOf('://') + 3);
  let authority = afterScheme.replace(/[/?#].*$/s, '');
  const at = authority.lastIndexOf('@');
  if (at >= 0) authority = authority.slice(at + 1);
  if (authority.startsWith('['))
    return { ok: false, code: 'NO_HOST', reason: 'the URL host is an IPv6 address' };
  const host = authority.replace(/:\d*$/, '');
  if (host === '') return { ok: false, code: 'NO_HOST', reason: 'the URL has no host' };
  return { ok: true, hosts: [host] };
}

function fromJson(text: string): ExtractResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return {
      ok: false,
      code: 'PARSE_ERROR',
      reason: `invalid JSON: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
  const hosts = certstreamDomains(value) ?? plainField(value);
  if (!hosts)
    return {
      ok: false,
      code: 'NO_HOST',
      reason: 'JSON line without data.leaf_cert.all_domains or a domain/host/url field',
    };
  return { ok: true, hosts };
}

function certstreamDomains(value: unknown): string[] | undefined {
  const leaf = get(get(value, 'data'), 'leaf_cert');
  const all = get(leaf, 'all_domains');
  if (!Array.isArray(all)) return undefined;
  return all.filter((d): d is string => typeof d === 'string');
}

function plainField(value: unknown): string[] | undefined {
  for (const key of ['domain', 'host', 'hostname', 'name']) {
    const v = get(value, key);
    if (typeof v === 'string') return [v];
  }
  const url = get(value, 'url');
  if (typeof url === 'string') {
    const r = fromUrl(SCHEME.test(url) ? url : `http://${url}`);
    return r.ok ? [...r.hosts] : undefined;
  }
  return undefined;
}

function get(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}
