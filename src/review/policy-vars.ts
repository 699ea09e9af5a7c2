/**
 * The variables a policy rule sees (docs/policy.md) and how a subject — a campaign or a lone entity — is
 * turned into them. Declared with their CEL types so a misspelt variable or a type error is caught when the
 * policy loads, not when it first meets a subject.
 * @module
 */
import { Environment } from '@marcbachmann/cel-js';
import { type Decision, ENTITY_TYPES, type EntityType } from '../domain/index.js';

/** What the review stage knows about one subject when the policy looks at it. */
export interface PolicySubject {
  readonly kind: 'campaign' | 'entity';
  /** Campaign id or entity key. */
  readonly id: string;
  /** `campaign`, or the lone entity's type. */
  readonly type: string;
  /** 0–100: the campaign's risk or the entity's score. */
  readonly risk: number;
  readonly flagged: boolean;
  /** Member counts by entity type (a lone entity counts itself once). */
  readonly members: Readonly<Partial<Record<EntityType, number>>>;
  readonly flaggedMembers: Readonly<Partial<Record<EntityType, number>>>;
  /** Signal id → how many members carry it. */
  readonly signals: Readonly<Record<string, number>>;
  readonly firstSeen: string;
  readonly lastSeen: string;
  /** When the subject was first flagged, if it was. */
  readonly firstFlagged?: string;
  /** First sign of being live (first deployment, live credential form, first lure), if seen. */
  readonly goLive?: string;
  /** Members that joined in the 24 h before `at`. */
  readonly newMembersLastDay: number;
  readonly previous?: {
    readonly malicious: number;
    readonly benign: number;
    readonly escalated: number;
    readonly last?: Decision;
    readonly lastAt?: string;
    /** Signals (id on a member) first seen after the last decision. */
    readonly newSignals: number;
    readonly openCase: boolean;
  };
  /** Event time of the evaluation (never the wall clock, so replays agree). */
  readonly at: string;
}

const COUNTS = Object.fromEntries(ENTITY_TYPES.map((t) => [t, 'int'])) as Record<EntityType, 'int'>;

const SCHEMAS = {
  subject: { kind: 'string', id: 'string', type: 'string' },
  members: COUNTS,
  flaggedMembers: COUNTS,
  total: { members: 'int', flagged: 'int' },
  rates: { flagged: 'double', newPerDay: 'double' },
  lead: { known: 'bool', live: 'bool', hours: 'double' },
  age: { hours: 'double' },
  previous: {
    malicious: 'int',
    benign: 'int',
    escalated: 'int',
    decided: 'bool',
    last: 'string',
    hoursSince: 'double',
    newSignals: 'int',
    openCase: 'bool',
  },
} as const;

/**
 * Declared variables; documented one by one in docs/policy.md. `typed` declares the structured
 * variables with their field schemas — used to type-check a condition when the policy loads, so a
 * misspelt field is a load error. Evaluation uses the untyped form (the same fields read as maps), because
 * cel-js converts a schema-typed value into its own class on every call, which is four times slower; the
 * check has already proved every field access.
 */
export function policyEnvironment(typed: boolean): Environment {
  const env = new Environment({ homogeneousAggregateLiterals: false })
    .registerVariable('risk', 'double')
    .registerVariable('flagged', 'bool')
    .registerVariable('signals', 'list<string>')
    .registerVariable('signalMembers', 'map<string, int>');
  for (const [name, schema] of Object.entries(SCHEMAS)) {
    if (typed) env.registerVariable({ name, schema });
    else env.registerVariable(name, 'map<string, dyn>');
  }
  return env;
}

export const VARIABLE_ROOTS = new Set([
  'subject',
  'risk',
  'flagged',
  'members',
  'flaggedMembers',
  'total',
  'rates',
  'signals',
  'signalMembers',
  'lead',
  'age',
  'previous',
]);

const HOUR = 3_600_000;
const hoursBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / HOUR;

function counts(src: Readonly<Partial<Record<EntityType, number>>>): Record<string, bigint> {
  const out: Record<string, bigint> = {};
  for (const t of ENTITY_TYPES) out[t] = BigInt(src[t] ?? 0);
  return out;
}

const sum = (src: Readonly<Partial<Record<EntityType, number>>>) =>
  Object.values(src).reduce<number>((a, b) => a + (b ?? 0), 0);

/** The CEL context for one subject; built once and shared by every rule. */
export function policyContext(s: PolicySubject): Record<string, unknown> {
  const total = sum(s.members);
  const flagged = sum(s.flaggedMembers);
  const signalMembers: Record<string, bigint> = {};
  for (const [id, n] of Object.entries(s.signals)) signalMembers[id] = BigInt(n);
  const p = s.previous;
  // Lead time: how long before go-live the subject was flagged; negative when flagged only after.
  const lead =
    s.firstFlagged !== undefined && s.goLive !== undefined
      ? { known: true, live: true, hours: hoursBetween(s.firstFlagged, s.goLive) }
      : { known: false, live: s.goLive !== undefined, hours: 0 };
  return {
    subject: { kind: s.kind, id: s.id, type: s.type },
    risk: s.risk,
    flagged: s.flagged,
    members: counts(s.members),
    flaggedMembers: counts(s.flaggedMembers),
    total: { members: BigInt(total), flagged: BigInt(flagged) },
    rates: { flagged: total === 0 ? 0 : flagged / total, newPerDay: s.newMembersLastDay },
    signals: Object.keys(s.signals),
    signalMembers,
    lead,
    age: { hours: hoursBetween(s.firstSeen, s.at) },
    previous: {
      malicious: BigInt(p?.malicious ?? 0),
      benign: BigInt(p?.benign ?? 0),
      escalated: BigInt(p?.escalated ?? 0),
      decided: p?.last !== undefined,
      last: p?.last ?? '',
      hoursSince: p?.lastAt === undefined ? 0 : hoursBetween(p.lastAt, s.at),
      newSignals: BigInt(p?.newSignals ?? 0),
      openCase: p?.openCase ?? false,
    },
  };
}
