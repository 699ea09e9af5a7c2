/**
 * The tamper-evident audit chain (pure). Each entry's hash covers a canonical serialisation (RFC 8785, via
 * `canonicalize`) of its position, actor, time, action, subject, before, after and the previous entry's
 * hash, so editing, removing or reordering an entry breaks the chain even for someone who bypasses the
 * database's triggers. A chain someone recomputed from the edit onward, or one whose tail was cut, is
 * internally consistent: only an anchor kept outside the store (head hash + count, written every N entries
 * to a file or a webhook) catches those.
 * @module
 */
import { PrecursorError } from '../domain/index.js';
import { type AuditRecord, entryHash, GENESIS } from '../store/store.js';

export { type AuditRecord, entryHash, GENESIS } from '../store/store.js';

export interface ChainedEntry extends AuditRecord {
  /** Position in the chain, from 1; the store's own ids may have gaps, the chain's do not. */
  readonly seq: number;
  readonly prevHash: string;
  readonly hash: string;
}

export interface ChainHead {
  readonly seq: number;
  readonly hash: string;
}

/** The anchor kept outside the store: how long the chain was and what its head hash was. */
export interface Anchor {
  readonly count: number;
  readonly head: string;
  /** When the anchor was taken (informational). */
  readonly at?: string;
}

/** The next entry after `head` (undefined for an empty chain). */
export function chainEntry(head: ChainHead | undefined, record: AuditRecord): ChainedEntry {
  const seq = (head?.seq ?? 0) + 1;
  const prevHash = head?.hash ?? GENESIS;
  return {
    seq,
    actor: record.actor,
    at: record.at,
    action: record.action,
    subject: record.subject,
    before: record.before ?? null,
    after: record.after ?? null,
    prevHash,
    hash: entryHash(record, seq, prevHash),
  };
}

/** Anchor every `every` entries (and never for `every` 0). */
export function anchorDue(seq: number, every: number): boolean {
  return every > 0 && seq % every === 0;
}

export type BreakReason =
  /** The entry's content no longer matches its own hash, or it was re-hashed after an edit. */
  | 'edited'
  /** Entries are missing before this one. */
  | 'removed'
  /** The entry is out of its place. */
  | 'reordered'
  /** The chain is shorter than an anchor says it was: its tail was removed. */
  | 'truncated'
  /** The entry at an anchor's position does not carry the anchored hash: the chain was recomputed. */
  | 'anchor-mismatch';

export interface ChainBreak {
  /** The chain position of the first bad entry. */
  readonly seq: number;
  readonly reason: BreakReason;
  readonly detail: string;
}

export interface ChainVerdict {
  readonly ok: boolean;
  readonly count: number;
  readonly head: ChainHead | null;
  readonly firstBad?: ChainBreak;
  /** Anchors checked (those within the chain's length or beyond it). */
  readonly anchorsChecked: number;
}

/**
 * Verifies a chain fed in stored order, page by page, in constant memory while the chain is intact; it
 * keeps the hashes at anchored positions and, after a break, the positions seen (to tell a removed entry
 * from a reordered one).
 */
export class ChainVerifier {
  private count = 0;
  private prev: ChainedEntry | undefined;
  private first: ChainBreak | undefined;
  /** A position jumped ahead at this point; was the missing one seen later (reordered) or not (removed)? */
  private pendingGap: { at: number; expected: number; found: number } | undefined;
  private readonly seenAfterGap = new Set<number>();
  private readonly hashAt = new Map<number, string>();

  constructor(private readonly anchoredPositions: ReadonlySet<number> = new Set()) {}

  add(e: ChainedEntry): void {
    const expectedSeq = this.count + 1;
    this.count++;
    if (this.anchoredPositions.has(e.seq)) this.hashAt.set(e.seq, e.hash);
    if (this.pendingGap !== undefined) this.seenAfterGap.add(e.seq);
    if (this.first === undefined && this.pendingGap === undefined) this.check(e, expectedSeq);
    this.prev = e;
  }

  private check(e: ChainedEntry, expectedSeq: number): void {
    const expectedPrev = this.prev?.hash ?? GENESIS;
    if (entryHash(e, e.seq, e.prevHash) !== e.hash) {
      this.first = { seq: e.seq, reason: 'edited', detail: `entry ${e.seq} does not match its own hash` };
      return;
    }
    if (e.seq < expectedSeq) {
      this.first = {
        seq: e.seq,
        reason: 'reordered',
        detail: `entry ${e.seq} appears after entry ${expectedSeq - 1}`,
      };
      return;
    }
    if (e.seq > expectedSeq) {
      // Removed or moved later: decided once the rest has been seen.
      this.pendingGap = { at: expectedSeq, expected: expectedSeq, found: e.seq };
      this.seenAfterGap.add(e.seq);
      return;
    }
    if (e.prevHash !== expectedPrev) {
      // The entry is intact and in place, but it was chained to a different predecessor: the predecessor
      // was edited and re-hashed (its own hash now checks, the link to it does not).
      const bad = this.prev?.seq ?? e.seq;
      this.first = {
        seq: bad,
        reason: 'edited',
        detail: `entry ${bad} was changed and re-hashed: entry ${e.seq} was chained to a different hash`,
      };
    }
  }

  /** The verdict, checking the chain's length and hashes against the external anchors. */
  finish(anchors: readonly Anchor[] = []): ChainVerdict {
    let first = this.first;
    if (first === undefined && this.pendingGap !== undefined) {
      const g = this.pendingGap;
      first = this.seenAfterGap.has(g.expected)
        ? {
            seq: g.expected,
            reason: 'reordered',
            detail: `entry ${g.found} appears where entry ${g.expected} belongs`,
          }
        : { seq: g.expected, reason: 'removed', detail: `entries ${g.expected}–${g.found - 1} are missing` };
    }
    const head = this.prev === undefined ? null : { seq: this.prev.seq, hash: this.prev.hash };
    if (first === undefined) {
      for (const a of [...anchors].sort((x, y) => x.count - y.count)) {
        if (a.count > this.count) {
          first = {
            seq: this.count + 1,
            reason: 'truncated',
            detail: `an anchor records ${a.count} entries, the chain has ${this.count}`,
          };
          break;
        }
        if (a.count > 0 && this.hashAt.get(a.count) !== a.head) {
          first = {
            seq: a.count,
            reason: 'anchor-mismatch',
            detail: `entry ${a.count} does not carry the anchored hash ${a.head.slice(0, 16)}…: the chain was recomputed`,
          };
          break;
        }
      }
    }
    return {
      ok: first === undefined,
      count: this.count,
      head,
      ...(first === undefined ? {} : { firstBad: first }),
      anchorsChecked: anchors.length,
    };
  }
}

/** Verify a whole chain in one call. */
export function verifyChain(entries: Iterable<ChainedEntry>, anchors: readonly Anchor[] = []): ChainVerdict {
  const v = new ChainVerifier(new Set(anchors.map((a) => a.count)));
  for (const e of entries) v.add(e);
  return v.finish(anchors);
}

/** Throw AUDIT_BROKEN for a verdict that is not ok (the CLI exits 1 with it). */
export function assertChain(verdict: ChainVerdict): void {
  if (verdict.ok || verdict.firstBad === undefined) return;
  const b = verdict.firstBad;
  throw new PrecursorError('AUDIT_BROKEN', `audit entry ${b.seq}: ${b.reason}: ${b.detail}`, {
    details: { seq: b.seq, reason: b.reason, count: verdict.count, head: verdict.head?.hash ?? null },
  });
}
