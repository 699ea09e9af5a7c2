/**
 * The policy file's schema (docs/policy.md): a versioned YAML document of rules, each a CEL condition and
 * an outcome. Strict everywhere, so a misspelt key is a CONFIG_INVALID naming the rule, not a rule that
 * silently never fires.
 * @module
 */
import { z } from 'zod';

/** The ordered ladder: a subject gets the strongest outcome any matching rule gives. */
export const LADDER = ['allow', 'open-case', 'hold-and-review', 'block'] as const;
export type LadderOutcome = (typeof LADDER)[number];

/** Outcomes off the ladder: `notify` adds a notification, `suppress` silences the subject (wins over all). */
export const OUTCOMES = [...LADDER, 'notify', 'suppress'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Case priorities, most urgent first; each has an SLA (respond, resolve) in the policy file. */
export const PRIORITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

export function ladderRank(o: LadderOutcome): number {
  return LADDER.indexOf(o);
}

export function priorityRank(p: Priority): number {
  return PRIORITIES.indexOf(p);
}

const DURATION = /^(\d+)(m|h|d)$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `30m`, `4h`, `2d` → milliseconds. */
export function durationMs(text: string): number {
  const m = DURATION.exec(text);
  if (!m) throw new Error(`not a duration: ${text}`);
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

const Duration = z.string().regex(DURATION, 'a duration such as 30m, 4h or 2d');
const Id = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'lower-case letters, digits, ".", "_" or "-"');

const Sla = z.object({ respond: Duration, resolve: Duration }).strict();

/** Defaults: a critical case is looked at within the hour (an operator may be about to go live). */
export const DEFAULT_SLA: Record<Priority, { respond: string; resolve: string }> = {
  critical: { respond: '1h', resolve: '4h' },
  high: { respond: '4h', resolve: '1d' },
  medium: { respond: '1d', resolve: '3d' },
  low: { respond: '3d', resolve: '7d' },
};

export const RuleSchema = z
  .object({
    id: Id,
    description: z.string().min(1).optional(),
    /** A CEL expression over the variables of docs/policy.md; must be boolean. */
    when: z.string().min(1),
    outcome: z.enum(OUTCOMES),
    /** For `open-case` and `hold-and-review`: the case's priority and queue. */
    priority: z.enum(PRIORITIES).optional(),
    queue: Id.optional(),
    /** For `notify`: the webhook (by name) to tell; for `hold-and-review` and `block`, optionally the one to ask. */
    target: Id.optional(),
    /** A rule can be kept in the file but switched off. */
    enabled: z.boolean().default(true),
  })
  .strict();
export type Rule = z.infer<typeof RuleSchema>;

export const PolicyFileSchema = z
  .object({
    /** The file format's version; only 1 exists. */
    version: z.literal(1),
    name: Id,
    /** The policy's own revision, chosen by its author (shown on every decision it makes). */
    revision: z.string().min(1).max(64).default('1'),
    description: z.string().optional(),
    /** Queues a rule may send cases to. */
    queues: z.record(Id, z.object({ description: z.string().optional() }).strict()).default({}),
    sla: z.object({ critical: Sla, high: Sla, medium: Sla, low: Sla }).partial().strict().default({}),
    rules: z.array(RuleSchema).min(1),
  })
  .strict();
export type PolicyFile = z.infer<typeof PolicyFileSchema>;
