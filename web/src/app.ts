// The dashboard: a thin client of the HTTP API. The API key comes from the URL fragment (#key=…, never
// sent to the server in a URL) or the form, and lives in sessionStorage.

interface Contribution {
  id: string;
  weight: number;
  points: number;
  detail: string;
}
interface Assessment {
  score: number;
  flagged: boolean;
  verdict: string;
  contributions: Contribution[];
  assessedAt: string;
}
interface Entity {
  key: string;
  type: string;
  display: string;
  firstSeen: string;
  lastSeen: string;
  attrs: Record<string, unknown>;
}
interface EntityView {
  entity: Entity;
  assessment?: Assessment | null;
}
interface Link {
  from: string;
  to: string;
  pivot: string;
  strength: number;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const TYPES = [
  'domain',
  'url',
  'cert',
  'account',
  'ip',
  'ns',
  'snapshot',
  'kit',
  'wallet',
  'payment',
  'email',
];

function takeKeyFromFragment(): void {
  const m = /(?:^#|&)key=([^&]+)/.exec(location.hash);
  if (m?.[1]) {
    sessionStorage.setItem('precursor.key', decodeURIComponent(m[1]));
    history.replaceState(null, '', location.pathname);
  }
}

async function api<T>(path: string): Promise<T> {
  const key = sessionStorage.getItem('precursor.key') ?? '';
  const r = await fetch(path, { headers: { authorization: `Bearer ${key}` } });
  if (r.status === 401 || r.status === 403) {
    $('keyform').hidden = false;
    throw new Error('an API key with the reader role is needed');
  }
  if (!r.ok) throw new Error(`${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const scoreClass = (s: number | undefined) =>
  s === undefined ? 's-none' : s >= 85 ? 's-hi' : s >= 50 ? 's-mid' : 's-lo';
const scoreBadge = (a?: Assessment | null) =>
  `<span class="score ${scoreClass(a?.score)}">${a ? Math.round(a.score) : '–'}</span>`;

let after: string | null = null;

async function loadStats(): Promise<void> {
  const s = await api<Record<string, number>>('/v1/stats');
  $('stats').innerHTML = [
    ['flagged', 'flagged for review'],
    ['entities', 'entities'],
    ['observations', 'observations'],
    ['links', 'links'],
    ['deadLetters', 'dead letters'],
  ]
    .map(([k, label]) => `<div class="stat"><b>${s[k as string] ?? 0}</b><span>${label}</span></div>`)
    .join('');
}

async function loadRows(append: boolean): Promise<void> {
  const q = new URLSearchParams({ limit: '100', order: 'score' });
  if (($('flagged') as HTMLInputElement).checked) q.set('flagged', 'true');
  const type = ($('type') as HTMLSelectElement).value;
  if (type) q.set('type', type);
  const search = ($('search') as HTMLInputElement).value.trim();
  if (search) q.set('search', search);
  if (append && after) q.set('offset', after);
  const r = await api<{ items: EntityView[]; next: string | null }>(`/v1/entities?${q}`);
  after = r.next;
  $('more').hidden = r.next === null;
  const html = r.items
    .map(
      (
        v,
      ) => `<tr class="row" data-key="${esc(v.entity.key)}"><td>${scoreBadge(v.assessment)}</td><td>${esc(v.entity.display)}</td>
      <td>${esc(v.entity.type)}</td><td class="why">${esc(v.assessment?.contributions[0]?.detail ?? '')}</td></tr>`,
    )
    .join('');
  const body = $('rows');
  body.innerHTML = append
    ? body.innerHTML + html
    : html || '<tr><td colspan="4" class="hint">nothing matches</td></tr>';
}

async function showDetail(key: string): Promise<void> {
  const d = await api<{
    entity: Entity;
    assessment: Assessment | null;
    history: Assessment[];
    links: Link[];
  }>(`/v1/entities/${encodeURIComponent(key)}`);
  const a = d.assessment;
  const max = Math.max(1, ...(a?.contributions ?? []).map((c) => Math.abs(c.points)));
  $('detail').innerHTML = `
    <h2>${esc(d.entity.display)} ${scoreBadge(a)}</h2>
    <p><code>${esc(d.entity.key)}</code><br>first seen ${esc(d.entity.firstSeen)} · last seen ${esc(d.entity.lastSeen)}</p>
    ${a ? `<p>verdict <b>${esc(a.verdict)}</b>${a.flagged ? ' — flagged for review' : ''}</p>` : '<p class="hint">not assessed</p>'}
    ${(a?.contributions ?? [])
      .map(
        (c) => `<div class="contrib"><div class="pts">${c.points >= 0 ? '+' : ''}${c.points.toFixed(1)}</div>
        <div><div class="bar" data-width="${(Math.abs(c.points) / max) * 100}"></div><span class="id">${esc(c.id)}</span> (weight ${c.weight})<br>${esc(c.detail)}</div></div>`,
      )
      .join('')}
    ${
      d.links.length
        ? `<h3>links</h3><ul>${d.links
            .slice(0, 50)
            .map((l) => `<li>${esc(l.pivot)} → <code>${esc(l.from === key ? l.to : l.from)}</code></li>`)
            .join('')}</ul>`
        : ''
    }
    ${d.history.length > 1 ? `<h3>history</h3><ul>${d.history.map((h) => `<li>${esc(h.assessedAt)}: ${h.score}</li>`).join('')}</ul>` : ''}`;
  // Widths through the CSSOM: the Content-Security-Policy allows no inline style attributes.
  for (const bar of $('detail').querySelectorAll<HTMLElement>('.bar[data-width]'))
    bar.style.width = `${Number(bar.dataset.width)}%`;
}

function report(e: unknown): void {
  $('detail').innerHTML = `<p class="err">${esc(e instanceof Error ? e.message : String(e))}</p>`;
}

function main(): void {
  takeKeyFromFragment();
  const typeSel = $('type') as HTMLSelectElement;
  for (const t of TYPES) typeSel.add(new Option(t, t));
  const reload = () => {
    after = null;
    loadRows(false).catch(report);
  };
  $('flagged').addEventListener('change', reload);
  typeSel.addEventListener('change', reload);
  let timer: number | undefined;
  $('search').addEventListener('input', () => {
    clearTimeout(timer);
    timer = window.setTimeout(reload, 250);
  });
  $('more').addEventListener('click', () => void loadRows(true).catch(report));
  $('rows').addEventListener('click', (ev) => {
    const tr = (ev.target as HTMLElement).closest('tr[data-key]');
    if (!tr) return;
    for (const x of document.querySelectorAll('tr.sel')) x.classList.remove('sel');
    tr.classList.add('sel');
    showDetail(tr.getAttribute('data-key') ?? '').catch(report);
  });
  $('keyform').addEventListener('submit', (ev) => {
    ev.preventDefault();
    sessionStorage.setItem('precursor.key', ($('keyinput') as HTMLInputElement).value.trim());
    $('keyform').hidden = true;
    refresh();
  });
  const refresh = () => {
    loadStats().catch(report);
    reload();
  };
  refresh();
  window.setInterval(() => loadStats().catch(() => {}), 5000);
}

main();
