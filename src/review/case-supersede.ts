/**
 * Closing the cases whose subject went away. A recluster can dissolve a campaign or merge it into
 * another, and a lone entity can join a campaign that has its own case: the old case would otherwise
 * stay open for ever beside the one that now holds the same infrastructure. After every policy pass the
 * review stage supersedes such a case, naming its successor — the live case that now holds most of its
 * members (a campaign's case before a lone one) — and records on the successor which case it took over,
 * with the old case's notes, so nothing an analyst wrote is lost from view.
 *
 * What is never touched: a case a person decided (confirmed-malicious, benign, escalated) keeps its
 * decision, and a case a person holds (in-review) keeps its person — it gets one system note naming the
 * successor instead, and is superseded by a later pass only if it is released back to the queue. A case
an analyst reopened (superseded or decided before) is theirs in the same way: noted, not superseded.
 * A lone case whose entity joined a campaign that has no case stays open: no other case holds it.
 *
 * Every supersede writes, in one transaction: the case's new state, its `supersede` event, the
 * successor's `absorb` event and a hash-chained audit entry (actor `system`).
 * @module
 */
import type { EntityKey } from '../domain/index.js';
import type { Aggregates, CaseEventRecord, Store, StoredCase } from '../store/store.js';
import { applyCaseEvent, type SlaTable } from './case-machine.js';
import { toRecord, withRecord } from './case-views.js';
import { loneSubjectKey } from './lone-unit.js';

/** States a successor may be in: it holds the evidence and someone will (or did) judge it malicious. */
const SUCCESSOR_STATES = new Set(['open', 'in-review', 'escalated', 'confirmed-malicious']);
const PAGE = 500;
/** At most this many of the old case's notes are carried on the successor's `absorb` event. */
const NOTES_CARRIED = 50;

export interface SupersedeReport {
  /** Open cases closed as superseded. */
  readonly superseded: number;
  /** In-review cases whose subject went away: noted for their assignee, left with them. */
  readonly noted: number;
}

interface Successor {
  readonly id: string | null;
  readonly reason: string;
}

/**
 * Supersedes the open cases whose subject this pass did not judge and that went away; `judged` holds
 * the subjects (`campaign:C-…` or an entity key) the pass evaluated.
 */
export async function supersedeGoneSubjects(
  store: Store,
  judged: ReadonlySet<string>,
  sla: SlaTable,
  at: string,
  signal?: AbortSignal,
): Promise<SupersedeReport> {
  const candidates: StoredCase[] = [];
  for (let after: string | undefined; ; ) {
    signal?.throwIfAborted();
    const page = await store.cases.list({
      states: ['open', 'in-review'],
      limit: PAGE,
      ...(after ? { after } : {}),
    });
    for (const c of page) if (!judged.has(c.subject)) candidates.push(c);
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.id;
  }
  let superseded = 0;
  let noted = 0;
  for (const candidate of candidates) {
    signal?.throwIfAborted();
    const successor = await successorOf(store, candidate);
    if (successor === undefined) continue;
    const r = await store.transaction((tx) => supersede(tx, candidate.id, successor, sla, at));
    if (r === 'superseded') superseded++;
    if (r === 'noted') noted++;
  }
  return { superseded, noted };
}

/**
 * Where a case's subject went: undefined when it did not go anywhere the case should follow (a campaign
 * that still stands; a lone entity in no campaign with a case).
 */
async function successorOf(tx: Aggregates, c: StoredCase): Promise<Successor | undefined> {
  const keys = c.detail.members.map((m) => m.key);
  if (c.subject.startsWith('campaign:')) {
    const id = c.subject.slice('campaign:'.length);
    const campaign = await tx.campaigns.get(id);
    if (campaign?.state === 'active') return undefined;
    // The correlate stage's timeline says whether it merged (`merged into C-…`) or dissolved.
    const last = campaign?.timeline.filter((e) => e.kind === 'merged' || e.kind === 'dissolved').at(-1);
    const ended =
      last?.kind === 'merged' && last.detail.startsWith('merged into ')
        ? `campaign ${id} ${last.detail}`
        : `campaign ${id} dissolved`;
    const held = (await campaignCase(tx, c, keys)) ?? (await loneCase(tx, c, keys));
    if (held !== undefined)
      return {
        id: held.case.id,
        reason: `${ended}; ${held.shared} of its ${keys.length} members are now ${held.where}`,
      };
    return { id: null, reason: `${ended}; no case holds its members` };
  }
  const held = await campaignCase(tx, c, keys);
  return held === undefined
    ? undefined
    : {
        id: held.case.id,
        reason: `${held.shared} of its ${keys.length} members joined ${held.where.replace(/^in /, '')}`,
      };
}

interface Holder {
  readonly case: StoredCase;
  readonly shared: number;
  /** `in campaign C-…` or `judged alone as domain:…`. */
  readonly where: string;
}

/** The live case of the active campaign that holds most of the members (ties: the lower id). */
async function campaignCase(
  tx: Aggregates,
  c: StoredCase,
  keys: readonly EntityKey[],
): Promise<Holder | undefined> {
  const shared = new Map<string, number>();
  for (const k of keys)
    for (const s of await tx.campaigns.ofMember(k))
      if (s.state === 'active') shared.set(s.id, (shared.get(s.id) ?? 0) + 1);
  return firstLiveCase(
    tx,
    c,
    shared,
    (id) => `campaign:${id}`,
    (id) => `in campaign ${id}`,
  );
}

