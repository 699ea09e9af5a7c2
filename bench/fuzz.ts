/**
 * The property-based suite run long: every source parser and HTTP body fed arbitrary bytes and
 * structures (test/support/fuzz-properties.ts) — nothing crashes or answers 500, every summary adds
 * up (records = inserted + duplicates + rejected + skipped) and every rejected record is retrievable
 * from the dead letters. Runs each property for its share of `--seconds` (by cost) or `--runs` cases,
 * and prints the cases tried per property; exits 1 on the first counterexample (with its seed and
 * path, so `--seed S --path P` replays it).
 *
 *   node --import tsx bench/fuzz.ts [--seconds 600] [--runs N] [--seed S] [--path P] [--only TEXT]
 */
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { openFuzzContext, PROPERTIES } from '../test/support/fuzz-properties.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '600' },
    runs: { type: 'string' },
    seed: { type: 'string' },
    path: { type: 'string' },
    only: { type: 'string' },
  },
});

const selected = PROPERTIES.filter((p) => !values.only || p.name.includes(values.only));
const totalCost = selected.reduce((n, p) => n + p.cost, 0);
const budgetMs = Number(values.seconds) * 1000;
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);

const ctx = await openFuzzContext();
let total = 0;
let failed = false;
const started = performance.now();
console.log(
  `seed ${seed}; ${selected.length} properties; budget ${values.runs ? `${values.runs} runs each` : `${values.seconds} s`}`,
);
try {
  for (const p of selected) {
    // Time is shared by cost, so the costly end-to-end properties get their fair share of cases.
    const share = (budgetMs * p.cost) / totalCost;
    const t0 = performance.now();
    const details = await fc.check(p.property(ctx), {
      seed,
      ...(values.path ? { path: values.path } : {}),
      ...(values.runs
        ? { numRuns: Number(values.runs) }
        : { numRuns: Number.MAX_SAFE_INTEGER, interruptAfterTimeLimit: share }),
    });
    const secs = (performance.now() - t0) / 1000;
    total += details.numRuns;
    console.log(
      `${details.failed ? 'FAIL' : 'ok  '}  ${String(details.numRuns).padStart(9)} cases  ${secs.toFixed(1).padStart(7)} s  ${p.name}`,
    );
    if (details.failed) {
      failed = true;
      console.log(fc.defaultReportMessage(details));
      break;
    }
  }
} finally {
  await ctx.close();
}
console.log(
  `total ${total} cases in ${((performance.now() - started) / 1000).toFixed(1)} s${failed ? ' — FAILED' : ', no counterexample'}`,
);
process.exitCode = failed ? 1 : 0;
