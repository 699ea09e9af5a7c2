// The first screen: is anything being prepared right now, and is the pipeline healthy?
import { TimeChart } from '../components/Chart.js';
import { Empty, Panel, Problem, Score } from '../components/ui.js';
import { get, optional } from '../lib/api.js';
import { seenAgo } from '../lib/clock.js';
import { hours, num, when } from '../lib/format.js';
import { href } from '../lib/router.js';
import { bucketsToColumns, histogram, stepFor } from '../lib/series.js';
import type { CampaignItem, CaseItem, EntityRow, Page } from '../lib/types.js';
import { useData } from '../lib/use-data.js';

const POLL = 5000;

type Stats = Record<string, number>;
interface FlagsAnswer {
  bucket: 'hour' | 'day';
  types: string[];
  items: ({ at: string } & Record<string, number | string>)[];
  totals: Record<string, number>;
}

async function flagsOverTime(): Promise<{
  x: number[];
  series: { label: string; values: number[] }[];
  source: string;
}> {
  const body = await optional<FlagsAnswer>('/v1/stats/flags?bucket=hour');
  if (body) {
    // The busiest types each get a line; the rest are summed into "other".
    const types = [...body.types].sort((a, b) => (body.totals[b] ?? 0) - (body.totals[a] ?? 0));
    const shown = types.slice(0, 3);
    const rest = types.slice(3);
    const rows = body.items.map((r) => {
      const row: Record<string, unknown> = { at: r.at };
      for (const t of shown) row[t] = Number(r[t] ?? 0);
      if (rest.length) row.other = rest.reduce((n, t) => n + Number(r[t] ?? 0), 0);
      return row;
    });
    return { ...bucketsToColumns(rows, 4), source: 'server' };
  }
  // Older servers: bin the assessment times of the latest flagged entities here.
  const page = await get<Page<EntityRow>>('/v1/entities?flagged=true&order=score&limit=1000');
  const times = page.items.map((r) => r.assessment?.assessedAt ?? r.entity.firstSeen);
  const ts = times.map((t) => Date.parse(t)).filter(Number.isFinite);
  const span = ts.length ? (Math.max(...ts) - Math.min(...ts)) / 1000 : 0;
  const h = histogram(times, stepFor(span));
  return {
    x: h.x,
    series: [{ label: 'flagged', values: h.values }],
    source: 'latest 1,000 flagged entities',
  };
}

async function openCases(): Promise<CaseItem[] | null> {
  const all: CaseItem[] = [];
  for (const state of ['open', 'in-review']) {
    const page = await optional<Page<CaseItem>>(`/v1/cases?state=${state}&limit=500`);
    if (!page) return null;
    all.push(...page.items);
  }
  return all;
}

