// Entity search: a name, URL, IP, wallet or account, matched against keys and display names.
import { useEffect, useState } from 'preact/hooks';
import { ENTITY_TYPES } from '../../../src/domain/entity.js';
import { Empty, Panel, Problem, Score } from '../components/ui.js';
import { get } from '../lib/api.js';
import { seenAgo } from '../lib/clock.js';
import { guessType } from '../lib/format.js';
import { href, navigate } from '../lib/router.js';
import type { EntityRow, Page } from '../lib/types.js';
import { useData } from '../lib/use-data.js';

// The server's own list (src/domain/entity.ts has no imports), bundled at build: one list to extend.
const TYPES = ENTITY_TYPES;

export function EntitiesView({ query }: { query: URLSearchParams }) {
  const q = query.get('q') ?? '';
  const type = query.get('type') ?? '';
  const flagged = query.get('flagged') === 'true';
  const [text, setText] = useState(q);
  const [pages, setPages] = useState<string[]>([]);
  useEffect(() => setText(q), [q]);
  useEffect(() => setPages([]), [q, type, flagged]);

  const list = useData(async () => {
    const rows: EntityRow[] = [];
    let next: string | null = null;
    for (const offset of ['0', ...pages]) {
      const p = new URLSearchParams({ limit: '50', order: 'score', offset });
      if (q) p.set('search', q);
      if (type) p.set('type', type);
      if (flagged) p.set('flagged', 'true');
      const page = await get<Page<EntityRow>>(`/v1/entities?${p}`);
      rows.push(...page.items);
      next = page.next;
    }
    return { rows, next };
  }, [q, type, flagged, pages.length]);

  const go = (changes: Record<string, string>) => {
    const p = new URLSearchParams({ q, type, flagged: flagged ? 'true' : '', ...changes });
    for (const [k, v] of [...p]) if (!v) p.delete(k);
    navigate(`${href('entities')}?${p}`);
  };
  const guessed = guessType(text);

  return (
    <div class="grid">
      <h1 class="view-title">Entities</h1>
      <Panel title="Search" class="wide">
        <search>
          <form
            class="filters"
            onSubmit={(e) => {
              e.preventDefault();
              go({ q: text.trim(), type: type || guessed || '' });
            }}
          >
            <label class="grow">
              <span class="sr-only">Name, URL, IP, wallet or account</span>
              <input
                type="search"
                name="q"
                value={text}
                placeholder="name, URL, IP, wallet or account…"
                onInput={(e) => setText((e.target as HTMLInputElement).value)}
              />
            </label>
            <label>
              <span class="sr-only">Type</span>
              <select value={type} onChange={(e) => go({ type: (e.target as HTMLSelectElement).value })}>
                <option value="">all types</option>
                {TYPES.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </select>
            </label>
            <label class="check">
              <input
                type="checkbox"
                checked={flagged}
                onChange={(e) => go({ flagged: (e.target as HTMLInputElement).checked ? 'true' : '' })}
              />
              flagged only
            </label>
            <button type="submit" class="primary">
              Search
            </button>
          </form>
        </search>
        {guessed && !type && text.trim() !== q ? (
          <p class="hint">
            Looks like {guessed === 'ip' ? 'an IP address' : `a ${guessed}`}: the search will look among{' '}
            {guessed} entities.
          </p>
        ) : null}
        <Problem error={list.error} what="entities" />
        {list.data && list.data.rows.length === 0 ? (
          <Empty>Nothing matches{q ? ` “${q}”` : ''}.</Empty>
        ) : (
          <table class="results">
            <caption class="sr-only">Entities, highest score first</caption>
            <thead>
              <tr>
                <th scope="col">score</th>
                <th scope="col">entity</th>
                <th scope="col">type</th>
                <th scope="col">strongest reason</th>
                <th scope="col">last seen</th>
              </tr>
            </thead>
            <tbody>
              {(list.data?.rows ?? []).map((r) => (
                <tr key={r.entity.key}>
                  <td>
                    <Score value={r.assessment?.score} />
                  </td>
                  <td>
                    <a href={href('entity', r.entity.key)}>{r.entity.display}</a>
                    {r.entity.display !== r.entity.key.slice(r.entity.type.length + 1) ? (
                      <div class="sub">{r.entity.key}</div>
                    ) : null}
                  </td>
                  <td>{r.entity.type}</td>
                  <td class="why">
                    {[...(r.assessment?.contributions ?? [])].sort((a, b) => b.points - a.points)[0]
                      ?.detail ?? ''}
                  </td>
                  <td>{seenAgo(r.entity.lastSeen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {list.data?.next ? (
          <button type="button" onClick={() => setPages((p) => [...p, list.data?.next ?? '0'])}>
            More
          </button>
        ) : null}
      </Panel>
    </div>
  );
}
