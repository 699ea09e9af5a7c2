/**
 * Verifying the stored audit chain page by page, and anchoring its head outside the store every N
 * entries — to a file (appended and flushed) and/or a webhook (through the outbox). Anchoring looks at
 * the chain's head, not at who appended, so entries written by any workflow (keys, exports, decisions)
 * are covered.
 * @module
 */
import type { Aggregates, ChainedAuditEvent } from '../store/store.js';
import { auditRecordOf } from '../store/store.js';
import { anchorAction } from './actions.js';
import { appendAnchor, readAnchors } from './audit-anchor.js';
import { type Anchor, type ChainedEntry, ChainVerifier, type ChainVerdict } from './audit-chain.js';

export interface AuditAnchoring {
  readonly file?: string | undefined;
  readonly webhook?: string | undefined;
  readonly every: number;
}

const PAGE = 1000;

function asEntry(e: ChainedAuditEvent): ChainedEntry {
  return {
    ...auditRecordOf(e),
    // A blanked position or hash cannot match any hash: the entry reads as edited.
    seq: e.seq ?? 0,
    prevHash: e.prevHash ?? '',
    hash: e.hash ?? '',
  };
}

/** Verifies the whole stored chain in constant memory, against the anchors of `anchorFile` if given. */
export async function verifyAuditChain(store: Aggregates, anchorFile?: string): Promise<ChainVerdict> {
  const anchors: Anchor[] = anchorFile === undefined ? [] : readAnchors(anchorFile);
  const verifier = new ChainVerifier(new Set(anchors.map((a) => a.count)));
  for (let after = 0; ; ) {
    const page = await store.audit.chain(after, PAGE);
    for (const e of page) verifier.add(asEntry(e));
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.id;
  }
  return verifier.finish(anchors);
}

/** Anchors the head when it is `every` or more entries past the last anchor; returns the anchor taken. */
export async function anchorIfDue(
  store: Aggregates,
  a: AuditAnchoring,
  at: string,
): Promise<Anchor | undefined> {
  if (a.file === undefined && a.webhook === undefined) return undefined;
  const head = await store.audit.head();
  if (head === undefined) return undefined;
  let last = 0;
  if (a.file !== undefined) {
    for (const x of readAnchors(a.file)) last = Math.max(last, x.count);
  } else {
    const [prev] = await store.outbox.list({ kind: 'audit.anchor', newestFirst: true, limit: 1 });
    last = typeof prev?.payload.count === 'number' ? prev.payload.count : 0;
  }
  if (head.seq - last < a.every) return undefined;
  const anchor: Anchor = { count: head.seq, head: head.hash, at };
  if (a.webhook !== undefined) {
    const act = anchorAction(anchor, a.webhook, at);
    await store.outbox.enqueue([
      {
        id: act.id,
        kind: act.kind,
        target: act.target,
        caseId: null,
        createdAt: at,
        payload: act.payload,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: at,
        deliveredAt: null,
        lastError: null,
      },
    ]);
  }
  if (a.file !== undefined) appendAnchor(a.file, anchor);
  return anchor;
}
