/**
 * Which policy is live: the last one applied with `precursor policy apply` (kept in the store, so every
 * process of a scale-out deployment agrees), else the configured file, else the shipped default.
 * Compiled policies are cached by the hash of their text.
 * @module
 */
import { readFileSync } from 'node:fs';
import { packageFile } from '../correlate/package-file.js';
import type { Aggregates } from '../store/store.js';
import { loadPolicy, type Policy } from './policy.js';

export interface LivePolicy {
  readonly policy: Policy;
  readonly text: string;
  /** `store` (applied), or the file it was read from. */
  readonly source: string;
}

const compiled = new Map<string, Policy>();

function compile(text: string, source: string): Policy {
  const hit = compiled.get(text);
  if (hit) return hit;
  const p = loadPolicy(text, source);
  if (compiled.size > 16) compiled.clear();
  compiled.set(text, p);
  return p;
}

export const DEFAULT_POLICY_FILE = (): string => packageFile('policies', 'default.yaml');

export async function livePolicy(store: Aggregates, configuredFile?: string): Promise<LivePolicy> {
  const applied = await store.cases.activePolicy('policy');
  if (applied) return { policy: compile(applied.text, 'store'), text: applied.text, source: 'store' };
  const file = configuredFile ?? DEFAULT_POLICY_FILE();
  const text = readFileSync(file, 'utf8');
  return { policy: compile(text, file), text, source: file };
}
