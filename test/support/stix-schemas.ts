/**
 * Validates STIX objects against the official OASIS STIX 2.1 JSON schemas vendored in
 * test/fixtures/stix/schemas (BSD-3-Clause). The schemas are draft 2020-12 and use regex features
 * (`\p{…}`-free but non-unicode escapes), hence ajv's 2020 build with `unicodeRegExp: false`, and an
 * `idn-hostname` format ajv-formats does not provide.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { domainToASCII } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const ROOT = new URL('../fixtures/stix/schemas/', import.meta.url).pathname;
const BASE = 'http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/';

/** RFC 5890 host name: its A-label form is LDH labels of 1–63 octets, 253 in all. */
function isIdnHostname(value: string): boolean {
  const ascii = domainToASCII(value);
  if (!ascii || ascii.length > 253) return false;
  return ascii
    .replace(/\.$/, '')
    .split('.')
    .every((l) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i.test(l));
}

let ajv: Ajv2020 | undefined;
function load(): Ajv2020 {
  if (ajv) return ajv;
  const a = new Ajv2020({ strict: false, unicodeRegExp: false, allErrors: true });
  (addFormats as unknown as (x: Ajv2020) => void)(a);
  a.addFormat('idn-hostname', isIdnHostname);
  for (const dir of readdirSync(ROOT))
    for (const f of readdirSync(join(ROOT, dir)))
      a.addSchema(JSON.parse(readFileSync(join(ROOT, dir, f), 'utf8')));
  ajv = a;
  return a;
}

const DIR: Record<string, string> = {
  'marking-definition': 'common',
  bundle: 'common',
  relationship: 'sros',
  sighting: 'sros',
};
const OBSERVABLES = new Set(['domain-name', 'url', 'ipv4-addr', 'ipv6-addr', 'email-addr']);

function validatorFor(type: string): ValidateFunction {
  const dir = DIR[type] ?? (OBSERVABLES.has(type) ? 'observables' : 'sdos');
  const v = load().getSchema(`${BASE}${dir}/${type}.json`);
  if (!v) throw new Error(`no official schema for STIX type ${type}`);
  return v;
}

/** The schema errors of one STIX object (empty when valid). */
export function stixErrors(value: object): string[] {
  const object = value as { type: string; id?: string };
  const v = validatorFor(object.type);
  if (v(value) === true) return [];
  return (v.errors ?? []).map((e) => `${object.type} ${String(object.id)}: ${e.instancePath} ${e.message}`);
}
