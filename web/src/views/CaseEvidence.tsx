// Evidence side by side: the case's members with their signals on the left; the selected member's
// facts (RDAP/DNS/certificate), linked accounts and page captures (screenshot, requests, DOM) on the
// right; the policy rules that fired and the case history below.
import { useEffect, useState } from 'preact/hooks';
import { Empty, Score } from '../components/ui.js';
import { get, getText, imageUrl, optional } from '../lib/api.js';
import { when } from '../lib/format.js';
import { href } from '../lib/router.js';
import type { CaseDetail, EntityDetail } from '../lib/types.js';
import { useData } from '../lib/use-data.js';
import { Facts, Signals } from './EntityView.js';

export interface SnapshotView {
  hash: string;
  url: string;
  finalUrl: string;
  fetchedAt: string;
  mode: string;
  status?: number;
  redirectChain: string[];
  headers: Record<string, string>;
  requests: { url: string; method?: string; type?: string; status?: number }[];
  hasScreenshot: boolean;
  domBytes: number;
}

export function CaseEvidence({ detail }: { detail: CaseDetail }) {
  const members = [...detail.members].sort((a, b) => b.score - a.score);
  const [selected, setSelected] = useState<string | null>(members[0]?.key ?? null);
  useEffect(() => {
    if (!members.some((m) => m.key === selected)) setSelected(members[0]?.key ?? null);
  }, [detail.id]);
  const member = members.find((m) => m.key === selected);
  return (
    <>
      <div class="evidence">
        <div class="members">
          <ul class="plain" aria-label="Members and their signals">
            {members.slice(0, 200).map((m) => (
              <li key={m.key} class={`member ${m.key === selected ? 'sel' : ''}`}>
                <button
                  type="button"
                  class="member-head"
                  aria-pressed={m.key === selected}
                  onClick={() => setSelected(m.key)}
                >
                  <Score value={m.score} /> <b>{m.display}</b> <span class="sub">{m.type}</span>
                </button>
                {m.key === selected || members.length <= 3 ? (
                  <Signals items={m.signals} max={Math.max(1, ...m.signals.map((s) => Math.abs(s.weight)))} />
                ) : (
                  <p class="sub">{m.signals.map((s) => s.id).join(' · ')}</p>
                )}
              </li>
            ))}
          </ul>
          {members.length > 200 ? <p class="hint">First 200 of {members.length} members.</p> : null}
        </div>
        <div class="member-evidence">
          {member ? <MemberEvidence entityKey={member.key} /> : <Empty>No member.</Empty>}
        </div>
      </div>
      <details class="rules" open={detail.rules.length <= 6}>
        <summary>Policy rules ({detail.rules.filter((r) => r.matched).length} matched)</summary>
        <ul class="plain">
          {detail.rules.map((r) => (
            <li key={r.id}>
              <span class={`pill ${r.matched ? 't-bad' : ''}`}>{r.matched ? 'matched' : 'no'}</span>{' '}
              <code>{r.id}</code> → {r.outcome}
              {r.trace ? (
                <code class="json trace">
                  {typeof r.trace === 'string' ? r.trace : JSON.stringify(r.trace)}
                </code>
              ) : null}
            </li>
          ))}
        </ul>
      </details>
      <details class="history">
        <summary>History ({detail.history.length})</summary>
        <ol class="timeline">
          {detail.history.map((h, i) => (
            <li key={`${h.at}${i}`}>
              <time dateTime={h.at}>{when(h.at)}</time> <b>{h.kind}</b> {h.from ? `${h.from} → ${h.to}` : ''}{' '}
              by {h.actor}
              {h.note ? ` — “${h.note}”` : ''}
            </li>
          ))}
        </ol>
      </details>
    </>
  );
}