/** The live lone case that holds most of the members (a dissolved campaign's flagged leftovers). */
async function loneCase(
  tx: Aggregates,
  c: StoredCase,
  keys: readonly EntityKey[],
): Promise<Holder | undefined> {
  const shared = new Map<string, number>();
  for (const k of keys) {
    const unit = loneSubjectKey(k);
    shared.set(unit, (shared.get(unit) ?? 0) + 1);
  }
  return firstLiveCase(
    tx,
    c,
    shared,
    (unit) => unit,
    (unit) => `judged alone as ${unit}`,
  );
}

/**
 * Of the groups holding members (`shared`: group → members held), most first (ties: the lower name),
 * the first whose case is another live case that may succeed `c`.
 */
async function firstLiveCase(
  tx: Aggregates,
  c: StoredCase,
  shared: ReadonlyMap<string, number>,
  subjectOf: (group: string) => string,
  whereOf: (group: string) => string,
): Promise<Holder | undefined> {
  const ranked = [...shared].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  for (const [group, n] of ranked) {
    const k = await tx.cases.bySubject(subjectOf(group));
    if (k !== undefined && k.id !== c.id && SUCCESSOR_STATES.has(k.state))
      return { case: k, shared: n, where: whereOf(group) };
  }
  return undefined;
}

async function supersede(
  tx: Aggregates,
  id: string,
  successor: Successor,
  sla: SlaTable,
  at: string,
): Promise<'superseded' | 'noted' | 'unchanged'> {
  // Read again inside the transaction: an analyst may have claimed or decided it meanwhile.
  const c = await tx.cases.get(id);
  if (c === undefined) return 'unchanged';
  const text =
    successor.id === null
      ? `superseded: ${successor.reason}`
      : `superseded by ${successor.id}: ${successor.reason}`;
  const history = await tx.cases.history(c.id);
  const holder = c.state === 'in-review' ? c.assignee : reopenedBy(history);
  if (holder !== null) {
    // A person holds it — claimed it, or reopened it after it was superseded, which says they want it
    // judged on its own: tell them once (per successor), leave the case and its claim alone.
    const told = history.some(
      (e) => e.kind === 'note' && e.actor === 'system' && e.detail.successor === successor.id,
    );
    if (told) return 'unchanged';
    const t = applyCaseEvent(toRecord(c), { type: 'note', actor: 'system', at, text }, sla);
    if (!(await tx.cases.update(withRecord(c, t.after), c.version))) return 'unchanged';
    await tx.cases.appendEvent({
      caseId: c.id,
      at,
      actor: 'system',
      kind: 'note',
      from: t.from,
      to: t.to,
      note:
        c.state === 'in-review'
          ? `${text}. The case stays with ${holder}; released, it is superseded.`
          : `${text}. The case stays open: ${holder} reopened it.`,
      detail: { subjectGone: true, successor: successor.id, reason: successor.reason },
    });
    return 'noted';
  }
  if (c.state !== 'open') return 'unchanged';
  const t = applyCaseEvent(
    toRecord(c),
    { type: 'supersede', at, by: successor.id, reason: successor.reason },
    sla,
  );
  const next = withRecord(c, t.after);
  if (!(await tx.cases.update(next, c.version))) return 'unchanged'; // someone acted: the next pass looks again
  await tx.cases.appendEvent({
    caseId: c.id,
    at,
    actor: 'system',
    kind: 'supersede',
    from: t.from,
    to: t.to,
    note: text,
    detail: { by: successor.id, reason: successor.reason },
  });
  if (successor.id !== null) await absorb(tx, successor.id, c, history, successor.reason, at);
  await tx.audit.append({
    at,
    actor: 'system',
    action: 'case.supersede',
    subject: `case:${c.id}`,
    detail: {
      before: { state: c.state, assignee: c.assignee },
      state: next.state,
      supersededBy: successor.id,
      reason: successor.reason,
    },
  });
  return 'superseded';
}

/**
 * The analyst who reopened the case since its last supersede, if one did (null otherwise): a person's
 * reopen — of a superseded case, or of a decision they take back — asks for the case to be judged on
 * its own, which the next pass must not undo. A reopen by new evidence (actor `system`) does not.
 */
function reopenedBy(history: readonly CaseEventRecord[]): string | null {
  for (let i = history.length - 1; i >= 0; i--) {
    const e = history[i]!;
    if (e.kind === 'supersede') return null;
    if (e.kind === 'reopen' && e.actor !== 'system') return e.actor;
  }
  return null;
}

/** The successor's record of what it took over: the old case, its members and its notes. */
async function absorb(
  tx: Aggregates,
  successorId: string,
  old: StoredCase,
  history: readonly CaseEventRecord[],
  reason: string,
  at: string,
): Promise<void> {
  const notes = history
    .filter((e) => e.kind === 'note' || e.kind === 'decide' || e.kind === 'reopen')
    .filter((e) => e.note !== null && e.actor !== 'system')
    .slice(-NOTES_CARRIED)
    .map((e) => ({ at: e.at, actor: e.actor, kind: e.kind, note: e.note }));
  await tx.cases.appendEvent({
    caseId: successorId,
    at,
    actor: 'system',
    kind: 'absorb',
    from: null,
    to: null,
    note: `took over ${old.id} (${old.subject}): ${reason}${
      notes.length > 0 ? `; its notes: ${notes.map((n) => `${n.actor}: ${n.note}`).join(' | ')}` : ''
    }`,
    detail: {
      from: old.id,
      subject: old.subject,
      openedAt: old.openedAt,
      members: old.detail.members.map((m) => m.key).slice(0, 100),
      memberCount: old.memberCount,
      notes,
    },
  });
}
