// The review queue: cases on the left, the selected case's evidence on the right, decisions by
// keyboard (j/k move, c claim, m malicious, b benign, e escalate) or buttons. Buttons an analyst's
// role may not use are not shown; the server checks again.
import { useEffect, useRef, useState } from 'preact/hooks';
import { Empty, Problem, Score, Tag } from '../components/ui.js';
import { ApiError, optional, post } from '../lib/api.js';
import { ago, count, when } from '../lib/format.js';
import { can } from '../lib/roles.js';
import { href, navigate } from '../lib/router.js';
import type { CaseDetail, CaseItem, DecisionAs, Page, Role, Tlp } from '../lib/types.js';
import { useData } from '../lib/use-data.js';
import { CaseEvidence } from './CaseEvidence.js';
import { DecisionDialog } from './DecisionDialog.js';

type SortKey = 'priority' | 'dueAt' | 'score' | 'openedAt' | 'memberCount';
const SORTS: Record<SortKey, (a: CaseItem, b: CaseItem) => number> = {
  priority: (a, b) => a.priority - b.priority || b.score - a.score,
  dueAt: (a, b) => (a.dueAt ?? '9').localeCompare(b.dueAt ?? '9'),
  score: (a, b) => b.score - a.score,
  openedAt: (a, b) => b.openedAt.localeCompare(a.openedAt),
  memberCount: (a, b) => b.memberCount - a.memberCount,
};
const STATES = ['open', 'in-review', 'escalated', 'confirmed-malicious', 'benign', 'superseded'];
const REOPENABLE = new Set(['confirmed-malicious', 'benign', 'superseded']);
/** A deadline means something only while a human still owes the case a look. */
const awaitsReview = (state: string): boolean =>
  state === 'open' || state === 'in-review' || state === 'escalated';

const typing = (t: EventTarget | null) =>
  t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));

