import { useState } from 'preact/hooks';
import { Empty, Panel, Problem, Score, Strength } from '../components/ui.js';
import { optional } from '../lib/api.js';
import { seenAgo } from '../lib/clock.js';
import { count, hours, num } from '../lib/format.js';
import { href } from '../lib/router.js';
import type { CampaignItem, Page } from '../lib/types.js';
import { useData } from '../lib/use-data.js';

type SortKey = 'risk' | 'memberCount' | 'lastSeen' | 'leadTimeHours';

export function CampaignsView() {
  const [flagged, setFlagged] = useState(true);
  const [sort, setSort] = useState<SortKey>('risk');
  const list = useData(
    () => optional<Page<CampaignItem>>(`/v1/campaigns?limit=500${flagged ? '&flagged=true' : ''}`),
    [flagged],
    5000,
  );
  const rows = [...(list.data?.items ?? [])].sort((a, b) => {
    const x = a[sort] ?? -Infinity;
    const y = b[sort] ?? -Infinity;
    return x < y ? 1 : x > y ? -1 : 0;
  });
  return (
    <div class="grid">
      <h1 class="view-title">Campaigns</h1>
      <Panel
        title={count(rows.length, flagged ? 'flagged campaign' : 'campaign')}
        class="wide"
        actions={
          <>
            <label class="check">
              <input
                type="checkbox"
                checked={flagged}
                onChange={(e) => setFlagged((e.target as HTMLInputElement).checked)}
              />
              flagged only
            </label>
            <label>
              sort by{' '}
              <select
                value={sort}
                onChange={(e) => setSort((e.target as HTMLSelectElement).value as SortKey)}
              >
                <option value="risk">risk</option>
                <option value="memberCount">members</option>
                <option value="lastSeen">last seen</option>
                <option value="leadTimeHours">lead time</option>
              </select>
            </label>
          </>
        }
      >
        <Problem error={list.error} what="campaigns" />
        {list.data === null ? (
          <Empty>This server has no correlation stage (no /v1/campaigns).</Empty>
        ) : rows.length === 0 ? (
          <Empty>No campaign yet.</Empty>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">risk</th>
                <th scope="col">campaign</th>
                <th scope="col">members</th>
                <th scope="col">strongest pivots</th>
                <th scope="col">lead time</th>
                <th scope="col">last seen</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Score value={c.risk} label="risk" />
                  </td>
                  <td>
                    <a href={href('campaigns', c.id)}>{c.name || c.id}</a>
                    <div class="sub">
                      {c.id} · {c.state}
                    </div>
                  </td>
                  <td>
                    {num(c.memberCount)}
                    <div class="sub">
                      {Object.entries(c.counts)
                        .map(([t, n]) => `${n} ${t}`)
                        .join(', ')}
                    </div>
                  </td>
                  <td>
                    {c.topPivots.slice(0, 3).map((p) => (
                      <div key={p.key}>
                        <Strength value={p.strength} /> <span title={p.key}>{p.kind}</span>{' '}
                        <span class="sub">
                          {shortValue(p.key)} ({p.members})
                        </span>
                      </div>
                    ))}
                  </td>
                  <td>
                    {c.leadTimeHours === null ? (
                      <span class="hint">not live yet</span>
                    ) : (
                      hours(c.leadTimeHours)
                    )}
                  </td>
                  <td>{seenAgo(c.lastSeen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>
    </div>
  );
}

/**
 * The pivot's value, short: two pivots of one kind (two certificates) must not look the same in the
 * list. The whole key is the title.
 */
function shortValue(key: string): string {
  const value = key.slice(key.indexOf(':') + 1).replace(/^sha256:/, '');
  return value.length > 14 ? `${value.slice(0, 12)}…` : value;
}