export function OverviewView() {
  const stats = useData(() => get<Stats>('/v1/stats'), [], POLL);
  const flags = useData(flagsOverTime, [], POLL * 2);
  const cases = useData(openCases, [], POLL);
  const campaigns = useData(
    () => optional<Page<CampaignItem>>('/v1/campaigns?limit=50&flagged=true'),
    [],
    POLL,
  );
  const feeds = useData(() => optional<{ items?: Record<string, unknown>[] }>('/v1/feeds'), [], POLL);
  const demo = useData(() => optional<Record<string, unknown>>('/v1/demo'), [], POLL);

  const byPriority = [1, 2, 3, 4].map((p) => ({
    p,
    open: (cases.data ?? []).filter((c) => c.priority === p && c.state === 'open').length,
    review: (cases.data ?? []).filter((c) => c.priority === p && c.state !== 'open').length,
  }));
  const top = [...(campaigns.data?.items ?? [])].sort((a, b) => b.risk - a.risk).slice(0, 8);

  return (
    <div class="grid overview">
      <h1 class="view-title">Overview</h1>
      <section class="tiles" aria-label="Counts">
        {[
          ['flagged', 'flagged entities'],
          ['entities', 'entities'],
          ['observations', 'observations'],
          ['links', 'links'],
          ['deadLetters', 'dead letters'],
        ].map(([k, label]) => (
          <div class="tile" key={k}>
            <b>{num(stats.data?.[k as string])}</b>
            <span>{label}</span>
          </div>
        ))}
        <div class="tile">
          <b>{cases.data ? num(cases.data.length) : '–'}</b>
          <span>open cases</span>
        </div>
      </section>
      <Problem error={stats.error} what="counts" />

      {demo.data ? <DemoSummary data={demo.data} /> : null}

      <Panel title="Flags over time" class="wide">
        <Problem error={flags.error} what="flags over time" />
        {flags.data ? (
          <>
            <TimeChart
              title="Flags over time"
              x={flags.data.x}
              series={flags.data.series.map((s, i) => ({
                ...s,
                color: ['--hi', '--acc', '--mid', '--mute'][i] ?? '--acc',
                bars: flags.data?.source !== 'server',
              }))}
            />
            {flags.data.source !== 'server' ? <p class="hint">From the {flags.data.source}.</p> : null}
          </>
        ) : null}
      </Panel>

      <Panel title="Open cases by priority" actions={<a href={href('cases')}>Review queue →</a>}>
        <Problem error={cases.error} what="cases" />
        {cases.data === null ? (
          <Empty>This server has no review stage (no /v1/cases).</Empty>
        ) : (
          <table class="prio">
            <thead>
              <tr>
                <th scope="col">priority</th>
                <th scope="col">open</th>
                <th scope="col">in review</th>
                <th scope="col" class="bar-col">
                  <span class="sr-only">share</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {byPriority.map(({ p, open, review }) => (
                <tr key={p}>
                  <th scope="row">
                    <a href={`${href('cases')}?priority=${p}`}>P{p}</a>
                  </th>
                  <td>{open}</td>
                  <td>{review}</td>
                  <td class="bar-col">
                    <Bar
                      value={open + review}
                      max={Math.max(1, ...byPriority.map((b) => b.open + b.review))}
                      tone={`p${p}`}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>

      <Panel title="Top campaigns" actions={<a href={href('campaigns')}>All campaigns →</a>}>
        <Problem error={campaigns.error} what="campaigns" />
        {campaigns.data === null ? (
          <Empty>This server has no correlation stage (no /v1/campaigns).</Empty>
        ) : top.length === 0 ? (
          <Empty>No flagged campaign yet.</Empty>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">risk</th>
                <th scope="col">campaign</th>
                <th scope="col">members</th>
                <th scope="col">lead time</th>
              </tr>
            </thead>
            <tbody>
              {top.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Score value={c.risk} label="risk" />
                  </td>
                  <td>
                    <a href={href('campaigns', c.id)}>{c.name || c.id}</a>
                    <div class="sub">
                      {c.id} · seen {seenAgo(c.lastSeen)}
                    </div>
                  </td>
                  <td>{num(c.memberCount)}</td>
                  <td>
                    {c.leadTimeHours === null ? (
                      <span class="hint">not live yet</span>
                    ) : (
                      `${hours(c.leadTimeHours)} before go-live`
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>

      <Panel title="Feed health" class="wide">
        <Problem error={feeds.error} what="feed health" />
        {feeds.data === null ? (
          <Empty>This server reports no feeds (no /v1/feeds); `precursor run` and `precursor demo` do.</Empty>
        ) : (
          <FeedTable rows={feeds.data?.items ?? []} />
        )}
      </Panel>
    </div>
  );
}

function Bar({ value, max, tone }: { value: number; max: number; tone: string }) {
  return (
    <span class="hbar" aria-hidden="true">
      <span class={`fill ${tone}`} ref={(el) => el?.style.setProperty('width', `${(value / max) * 100}%`)} />
    </span>
  );
}

const pick = (r: Record<string, unknown>, ...names: string[]): unknown => {
  for (const n of names) if (r[n] !== undefined && r[n] !== null) return r[n];
  return undefined;
};

function FeedTable({ rows }: { rows: Record<string, unknown>[] }) {
  if (rows.length === 0) return <Empty>No feed has reported yet.</Empty>;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">source</th>
          <th scope="col">state</th>
          <th scope="col">lag</th>
          <th scope="col">rate</th>
          <th scope="col">observations</th>
          <th scope="col">dead letters</th>
          <th scope="col">newest data</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => {
          const lag = pick(r, 'lagSeconds', 'lag');
          const rate = pick(r, 'ratePerMinute', 'perMinute', 'rate');
          const last = pick(r, 'lastObservedAt', 'lastIngestedAt', 'lastRecordAt', 'updatedAt');
          const state = String(pick(r, 'state', 'status', 'health') ?? '–');
          return (
            <tr key={String(pick(r, 'source', 'id', 'name') ?? i)}>
              <td>
                <code>{String(pick(r, 'source', 'id', 'name') ?? '?')}</code>
              </td>
              <td>
                <span
                  class={`pill t-${/ok|live|healthy|running/i.test(state) ? 'ok' : /stale|lag|slow/i.test(state) ? 'warn' : /fail|dead|error|down/i.test(state) ? 'bad' : ''}`}
                >
                  {state}
                </span>
              </td>
              <td>{typeof lag === 'number' ? `${num(Math.round(lag))} s` : String(lag ?? '–')}</td>
              <td>{typeof rate === 'number' ? `${rate.toFixed(1)}/min` : String(rate ?? '–')}</td>
              <td>{num(pick(r, 'observations', 'records', 'total') as number | undefined)}</td>
              <td>{num(pick(r, 'deadLetters', 'rejected') as number | undefined)}</td>
              <td>{when(last as string | undefined)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

interface DemoStatus {
  state: 'replaying' | 'finished';
  simulatedTime: string;
  world: { start: string; end: string; days: number };
  operatorInfrastructure: number;
  flaggedBeforeGoLive: number;
  leadHours: number | null;
  falseFlaggedNames: number;
  falseFlaggedAccounts: number;
  feeds: { id: string; label: string; replayed: number; total: number }[];
  score?: { falseFlags?: { honestNamesSeen: number; honestAccountsSeen: number } };
}

function DemoSummary({ data }: { data: Record<string, unknown> }) {
  const d = data as unknown as DemoStatus;
  if (typeof d.operatorInfrastructure !== 'number') return null;
  const share = d.operatorInfrastructure ? (100 * d.flaggedBeforeGoLive) / d.operatorInfrastructure : 0;
  return (
    <Panel
      title={`Live demo — ${d.state === 'finished' ? 'replay finished' : 'replaying'}, simulated time ${when(d.simulatedTime)}`}
      class="wide demo"
    >
      <section class="tiles" aria-label="Demo scorecard">
        <div class="tile">
          <b>
            {num(d.flaggedBeforeGoLive)} / {num(d.operatorInfrastructure)}
          </b>
          <span>operator infrastructure flagged before go-live ({share.toFixed(0)}%)</span>
        </div>
        <div class="tile">
          <b>{hours(d.leadHours)}</b>
          <span>lead before go-live (median)</span>
        </div>
        <div class="tile">
          <b>
            {num(d.falseFlaggedNames)} names · {num(d.falseFlaggedAccounts)} accounts
          </b>
          <span>
            false flags
            {d.score?.falseFlags
              ? ` (of ${num(d.score.falseFlags.honestNamesSeen)} honest names, ${num(d.score.falseFlags.honestAccountsSeen)} accounts)`
              : ''}
          </span>
        </div>
      </section>
      <ul class="plain feeds-progress">
        {d.feeds.map((f) => (
          <li key={f.id}>
            <label>
              {f.label}{' '}
              <progress max={Math.max(1, f.total)} value={f.replayed}>
                {f.replayed}/{f.total}
              </progress>{' '}
              <span class="sub">
                {num(f.replayed)} / {num(f.total)}
              </span>
            </label>
          </li>
        ))}
      </ul>
    </Panel>
  );
}
