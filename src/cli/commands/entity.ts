/**
 * `precursor entity KEY [--json]`: one entity and why it scored as it did — its assessment (each
 * signal with its weight, the points it contributed and its detail), the history of its score, and its
 * links. KEY is any form `precursor entities` shows: a full key, or a domain in either spelling.
 * @module
 */
import { type EntityDetail, entityDetail, entityKeyOrThrow } from '../../app/entity-lookup.js';
import { observedEntity } from '../../app/observed-entity.js';
import type { Assessment, Link } from '../../domain/index.js';
import type { CliCommand, CliIo } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { action, parseIntFlag, withApp, writeJson } from '../runtime.js';

export const entityCommand = {
  register(program, io, setExit) {
    const cmd = program
      .command('entity')
      .description('one entity: its assessment (signals, weights, points), score history and links')
      .argument('<key>', 'entity key as `precursor entities` lists it (or a domain name, URL, IP)')
      .option(
        '--links <n>',
        'at most n links in text mode (default 20; --json has all)',
        parseIntFlag('--links', 0),
      )
      .option('--json', 'print the entity as one JSON object');
    cmd.action(
      action(io, setExit, async (input: string, opts: { links?: number; json?: boolean }) =>
        withApp(
          cmd,
          io,
          async (app) => {
            const detail = await entityDetail(app.pipeline.store, entityKeyOrThrow(input), (k) =>
              observedEntity(app.pipeline, k),
            );
            if (opts.json) writeJson(io, toJson(detail));
            else printDetail(io, detail, opts.links ?? 20);
            return EXIT.OK;
          },
          { readOnly: true },
        ),
      ),
    );
  },
} satisfies CliCommand;

const assessmentJson = (a: Assessment) => ({
  score: a.score,
  flagged: a.flagged,
  verdict: a.verdict,
  assessed_at: a.assessedAt,
  signals: a.contributions.map((c) => ({
    id: c.id,
    detector: c.detector,
    weight: c.weight,
    points: c.points,
    detail: c.detail,
    evidence: c.evidence,
  })),
});

/** The JSON shape of `precursor entity --json` (documented in docs/cli.md; fields may be added). */
export function toJson(d: EntityDetail) {
  const e = d.entity;
  return {
    key: e.key,
    type: e.type,
    display: e.display,
    first_seen: e.firstSeen,
    last_seen: e.lastSeen,
    attrs: e.attrs,
    assessment: d.assessment ? assessmentJson(d.assessment) : null,
    history: d.history.map((h) => ({
      score: h.score,
      flagged: h.flagged,
      verdict: h.verdict,
      assessed_at: h.assessedAt,
    })),
    links: d.links.map((l) => ({
      from: l.from,
      to: l.to,
      pivot: l.pivot,
      strength: l.strength,
      first_seen: l.firstSeen,
      last_seen: l.lastSeen,
      provenance: l.provenance,
    })),
  };
}

function printDetail(io: CliIo, d: EntityDetail, maxLinks: number): void {
  const e = d.entity;
  const out: string[] = [];
  const value = e.key.slice(e.type.length + 1);
  out.push(e.display === value ? e.key : `${e.key}  (${e.display})`);
  out.push(`type        ${e.type}`);
  out.push(`seen        ${e.firstSeen} … ${e.lastSeen}`);
  const a = d.assessment;
  if (!a) out.push('score       - (not assessed)');
  else {
    out.push(
      `score       ${a.score.toFixed(1)}  ${a.flagged ? 'FLAGGED' : 'not flagged'}  ${a.verdict}  (assessed at ${a.assessedAt})`,
    );
    if (a.contributions.length === 0) out.push('signals     none');
    for (const [i, c] of a.contributions.entries())
      out.push(
        `${i === 0 ? 'signals' : ''.padEnd(7)}     ${c.points >= 0 ? '+' : ''}${c.points.toFixed(1).padStart(5)} pts  ${c.id} (weight ${c.weight}): ${c.detail}`,
      );
  }
  if (d.history.length > 0)
    out.push(
      `history     ${d.history.map((h) => `${h.assessedAt} ${h.score.toFixed(1)}${h.flagged ? ' flagged' : ''}`).join(' → ')}`,
    );
  out.push(
    `links       ${d.links.length}${d.links.length > maxLinks ? ` (first ${maxLinks}; --json has all)` : ''}`,
  );
  for (const l of d.links.slice(0, maxLinks)) out.push(`  ${linkLine(l, e.key)}`);
  const attrs = Object.keys(e.attrs).length > 0 ? JSON.stringify(e.attrs) : '';
  if (attrs) out.push(`attrs       ${attrs.length > 400 ? `${attrs.slice(0, 399)}…` : attrs}`);
  io.stdout.write(`${out.join('\n')}\n`);
}

function linkLine(l: Link, self: string): string {
  const outgoing = l.from === self;
  return `${l.pivot.padEnd(14)} ${outgoing ? '→' : '←'} ${outgoing ? l.to : l.from}  strength ${l.strength.toFixed(2)}  (${l.provenance.join(', ')})`;
}
