// One campaign: its network, how it grew, who is in it, what ties it together, and its case.
import { lazy, Suspense } from 'preact/compat';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { TimeChart } from '../components/Chart.js';
import { Empty, Panel, Problem, Score, Strength } from '../components/ui.js';
import { download, get, optional } from '../lib/api.js';
import { campaignExports, type ExportLink } from '../lib/exports.js';
import { seenAgo } from '../lib/clock.js';
import { hours, num, when } from '../lib/format.js';
import { can } from '../lib/roles.js';
import { href } from '../lib/router.js';
import type { CampaignDetail, CampaignGraphData, CaseItem, Page, Role } from '../lib/types.js';
import { useData } from '../lib/use-data.js';

// sigma and the layout are the heaviest code of the dashboard: loaded when a campaign is opened.
const loadGraph = () => import('../components/CampaignGraph.js');
const CampaignGraph = lazy(() => loadGraph().then((m) => ({ default: m.CampaignGraph })));

export function CampaignView({ id, role }: { id: string; role: Role }) {
  const c = useData(() => get<CampaignDetail>(`/v1/campaigns/${encodeURIComponent(id)}`), [id], 15_000);
  const cases = useData(
    async () => {
      const page = await optional<Page<CaseItem>>('/v1/cases?limit=1000');
      return page?.items ?? [];
    },
    [id],
    10_000,
  );
  const exports = useData(() => campaignExports(id), [id]);
  const [selected, setSelected] = useState<string | null>(null);
  // Fetch the graph code while the campaign is being fetched, not after.
  useEffect(() => {
    void loadGraph();
  }, []);
  const [filter, setFilter] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const data = c.data;
  // The network is fetched (and laid out again) only when the campaign changed, not on every poll.
  const version = data ? `${data.id}:${data.updatedAt}:${data.memberCount}` : '';
  const graph = useData(
    () =>
      version
        ? get<CampaignGraphData>(`/v1/campaigns/${encodeURIComponent(id)}/graph`)
        : Promise.resolve(undefined),
    [version],
  );
  const graphData = useMemo(() => graph.data, [graph.data?.id, graph.data?.edges.length, version]);

  if (c.error && !data) return <Problem error={c.error} what={`campaign ${id}`} />;
  if (!data) return <p class="hint">Loading campaign {id}…</p>;
  // The campaign's own case first, then cases opened on single members (lone entities).
  const memberKeys = new Set(data.members.map((m) => m.key as string));
  const related = (cases.data ?? [])
    .filter((k) => k.campaignId === id || k.subject === `campaign:${id}` || memberKeys.has(k.subject))
    .sort((a, b) => Number(b.campaignId === id) - Number(a.campaignId === id) || a.priority - b.priority);
  const sel = data.members.find((m) => m.key === selected);
  const selEdges = (graphData?.edges ?? []).filter((e) => e.from === selected || e.to === selected);
  const rank = { strong: 0, medium: 1, weak: 2 };
  selEdges.sort((a, b) => rank[a.strength] - rank[b.strength]);
  const members = data.members
    .filter(
      (m) => !filter || m.display.toLowerCase().includes(filter.toLowerCase()) || m.key.includes(filter),
    )
    .sort((a, b) => b.score - a.score);
  const growth = data.growth.map((g) => ({ t: Date.parse(`${g.day}T00:00:00Z`) / 1000, n: g.members }));

  return (
    <div class="grid">
      <div class="view-title">
        <p class="crumbs">
          <a href={href('campaigns')}>Campaigns</a> / {data.id}
        </p>
        <h1>
          {data.name || data.id} <Score value={data.risk} label="risk" />
        </h1>
        <p class="sub">
          {data.state} · {num(data.memberCount)} members · first seen {when(data.firstSeen)} · last seen{' '}
          <time dateTime={data.lastSeen} title={when(data.lastSeen)}>
            {seenAgo(data.lastSeen)}
          </time>
          {data.leadTime?.hours != null ? (
            <>
              {' '}
              · <b>caught {hours(data.leadTime.hours)} before go-live</b>
            </>
          ) : data.leadTime ? (
            <> · flagged {when(data.leadTime.firstFlaggedAt)}, not live yet</>
          ) : null}
        </p>
        <p class="explain">{data.explanation}</p>
      </div>

      <Panel title="Case and exports" class="wide">
        {related.length === 0 ? (
          <Empty>No case for this campaign or its members{cases.data ? '' : ' (loading)'}.</Empty>
        ) : (
          <ul class="plain">
            {related.slice(0, 12).map((k) => (
              <li key={k.id}>
                <a href={href('cases', k.id)}>{k.id}</a>{' '}
                <span class="sub">{k.campaignId === id ? 'campaign case' : `member case: ${k.subject}`}</span>{' '}
                <span class={`pill st-${k.state}`}>{k.state}</span> P{k.priority} · {k.outcome} ·{' '}
                {k.assignee ? `claimed by ${k.assignee}` : 'unclaimed'}
                {can(role, 'analyst') && (k.state === 'open' || k.state === 'in-review') ? (
                  <>
                    {' '}
                    · <a href={href('cases', k.id)}>decide →</a>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        )}
        {exports.data ? (
          <div class="exports">
            {exports.data.campaign.length > 0 ? (
              <ExportButtons title="This campaign" links={exports.data.campaign} onStatus={setStatus} />
            ) : null}
            {exports.data.published.length > 0 ? (
              <ExportButtons
                title="Published intel (every confirmed campaign this key may see)"
                links={exports.data.published}
                onStatus={setStatus}
              />
            ) : null}
            {exports.data.campaign.length + exports.data.published.length === 0 ? (
              <p class="hint">This server offers no exports.</p>
            ) : null}
          </div>
        ) : null}
        <p class="hint" role="status" aria-live="polite">
          {status ?? ''}
        </p>
      </Panel>

      <Panel title="Network" class="wide graph-panel">
        <div class="graph-layout">
          {graphData ? (
            <Suspense fallback={<p class="hint">Loading the graph…</p>}>
              <CampaignGraph campaign={graphData} selected={selected} onSelect={setSelected} />
            </Suspense>
          ) : graph.error ? (
            <Problem error={graph.error} what="the campaign's network" />
          ) : (
            <p class="hint">Loading the network…</p>
          )}
          <aside class="node-info" aria-live="polite" aria-label="Selected node">
            {sel ? (
              <>
                <h3>{sel.display}</h3>
                <p>
                  <Score value={sel.score} /> {sel.type}{' '}
                  {sel.flagged ? <span class="pill t-bad">flagged</span> : null}
                </p>
                <p>
                  <code>{sel.key}</code>
                </p>
                <p>
                  <a href={href('entity', sel.key)}>Open entity →</a>
                </p>
                <h4>Links ({selEdges.length})</h4>
                <ul class="plain">
                  {selEdges.slice(0, 40).map((e) => {
                    const other = e.from === sel.key ? e.to : e.from;
                    const m = data.members.find((x) => x.key === other);
                    return (
                      <li key={`${other}|${e.pivot}`}>
                        <Strength value={e.strength} /> {e.pivot}{' '}
                        <button type="button" class="link" onClick={() => setSelected(other)}>
                          {m?.display ?? other}
                        </button>
                      </li>
                    );
                  })}
                </ul>
              </>
            ) : (
              <p class="hint">
                Click a node to see it here. Scroll to zoom, drag to pan; hovering shows a node's neighbours.
              </p>
            )}
          </aside>
        </div>
      </Panel>

      <Panel title="Growth">
        <TimeChart
          title="Members over time"
          height={180}
          x={growth.map((g) => g.t)}
          series={[{ label: 'members', color: '--acc', values: growth.map((g) => g.n) }]}
        />
      </Panel>

      <Panel title="Pivots">
        {data.pivots.length === 0 ? (
          <Empty>No pivots.</Empty>
        ) : (
          <div class="scroll short">
            <table>
              <thead>
                <tr>
                  <th scope="col">strength</th>
                  <th scope="col">pivot</th>
                  <th scope="col">members</th>
                </tr>
              </thead>
              <tbody>
                {[...data.pivots]
                  .sort((a, b) => b.weight - a.weight)
                  .slice(0, 50)
                  .map((p) => (
                    <tr key={p.key}>
                      <td>
                        <Strength value={p.strength} />
                      </td>
                      <td>
                        {data.members.some((m) => m.key === p.key) ? (
                          <button type="button" class="link" onClick={() => setSelected(p.key)}>
                            {p.key}
                          </button>
                        ) : (
                          <code>{p.key}</code>
                        )}
                      </td>
                      <td>{p.members}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
        )}
      </Panel>

      <Panel
        title={`Members (${data.members.length})`}
        class="wide"
        actions={
          <label>
            <span class="sr-only">Filter members</span>
            <input
              type="search"
              placeholder="filter members"
              value={filter}
              onInput={(e) => setFilter((e.target as HTMLInputElement).value)}
            />
          </label>
        }
      >
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">score</th>
                <th scope="col">member</th>
                <th scope="col">type</th>
                <th scope="col">flagged</th>
                <th scope="col">
                  <span class="sr-only">graph</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.slice(0, 500).map((m) => (
                <tr key={m.key} class={m.key === selected ? 'sel' : ''}>
                  <td>
                    <Score value={m.score} />
                  </td>
                  <td>
                    <a href={href('entity', m.key)}>{m.display}</a>
                  </td>
                  <td>{m.type}</td>
                  <td>{m.flagged ? 'yes' : ''}</td>
                  <td>
                    <button
                      type="button"
                      class="link"
                      onClick={() => setSelected(m.key)}
                      aria-label={`Show ${m.display} in the graph`}
                    >
                      show
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {members.length > 500 ? <p class="hint">First 500 of {members.length}; filter to narrow.</p> : null}
      </Panel>

      <Panel title="Timeline" class="wide">
        {data.timeline.length === 0 ? (
          <Empty>No events.</Empty>
        ) : (
          <ol class="timeline">
            {[...data.timeline]
              .sort((a, b) => b.at.localeCompare(a.at))
              .slice(0, 200)
              .map((e, i) => (
                <li key={`${e.at}${i}`}>
                  <time dateTime={e.at}>{when(e.at)}</time> <span class="pill">{e.kind}</span> {e.detail}
                </li>
              ))}
          </ol>
        )}
      </Panel>
    </div>
  );
}

function ExportButtons({
  title,
  links,
  onStatus,
}: {
  title: string;
  links: ExportLink[];
  onStatus: (s: string) => void;
}) {
  return (
    <fieldset class="row">
      <legend class="sub">{title}</legend>
      {links.map((x) => (
        <button
          type="button"
          key={x.path}
          data-export={x.format}
          onClick={() => {
            onStatus(`Preparing ${x.label}…`);
            download(x.path, x.file).then(
              (name) => onStatus(`Downloaded ${name}.`),
              (e: unknown) => onStatus(`Export failed: ${e instanceof Error ? e.message : String(e)}`),
            );
          }}
        >
          {x.label}
        </button>
      ))}
    </fieldset>
  );
}
