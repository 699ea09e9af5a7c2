/**
 * Known shared infrastructure (data/shared-infrastructure.yaml): values that many unrelated parties
 * share. A listed value never conducts a pivot, whatever its degree in the store — a CDN edge address
 * seen with only three names so far is still no evidence that the three belong together.
 * @module
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { z } from 'zod';
import { packageFile } from './package-file.js';

// The YAML parser loads with the list, on the first correlation, not with every command that imports it.
const requireCjs = createRequire(import.meta.url);
const parseYaml = (text: string): unknown => (requireCjs('yaml') as typeof import('yaml')).parse(text);

const entrySchema = z.strictObject({
  id: z.string().min(1),
  type: z.string().min(1),
  match: z.enum(['exact', 'suffix', 'prefix', 'pattern', 'cidr']),
  values: z.array(z.string().min(1)).min(1),
  why: z.string().min(1),
  source: z.string().min(1),
});
export type SharedInfrastructureEntry = z.infer<typeof entrySchema>;

export interface SharedInfrastructure {
  readonly entries: readonly SharedInfrastructureEntry[];
  /** The id of the entry that lists this entity key, if any. */
  match(key: string): string | undefined;
}

export function parseSharedInfrastructure(text: string): SharedInfrastructure {
  const parsed = z.array(entrySchema).safeParse(parseYaml(text));
  if (!parsed.success) throw new Error(`shared infrastructure list: ${z.prettifyError(parsed.error)}`);
  const entries = parsed.data;
  type Test = (value: string) => boolean;
  const byType = new Map<string, Array<{ id: string; test: Test }>>();
  for (const e of entries) {
    let test: Test;
    switch (e.match) {
      case 'exact': {
        const set = new Set(e.values.map((v) => v.toLowerCase()));
        test = (v) => set.has(v);
        break;
      }
      case 'suffix': {
        const set = new Set(e.values.map((v) => v.toLowerCase()));
        test = (v) => {
          if (set.has(v)) return true;
          const at = v.lastIndexOf('@');
          if (at >= 0 && set.has(v.slice(at + 1))) return true;
          for (let i = v.indexOf('.'); i >= 0; i = v.indexOf('.', i + 1))
            if (set.has(v.slice(i + 1))) return true;
          return false;
        };
        break;
      }
      case 'prefix':
        test = (v) => e.values.some((p) => v.startsWith(p.toLowerCase()));
        break;
      case 'pattern': {
        const res = e.values.map((p) => new RegExp(p, 'i'));
        test = (v) => res.some((r) => r.test(v));
        break;
      }
      case 'cidr': {
        const ranges = e.values.map((c) => parseCidr(c, e.id));
        test = (v) => {
          const ip = ipv4ToInt(v);
          return ip !== undefined && ranges.some(([base, mask]) => (ip & mask) >>> 0 === base);
        };
        break;
      }
    }
    let list = byType.get(e.type);
    if (!list) {
      list = [];
      byType.set(e.type, list);
    }
    list.push({ id: e.id, test });
  }
  return {
    entries,
    match(key) {
      const i = key.indexOf(':');
      if (i <= 0) return undefined;
      const list = byType.get(key.slice(0, i));
      if (!list) return undefined;
      const value = key.slice(i + 1).toLowerCase();
      return list.find((x) => x.test(value))?.id;
    },
  };
}

function ipv4ToInt(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255) return undefined;
    n = n * 256 + o;
  }
  return n >>> 0;
}

function parseCidr(c: string, id: string): [number, number] {
  const [addr, bits] = c.split('/');
  const base = addr === undefined ? undefined : ipv4ToInt(addr);
  const b = Number(bits);
  if (base === undefined || !Number.isInteger(b) || b < 0 || b > 32)
    throw new Error(`shared infrastructure list: entry ${id}: bad CIDR ${c}`);
  const mask = b === 0 ? 0 : (~0 << (32 - b)) >>> 0;
  return [(base & mask) >>> 0, mask];
}

export function loadSharedInfrastructure(
  file = packageFile('data', 'shared-infrastructure.yaml'),
): SharedInfrastructure {
  return parseSharedInfrastructure(readFileSync(file, 'utf8'));
}
