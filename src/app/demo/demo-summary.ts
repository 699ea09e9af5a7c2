/**
 * The demo's scorecard: what the pipeline has flagged, held against the world's ground truth. The
 * truth never enters the pipeline; it is read here only, after the fact, to say how early the
 * operators' infrastructure was caught and how many honest names and accounts were flagged.
 * @module
 */
import type { EntityKey } from '../../domain/index.js';
import type { WorldTruth } from '../../simulate/world/truth.js';
import type { Store } from '../../store/store.js';
import { median } from '../median.js';

const HOUR = 3_600_000;

export interface OperatorScore {
  readonly id: string;
  /** Accounts and registered names (with their host names) the pipeline has seen so far / in the world. */
  readonly infrastructure: { readonly seen: number; readonly total: number };
  readonly flagged: number;
  readonly flaggedBeforeGoLive: number;
  readonly firstFlaggedAt: string | null;
  readonly goLiveAt: string;
  /** Hours from the first flag to go-live (negative: caught after). */
  readonly leadHours: number | null;
  /** Whether the replay has reached go-live. */
  readonly live: boolean;
}

export interface ScoreCard {
  readonly operators: readonly OperatorScore[];
  /** Over all operators: infrastructure flagged before its operator went live. */
  readonly infrastructure: {
    readonly total: number;
    readonly seen: number;
    readonly flaggedBeforeGoLive: number;
    /** flaggedBeforeGoLive / total (0..1). */
    readonly share: number;
  };
  /** Median over operators of hours of lead (first flag → go-live). */
  readonly leadHours: number | null;
  readonly falseFlags: {
    readonly names: number;
    readonly accounts: number;
    readonly honestNamesSeen: number;
    readonly honestAccountsSeen: number;
  };
  /** Flagged active campaigns: those holding operator infrastructure, and those holding none. */
  readonly campaigns: {
    readonly flagged: number;
    readonly operator: number;
    readonly honestOnly: number;
    /** Per operator: the flagged campaign holding most of its infrastructure, and how much of it. */
    readonly best: ReadonlyArray<{
      operator: string;
      campaign: string | null;
      name: string | null;
      members: number;
    }>;
  };
  /** Cases the policy opened: all, still open (open or in review), about operators, about honest ones only. */
  readonly cases: {
    readonly opened: number;
    readonly open: number;
    readonly operator: number;
    readonly honestOnly: number;
  };
}

async function caseFigures(
  store: Pick<Store, 'cases'>,
  owner: ReadonlyMap<EntityKey, string>,
): Promise<ScoreCard['cases']> {
  const all = [];
  for (let after: string | undefined; ; ) {
    const page = await store.cases.list({ limit: 1000, ...(after ? { after } : {}) });
    all.push(...page);
    if (page.length < 1000) break;
    after = page[page.length - 1]?.id;
  }
  const operator = all.filter((c) => c.detail.members.some((m) => owner.has(m.key))).length;
  return {
    opened: all.length,
    open: all.filter((c) => c.state === 'open' || c.state === 'in-review').length,
    operator,
    honestOnly: all.length - operator,
  };
}

/** The operator of every infrastructure key: accounts, names and host names (the ones that get flagged). */
function operatorKeys(truth: WorldTruth): Map<EntityKey, string> {
  const out = new Map<EntityKey, string>();
  for (const op of truth.operators) {
    for (const a of op.accounts) out.set(a as EntityKey, op.id);
    for (const n of op.names) out.set(`domain:${n}` as EntityKey, op.id);
    for (const h of op.hosts) out.set(`domain:${h}` as EntityKey, op.id);
  }
  return out;
}

async function allOfType(store: Pick<Store, 'entities'>, type: 'domain' | 'account', flagged?: boolean) {
  const out: EntityKey[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await store.entities.list({
      type,
      limit: 10_000,
      ...(flagged === undefined ? {} : { flagged }),
      ...(after ? { after } : {}),
    });
    for (const v of page) out.push(v.entity.key);
    if (page.length < 10_000) return out;
    after = page[page.length - 1]?.entity.key;
  }
}

