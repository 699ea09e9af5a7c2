/**
 * Suricata 7 rules: a DNS-query rule and a TLS-SNI rule per listed name, matching the name and every
 * subdomain (`dotprefix` + `endswith`). Above `datasetThreshold` names, two rules match a string
 * dataset instead (exact names, one base64 line each as Suricata's `string` datasets require), which
 * keeps rule loading fast for large lists.
 *
 * Signature ids are derived from the name (FNV-1a into a 2^22-slot window above `sidBase`, two sids a
 * slot, collisions resolved in name order), so a name keeps its sid across exports and `rev` follows
 * its version; the two dataset rules take the two sids right after the window.
 * @module
 */
import type { BlockEntry } from './block-entries.js';

export interface SuricataOptions {
  /** First sid of Precursor's range. Default 9_700_000. */
  readonly sidBase?: number;
  /** Switch to a dataset above this many names. Default 10,000. */
  readonly datasetThreshold?: number;
  /** Dataset name and the file name the rules load. Default `precursor-phishing`. */
  readonly datasetName?: string;
}

export interface SuricataOutput {
  readonly rules: string;
  /** Present in dataset mode: file name (relative to the rules' dataset directory) and content. */
  readonly dataset?: { readonly file: string; readonly content: string };
}

const SLOTS = 2 ** 22;

export function suricataRules(entries: readonly BlockEntry[], options: SuricataOptions = {}): SuricataOutput {
  const base = options.sidBase ?? 9_700_000;
  const names = entries.filter((e) => e.kind === 'domain');
  if (names.length > (options.datasetThreshold ?? 10_000))
    return datasetRules(names, base, options.datasetName ?? 'precursor-phishing');
  const sids = allocateSids(names.map((e) => e.value));
  const rules: string[] = [];
  for (const e of names) {
    const sid = base + 2 * (sids.get(e.value) as number);
    const rev = Math.max(1, e.indicator.version);
    const msg = safeText(
      `Precursor phishing domain ${e.value}${e.indicator.campaignId ? ` campaign ${e.indicator.campaignId}` : ''}`,
    );
    const meta = `metadata:precursor_key ${safeMeta(e.indicator.key)}, tlp ${safeMeta(e.indicator.tlp)}, confidence ${Math.round(e.indicator.confidence)};`;
    const content = `dotprefix; content:".${e.value}"; nocase; endswith;`;
    rules.push(
      `alert dns any any -> any any (msg:"${msg} (DNS query)"; dns.query; ${content} classtype:social-engineering; ${meta} sid:${sid}; rev:${rev};)`,
      `alert tls any any -> any any (msg:"${msg} (TLS SNI)"; tls.sni; ${content} classtype:social-engineering; ${meta} sid:${sid + 1}; rev:${rev};)`,
    );
  }
  return { rules: `${rules.join('\n')}\n` };
}

function datasetRules(names: readonly BlockEntry[], base: number, name: string): SuricataOutput {
  const set = safeMeta(name);
  const file = `${set}.lst`;
  const rules = [
    `alert dns any any -> any any (msg:"Precursor phishing domain (DNS query, dataset ${set})"; dns.query; to_lowercase; dataset:isset,${set},type string,load ${file}; classtype:social-engineering; sid:${base + 2 * SLOTS}; rev:1;)`,
    `alert tls any any -> any any (msg:"Precursor phishing domain (TLS SNI, dataset ${set})"; tls.sni; to_lowercase; dataset:isset,${set},type string,load ${file}; classtype:social-engineering; sid:${base + 2 * SLOTS + 1}; rev:1;)`,
  ];
  const content = names.map((e) => Buffer.from(e.value, 'utf8').toString('base64')).join('\n');
  return { rules: `${rules.join('\n')}\n`, dataset: { file, content: content ? `${content}\n` : '' } };
}

/** Slot per name: FNV-1a, then linear probing in sorted order so the result does not depend on input order. */
export function allocateSids(names: readonly string[]): Map<string, number> {
  const taken = new Set<number>();
  const out = new Map<string, number>();
  for (const n of [...new Set(names)].sort()) {
    let slot = fnv1a(n) % SLOTS;
    while (taken.has(slot)) slot = (slot + 1) % SLOTS;
    taken.add(slot);
    out.set(n, slot);
  }
  return out;
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Rule-option text: no `;`, `"`, `\` or control characters (they would end or break the option). */
function safeText(s: string): string {
  return s.replace(/[;"\\\x00-\x1f\x7f]/g, '_');
}

function safeMeta(s: string): string {
  return s.replace(/[^A-Za-z0-9._:+-]/g, '_');
}
