/**
 * The property-based suite, briefly: every source parser and HTTP body fed arbitrary bytes and
 * structures (test/support/fuzz-properties.ts). `bench/fuzz.ts` runs the same properties long.
 * FUZZ_RUNS scales the number of cases (default 60 per unit of cost).
 */
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { type FuzzContext, openFuzzContext, PROPERTIES } from './support/fuzz-properties.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 60);

describe('property-based: arbitrary input never crashes, summaries add up, rejects are dead letters', () => {
  let ctx: FuzzContext;
  before(async () => {
    ctx = await openFuzzContext();
  });
  after(async () => {
    await ctx.close();
  });
  for (const p of PROPERTIES) {
    it(p.name, { timeout: 300_000 }, async () => {
      await fc.assert(p.property(ctx), { numRuns: Math.max(5, Math.round(RUNS / p.cost)) });
    });
  }
});