export function ReviewView({
  role,
  actor,
  caseId,
  query,
}: {
  role: Role;
  /** How the server names this key in assignee and history fields (`key:<id>`). */
  actor: string;
  caseId: string | null;
  query: URLSearchParams;
}) {
  const [state, setState] = useState(query.get('state') ?? 'active');
  const [queue, setQueue] = useState(query.get('queue') ?? '');
  const [priority, setPriority] = useState(query.get('priority') ?? '');
  const [sort, setSort] = useState<SortKey>('priority');
  const [mine, setMine] = useState(false);
  const [cursor, setCursor] = useState(0);
  const [dialog, setDialog] = useState<DecisionAs | 'reopen' | null>(null);
  const [notice, setNotice] = useState<{ text: string; bad?: boolean } | null>(null);
  const analyst = can(role, 'analyst');

  const list = useData(
    async () => {
      const states = state === 'active' ? ['open', 'in-review'] : state === 'all' ? [''] : [state];
      const items: CaseItem[] = [];
      for (const s of states) {
        const p = new URLSearchParams({ limit: '500' });
        if (s) p.set('state', s);
        if (queue) p.set('queue', queue);
        const page = await optional<Page<CaseItem>>(`/v1/cases?${p}`);
        if (!page) return null;
        items.push(...page.items);
      }
      return items;
    },
    [state, queue],
    5000,
  );
  const detail = useData(
    () => (caseId ? optional<CaseDetail>(`/v1/cases/${encodeURIComponent(caseId)}`) : Promise.resolve(null)),
    [caseId],
    5000,
  );

  const rows = (list.data ?? [])
    .filter((c) => !priority || String(c.priority) === priority)
    .filter((c) => !mine || c.assignee === actor)
    .sort(SORTS[sort]);
  const queues = [...new Set((list.data ?? []).map((c) => c.queue))].sort();
  const open = (i: number) => {
    const c = rows[i];
    if (!c) return;
    setCursor(i);
    navigate(href('cases', c.id));
  };
  useEffect(() => {
    const i = rows.findIndex((r) => r.id === caseId);
    if (i >= 0) setCursor(i);
  }, [caseId, rows.length]);

  const current = detail.data ?? null;
  const act = async (what: 'claim' | 'reopen' | DecisionAs, note?: string, tlp?: Tlp) => {
    if (!current) return;
    try {
      if (what === 'claim') {
        await post(`/v1/cases/${encodeURIComponent(current.id)}/claim`, {});
        setNotice({ text: `Claimed ${current.id}.` });
      } else if (what === 'reopen') {
        await post(`/v1/cases/${encodeURIComponent(current.id)}/reopen`, { note: note ?? '' });
        setNotice({ text: `Reopened ${current.id}.` });
      } else {
        // Only the analyst who holds a case decides it: an unclaimed one is claimed first (both audited).
        if (current.state !== 'in-review' || current.assignee !== actor)
          await post(`/v1/cases/${encodeURIComponent(current.id)}/claim`, {});
        await post(`/v1/cases/${encodeURIComponent(current.id)}/decision`, {
          as: what,
          note: note ?? '',
          ...(tlp ? { tlp } : {}),
        });
        setNotice({ text: `${current.id} decided: ${what}.` });
      }
      detail.reload();
      list.reload();
    } catch (e) {
      setNotice({
        text: e instanceof ApiError ? `${e.code}: ${e.message}` : String(e),
        bad: true,
      });
    }
  };

  // The key handler is installed once; it reads this render's state and actions through a ref.
  const keys = useRef({ rows, cursor, current, analyst, dialog, act, open });
  keys.current = { rows, cursor, current, analyst, dialog, act, open };
  useEffect(() => {
    const on = (ev: KeyboardEvent) => {
      const k = keys.current;
      if (k.dialog || typing(ev.target) || ev.ctrlKey || ev.metaKey || ev.altKey) return;
      if (ev.key === 'j' || ev.key === 'k') {
        ev.preventDefault();
        const next = Math.max(0, Math.min(k.rows.length - 1, k.cursor + (ev.key === 'j' ? 1 : -1)));
        k.open(next);
        document.querySelector<HTMLElement>(`[data-case-row="${next}"] a`)?.focus();
      } else if (k.analyst && k.current && ev.key === 'c') {
        ev.preventDefault();
        void k.act('claim');
      } else if (k.analyst && k.current && (ev.key === 'm' || ev.key === 'b' || ev.key === 'e')) {
        ev.preventDefault();
        setDialog(ev.key === 'm' ? 'malicious' : ev.key === 'b' ? 'benign' : 'escalated');
      } else if (k.analyst && k.current && ev.key === 'r' && REOPENABLE.has(k.current.state)) {
        ev.preventDefault();
        setDialog('reopen');
      }
    };
    window.addEventListener('keydown', on);
    return () => window.removeEventListener('keydown', on);
  }, []);

  const decidable =
    current && (current.state === 'open' || current.state === 'in-review' || current.state === 'escalated');
  const reopenable = current && REOPENABLE.has(current.state);

  return (
    <div class="review">
      <h1 class="view-title">Review queue</h1>
      <section class="panel queue" aria-labelledby="queue-h">
        <div class="panel-head">
          <h2 id="queue-h">{list.data ? count(rows.length, 'case') : 'Cases'}</h2>
        </div>
        <div class="filters wrap">
          <label>
            state{' '}
            <select value={state} onChange={(e) => setState((e.target as HTMLSelectElement).value)}>
              <option value="active">open + in review</option>
              {STATES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
              <option value="all">all</option>
            </select>
          </label>
          <label>
            queue{' '}
            <select value={queue} onChange={(e) => setQueue((e.target as HTMLSelectElement).value)}>
              <option value="">all</option>
              {queues.map((q) => (
                <option key={q} value={q}>
                  {q}
                </option>
              ))}
            </select>
          </label>
          <label>
            priority{' '}
            <select value={priority} onChange={(e) => setPriority((e.target as HTMLSelectElement).value)}>
              <option value="">all</option>
              {[1, 2, 3, 4].map((p) => (
                <option key={p} value={String(p)}>
                  P{p}
                </option>
              ))}
            </select>
          </label>
          <label>
            sort{' '}
            <select value={sort} onChange={(e) => setSort((e.target as HTMLSelectElement).value as SortKey)}>
              <option value="priority">priority</option>
              <option value="dueAt">due first</option>
              <option value="score">score</option>
              <option value="openedAt">newest</option>
              <option value="memberCount">members</option>
            </select>
          </label>
          <label class="check">
            <input
              type="checkbox"
              checked={mine}
              onChange={(e) => setMine((e.target as HTMLInputElement).checked)}
            />{' '}
            mine
          </label>
        </div>
        <Problem error={list.error} what="cases" />
        {list.data === null ? (
          <Empty>This server has no review stage (no /v1/cases).</Empty>
        ) : rows.length === 0 ? (
          <Empty>The queue is empty.</Empty>
        ) : (
          <ol class="cases" aria-label="Cases">
            {rows.map((c, i) => (
              <li
                key={c.id}
                data-case-row={i}
                class={`${c.id === caseId ? 'sel' : ''} ${i === cursor ? 'cursor' : ''}`}
              >
                <a
                  href={href('cases', c.id)}
                  aria-current={c.id === caseId ? 'true' : undefined}
                  onClick={() => setCursor(i)}
                >
                  <span class={`prio p${c.priority}`}>P{c.priority}</span>
                  <span class="case-main">
                    <b>{c.summary || c.subject}</b>
                    <span class="sub">
                      {c.id} · {c.memberCount} members · {c.outcome} · {c.state}
                      {c.assignee ? ` · ${c.assignee}` : ''}
                      {awaitsReview(c.state) ? ` · due ${ago(c.dueAt)}` : ''}
                    </span>
                  </span>
                  <Score value={c.score} />
                </a>
              </li>
            ))}
          </ol>
        )}
        <p class="hint keys">
          Keys: <kbd>j</kbd>/<kbd>k</kbd> next/previous
          {analyst ? (
            <>
              , <kbd>c</kbd> claim, <kbd>m</kbd> malicious, <kbd>b</kbd> benign, <kbd>e</kbd> escalate,{' '}
              <kbd>r</kbd> reopen
            </>
          ) : null}
        </p>
      </section>

      <section class="panel case" aria-labelledby="case-h">
        {!caseId ? (
          <Empty>Select a case (or press j).</Empty>
        ) : detail.error && !current ? (
          <Problem error={detail.error} what={`case ${caseId}`} />
        ) : !current ? (
          <p class="hint">Loading {caseId}…</p>
        ) : (
          <>
            <div class="panel-head">
              <h2 id="case-h">
                {current.id} <span class={`pill st-${current.state}`}>{current.state}</span>
                {current.supersededBy ? (
                  <a class="hint" href={href('cases', current.supersededBy)}>
                    {' '}
                    by {current.supersededBy}
                  </a>
                ) : null}
              </h2>
              {analyst ? (
                <fieldset class="actions">
                  <legend class="sr-only">Case actions</legend>
                  <button
                    type="button"
                    onClick={() => void act('claim')}
                    disabled={!(current.state === 'open' || current.state === 'escalated')}
                    aria-keyshortcuts="c"
                  >
                    Claim <kbd>c</kbd>
                  </button>
                  <button
                    type="button"
                    class="danger"
                    onClick={() => setDialog('malicious')}
                    disabled={!decidable}
                    aria-keyshortcuts="m"
                  >
                    Malicious <kbd>m</kbd>
                  </button>
                  <button
                    type="button"
                    onClick={() => setDialog('benign')}
                    disabled={!decidable}
                    aria-keyshortcuts="b"
                  >
                    Benign <kbd>b</kbd>
                  </button>
                  <button
                    type="button"
                    onClick={() => setDialog('escalated')}
                    disabled={!decidable}
                    aria-keyshortcuts="e"
                  >
                    Escalate <kbd>e</kbd>
                  </button>
                  {reopenable ? (
                    <button type="button" onClick={() => setDialog('reopen')} aria-keyshortcuts="r">
                      Reopen <kbd>r</kbd>
                    </button>
                  ) : null}
                </fieldset>
              ) : (
                <p class="hint">Read-only: deciding needs the analyst role.</p>
              )}
            </div>
            <p role="status" aria-live="polite" class={notice?.bad ? 'err' : 'ok'}>
              {notice?.text ?? ''}
            </p>
            <p class="sub">
              P{current.priority} · queue {current.queue} · {current.outcome} · opened{' '}
              {when(current.openedAt)} · {awaitsReview(current.state) ? `due ${when(current.dueAt)} · ` : ''}
              {current.assignee ? `claimed by ${current.assignee}` : 'unclaimed'}
              {current.campaignId ? (
                <>
                  {' '}
                  · <a href={href('campaigns', current.campaignId)}>campaign {current.campaignId}</a>
                </>
              ) : null}
            </p>
            <p class="explain">{current.summary}</p>
            {current.decision ? (
              <p>
                <Tag tone={current.decision.as === 'malicious' ? 'bad' : 'ok'}>{current.decision.as}</Tag> by{' '}
                {current.decision.actor} {ago(current.decision.at)}
                {current.decision.tlp ? ` · TLP:${current.decision.tlp.toUpperCase()}` : ''} — “
                {current.decision.note}”
              </p>
            ) : null}
            <CaseEvidence detail={current} />
          </>
        )}
      </section>
      {dialog && current ? (
        <DecisionDialog
          caseId={current.id}
          as={dialog}
          onCancel={() => setDialog(null)}
          onConfirm={(note, tlp) => {
            setDialog(null);
            void act(dialog, note, tlp);
          }}
        />
      ) : null}
    </div>
  );
}