async function campaignFigures(
  store: Pick<Store, 'campaigns'>,
  owner: ReadonlyMap<EntityKey, string>,
  operators: readonly string[],
): Promise<ScoreCard['campaigns']> {
  const list = await store.campaigns.list({ flagged: true, limit: 1000 });
  let operator = 0;
  const best = new Map<string, { campaign: string; name: string; members: number }>();
  for (const c of list) {
    const detail = await store.campaigns.get(c.id);
    const per = new Map<string, number>();
    for (const m of detail?.members ?? []) {
      const o = owner.get(m.key);
      if (o) per.set(o, (per.get(o) ?? 0) + 1);
    }
    if (per.size > 0) operator += 1;
    for (const [o, n] of per)
      if (n > (best.get(o)?.members ?? 0)) best.set(o, { campaign: c.id, name: c.name, members: n });
  }
  return {
    flagged: list.length,
    operator,
    honestOnly: list.length - operator,
    best: operators.map((o) => {
      const b = best.get(o);
      return { operator: o, campaign: b?.campaign ?? null, name: b?.name ?? null, members: b?.members ?? 0 };
    }),
  };
}

export async function scoreCard(
  store: Pick<Store, 'entities' | 'activity' | 'campaigns' | 'cases'>,
  truth: WorldTruth,
  simNow: number,
): Promise<ScoreCard> {
  const owner = operatorKeys(truth);
  const stored = new Set([...(await allOfType(store, 'domain')), ...(await allOfType(store, 'account'))]);
  const flagged = [...(await allOfType(store, 'domain', true)), ...(await allOfType(store, 'account', true))];
  const first = await store.activity.firstFlagged([...owner.keys()]);
  const operators: OperatorScore[] = truth.operators.map((op) => {
    const keys = [...owner].filter(([, o]) => o === op.id).map(([k]) => k);
    const goLive = Date.parse(op.goLiveAt);
    const times = keys.flatMap((k) => {
      const t = first.get(k);
      return t === undefined ? [] : [Date.parse(t)];
    });
    const earliest = times.length > 0 ? Math.min(...times) : undefined;
    return {
      id: op.id,
      infrastructure: { seen: keys.filter((k) => stored.has(k)).length, total: keys.length },
      flagged: times.length,
      flaggedBeforeGoLive: times.filter((t) => t < goLive).length,
      firstFlaggedAt: earliest === undefined ? null : new Date(earliest).toISOString(),
      goLiveAt: op.goLiveAt,
      leadHours: earliest === undefined ? null : Math.round(((goLive - earliest) / HOUR) * 10) / 10,
      live: simNow >= goLive,
    };
  });
  const total = operators.reduce((n, o) => n + o.infrastructure.total, 0);
  const before = operators.reduce((n, o) => n + o.flaggedBeforeGoLive, 0);
  const campaigns = await campaignFigures(
    store,
    owner,
    truth.operators.map((o) => o.id),
  );
  const cases = await caseFigures(store, owner);
  const honestFlagged = flagged.filter((k) => !owner.has(k));
  const honestSeen = [...stored].filter((k) => !owner.has(k));
  return {
    operators,
    infrastructure: {
      total,
      seen: operators.reduce((n, o) => n + o.infrastructure.seen, 0),
      flaggedBeforeGoLive: before,
      share: total === 0 ? 0 : Math.round((before / total) * 1000) / 1000,
    },
    leadHours: median(operators.flatMap((o) => (o.leadHours === null ? [] : [o.leadHours]))),
    falseFlags: {
      names: honestFlagged.filter((k) => k.startsWith('domain:')).length,
      accounts: honestFlagged.filter((k) => k.startsWith('account:')).length,
      honestNamesSeen: honestSeen.filter((k) => k.startsWith('domain:')).length,
      honestAccountsSeen: honestSeen.filter((k) => k.startsWith('account:')).length,
    },
    campaigns,
    cases,
  };
}