function MemberEvidence({ entityKey }: { entityKey: string }) {
  const d = useData(() => get<EntityDetail>(`/v1/entities/${encodeURIComponent(entityKey)}`), [entityKey]);
  if (!d.data) return d.error ? <p class="err">{d.error.message}</p> : <p class="hint">Loading…</p>;
  const { entity, links } = d.data;
  const others = links.map((l) => ({ l, other: l.from === entity.key ? l.to : l.from }));
  const accounts = others.filter((o) => /^(account|payment|wallet|email|device):/.test(o.other));
  // A page member is its own capture; a name or URL shows the capture linked to it.
  const snapshot = entity.key.startsWith('snapshot:')
    ? entity.key
    : others.find((o) => o.other.startsWith('snapshot:'))?.other;
  const infra = others.filter((o) => /^(ip|ns|cert|asn|domain):/.test(o.other));
  return (
    <div class="stack">
      <h3>
        <a href={href('entity', entity.key)}>{entity.display}</a>
      </h3>
      {snapshot ? <Snapshot snapshotKey={snapshot} /> : <p class="hint">No page capture.</p>}
      <h4>Facts (RDAP, DNS, certificate)</h4>
      <Facts attrs={entity.attrs} />
      <h4>Linked accounts, payments and wallets</h4>
      {accounts.length === 0 ? (
        <p class="hint">None.</p>
      ) : (
        <ul class="plain">
          {accounts.slice(0, 30).map(({ l, other }) => (
            <li key={other + l.pivot}>
              <a href={href('entity', other)}>{other}</a> <span class="sub">via {l.pivot}</span>
            </li>
          ))}
        </ul>
      )}
      <h4>Infrastructure</h4>
      {infra.length === 0 ? (
        <p class="hint">None.</p>
      ) : (
        <ul class="plain">
          {infra.slice(0, 30).map(({ l, other }) => (
            <li key={other + l.pivot}>
              <a href={href('entity', other)}>{other}</a> <span class="sub">via {l.pivot}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Snapshot({ snapshotKey }: { snapshotKey: string }) {
  const hash = snapshotKey.replace(/^snapshot:(sha256:)?/, '');
  const s = useData(() => optional<SnapshotView>(`/v1/snapshots/${encodeURIComponent(hash)}`), [hash]);
  const [img, setImg] = useState<string | null>(null);
  const [dom, setDom] = useState<string | null>(null);
  useEffect(() => {
    setImg(null);
    setDom(null);
    if (!s.data?.hasScreenshot) return undefined;
    let url: string | null = null;
    imageUrl(`/v1/snapshots/${encodeURIComponent(hash)}/screenshot`).then(
      (u) => {
        url = u;
        setImg(u);
      },
      () => setImg(null),
    );
    return () => {
      if (url) URL.revokeObjectURL(url);
    };
  }, [s.data?.hash]);
  if (s.data === null)
    return <p class="hint">Captured page {hash.slice(0, 12)}… (this server does not serve captures).</p>;
  if (!s.data) return <p class="hint">Loading the capture…</p>;
  const snap = s.data;
  return (
    <div class="snapshot">
      <h4>
        Page capture{' '}
        <span class="sub">
          {when(snap.fetchedAt)} · {snap.mode} · HTTP {snap.status ?? '–'}
        </span>
      </h4>
      {img ? (
        <img src={img} alt={`Screenshot of ${snap.finalUrl}`} class="shot" />
      ) : snap.hasScreenshot ? (
        <p class="hint">Loading screenshot…</p>
      ) : (
        <p class="hint">No screenshot (fetched, not rendered).</p>
      )}
      <p class="sub">
        {snap.url}
        {snap.finalUrl !== snap.url ? ` → ${snap.finalUrl}` : ''}
        {snap.redirectChain.length > 1 ? ` (${snap.redirectChain.length - 1} redirects)` : ''}
      </p>
      <details>
        <summary>Requests ({snap.requests.length})</summary>
        <ul class="plain mono">
          {snap.requests.slice(0, 100).map((r, i) => (
            <li key={`${r.url}${i}`}>
              {r.method ?? 'GET'} {r.status ?? ''} <span class="sub">{r.type ?? ''}</span> {r.url}
            </li>
          ))}
        </ul>
      </details>
      <details
        onToggle={(e) => {
          if ((e.target as HTMLDetailsElement).open && dom === null)
            getText(`/v1/snapshots/${encodeURIComponent(hash)}/dom`).then(setDom, (err: unknown) =>
              setDom(String(err)),
            );
        }}
      >
        <summary>DOM ({Math.round(snap.domBytes / 1024)} KiB)</summary>
        <pre class="dom">{dom ?? 'Loading…'}</pre>
      </details>
    </div>
  );
}
