/**
 * The cases aggregate: review cases (one per campaign or lone entity, reopened on new evidence), their
 * append-only event history, the suppressions benign decisions leave behind, and the applied policy
 * and weights versions. The rules of a case's life (which transition is legal, what it does to the
 * deadlines) are the review stage's; this module only keeps the records, with a version for optimistic
 * concurrency so two analysts deciding at once cannot both win.
 * @module
 */
import type { CaseState, Decision, EntityKey, Tlp } from '../domain/index.js';

export interface CaseSignal {
  readonly id: string;
  readonly weight: number;
  readonly detail: string;
}

export interface CaseMember {
  readonly key: EntityKey;
  readonly type: string;
  readonly display: string;
  readonly score: number;
  readonly flagged: boolean;
  readonly signals: readonly CaseSignal[];
}

/** One policy rule's verdict on the case's subject (docs/policy.md). */
export interface CaseRule {
  readonly id: string;
  readonly matched: boolean;
  readonly outcome: string;
  readonly trace: Readonly<Record<string, unknown>>;
}

export interface CaseDecision {
  readonly as: Decision;
  readonly note: string;
  readonly actor: string;
  readonly at: string;
  readonly tlp: Tlp;
}

/** What the case shows besides its header; rewritten on every evaluation that adds evidence. */
export interface CaseDetail {
  readonly members: readonly CaseMember[];
  readonly rules: readonly CaseRule[];
  readonly evidence: { readonly links: readonly unknown[]; readonly snapshots: readonly unknown[] };
  readonly policy: { readonly name: string; readonly revision: string; readonly hash: string };
}

export interface StoredCase {
  /** `K-…`. */
  readonly id: string;
  /** `campaign:C-…` or an entity key; one case per subject. */
  readonly subject: string;
  readonly campaignId: string | null;
  readonly state: CaseState;
  /** The ladder outcome that opened (or last raised) the case: open-case, hold-and-review, block. */
  readonly outcome: string;
  /** 1 (critical) … 4 (low). */
  readonly priority: number;
  readonly queue: string;
  readonly score: number;
  readonly openedAt: string;
  readonly updatedAt: string;
  readonly respondBy: string;
  readonly resolveBy: string;
  readonly respondedAt: string | null;
  readonly resolvedAt: string | null;
  readonly assignee: string | null;
  readonly summary: string;
  readonly memberCount: number;
  readonly reopened: number;
  readonly version: number;
  readonly decision: CaseDecision | null;
  /** A superseded case: the case that now holds its subject's evidence (null otherwise, or when none does). */
  readonly supersededBy: string | null;
  readonly detail: CaseDetail;
}

/**
 * `supersede`: the review stage closed the case (its subject went away); `absorb`: on the successor,
 * the case it took over (the old case's notes carried in the event's detail).
 */
export type CaseEventKind =
  | 'open'
  | 'claim'
  | 'release'
  | 'decide'
  | 'evidence'
  | 'note'
  | 'reopen'
  | 'supersede'
  | 'absorb';

export interface CaseEventRecord {
  readonly id?: number;
  readonly caseId: string;
  readonly at: string;
  readonly actor: string;
  readonly kind: CaseEventKind;
  readonly from: CaseState | null;
  readonly to: CaseState | null;
  readonly note: string | null;
  readonly detail: Readonly<Record<string, unknown>>;
}

export interface CaseFilter {
  readonly states?: readonly CaseState[];
  readonly queue?: string;
  readonly subjects?: readonly string[];
  /** The cases a case superseded (its predecessors). */
  readonly supersededBy?: string;
  readonly limit?: number;
  /** Keyset pagination: cases after this one in (priority, openedAt, id) order. */
  readonly after?: string;
}

/** Benign feedback: an entity or a pivot value that should stop tying things together or flagging. */
export interface Suppression {
  /** An entity key, or `pivot:<kind>:<value>`. */
  readonly key: string;
  readonly kind: 'entity' | 'pivot';
  readonly caseId: string;
  readonly at: string;
  readonly actor: string;
  /** Multiplier on the entity's score or the pivot's weight (0 silences it). */
  readonly factor: number;
  readonly reason: string;
  readonly liftedAt: string | null;
}

export interface PolicyVersion {
  readonly id?: number;
  readonly name: string;
  readonly revision: string;
  readonly hash: string;
  /** `policy` (the review policy) or `weights` (the tuned detection weights). */
  readonly kind: 'policy' | 'weights';
  readonly text: string;
  readonly appliedAt: string;
  readonly actor: string;
}

/**
 * @example
 * ```ts
 * await store.transaction(async (tx) => {
 *   const c = await tx.cases.get('K-1a2b3c4d5e');
 *   if (c && (await tx.cases.update({ ...c, state: 'in-review', version: c.version + 1 }, c.version)))
 *     await tx.cases.appendEvent({ caseId: c.id, at, actor, kind: 'claim', from: 'open', to: 'in-review', note: null, detail: {} });
 * });
 * ```
 */
export interface CaseStore {
  get(id: string): Promise<StoredCase | undefined>;
  bySubject(subject: string): Promise<StoredCase | undefined>;
  /** Most urgent first (priority, then oldest), then id. */
  list(filter?: CaseFilter): Promise<StoredCase[]>;
  insert(c: StoredCase): Promise<void>;
  /** Writes `c` when the stored version is still `expectedVersion`; false when another write came first. */
  update(c: StoredCase, expectedVersion: number): Promise<boolean>;
  appendEvent(e: CaseEventRecord): Promise<void>;
  /** A case's events, oldest first. */
  history(caseId: string): Promise<CaseEventRecord[]>;
  /** Events of one kind across cases (decisions, for tuning and dry runs), oldest first. */
  events(filter: { kind: CaseEventKind; afterId?: number; limit?: number }): Promise<CaseEventRecord[]>;
  /** Cases per state. */
  countByState(): Promise<Record<string, number>>;
  suppress(rows: readonly Suppression[]): Promise<void>;
  /** Lifts the active suppressions a case left (its benign decision was reversed); returns how many. */
  liftSuppressions(caseId: string, at: string): Promise<number>;
  /** Active suppressions (all, or of the given keys). */
  suppressions(keys?: readonly string[]): Promise<Suppression[]>;
  recordPolicy(v: PolicyVersion): Promise<PolicyVersion>;
  /** The latest applied version of a kind. */
  activePolicy(kind: PolicyVersion['kind']): Promise<PolicyVersion | undefined>;
}
