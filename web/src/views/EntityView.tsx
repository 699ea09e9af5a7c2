// One entity: why it scored as it did, how its score moved, what it is linked to and by what.
import { TimeChart } from '../components/Chart.js';
import { Empty, Panel, Problem, Score } from '../components/ui.js';
import { get } from '../lib/api.js';
import { when } from '../lib/format.js';
import { href } from '../lib/router.js';
import type { EntityDetail } from '../lib/types.js';
import { useData } from '../lib/use-data.js';

export function EntityView({ entityKey }: { entityKey: string }) {
  const d = useData(
    () => get<EntityDetail>(`/v1/entities/${encodeURIComponent(entityKey)}`),
    [entityKey],
    10_000,
  );
  if (d.error && !d.data) return <Problem error={d.error} what={entityKey} />;
  if (!d.data) return <p class="hint">Loading {entityKey}…</p>;
  const { entity, assessment: a, history, links } = d.data;
  const contributions = [...(a?.contributions ?? [])].sort((x, y) => Math.abs(y.points) - Math.abs(x.points));
  const max = Math.max(1, ...contributions.map((c) => Math.abs(c.points)));
  const hist = [...history].sort((x, y) => x.assessedAt.localeCompare(y.assessedAt));
  return (
    <div class="grid">
      <div class="view-title">
        <p class="crumbs">
          <a href={href('entities')}>Entities</a> / {entity.type}
        </p>
        <h1>
          {entity.display} <Score value={a?.score} />
        </h1>
        <p class="sub">
          <code>{entity.key}</code> · first seen {when(entity.firstSeen)} · last seen {when(entity.lastSeen)}
          {a ? (
            <>
              {' '}
              · verdict <b>{a.verdict}</b>
              {a.flagged ? <span class="pill t-bad">flagged</span> : null}
            </>
          ) : null}
        </p>
      </div>
      <Panel title="Why: signals and weights">
        {contributions.length === 0 ? (
          <Empty>Not assessed, or no signal fired.</Empty>
        ) : (
          <Signals items={contributions} max={max} />
        )}
      </Panel>
      <Panel title="Facts">
        <Facts attrs={entity.attrs} />
      </Panel>
      <Panel title="Score history" class="wide">
        {hist.length < 2 ? (
          <p class="hint">
            {hist.length === 0
              ? 'Never assessed.'
              : `One assessment so far: ${Math.round(hist[0]?.score ?? 0)} at ${when(hist[0]?.assessedAt)}.`}
          </p>
        ) : (
          <TimeChart
            title="Score history"
            height={160}
            x={hist.map((h) => Date.parse(h.assessedAt) / 1000)}
            series={[{ label: 'score', color: '--acc', values: hist.map((h) => h.score) }]}
          />
        )}
      </Panel>
      <Panel title={`Links (${links.length})`} class="wide">
        {links.length === 0 ? (
          <Empty>No links.</Empty>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">linked entity</th>
                <th scope="col">pivot</th>
                <th scope="col">strength</th>
                <th scope="col">seen</th>
                <th scope="col">provenance</th>
              </tr>
            </thead>
            <tbody>
              {links.slice(0, 300).map((l) => {
                const other = l.from === entity.key ? l.to : l.from;
                return (
                  <tr key={`${l.from}|${l.to}|${l.pivot}`}>
                    <td>
                      <a href={href('entity', other)}>{other}</a>
                    </td>
                    <td>{l.pivot}</td>
                    <td>
                      <meter min={0} max={1} value={l.strength} aria-label={`strength ${l.strength}`} />{' '}
                      {l.strength.toFixed(2)}
                    </td>
                    <td>{when(l.lastSeen)}</td>
                    <td class="sub">{(l.provenance ?? []).slice(0, 2).join(', ')}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        {links.length > 300 ? <p class="hint">First 300 of {links.length} links.</p> : null}
      </Panel>
    </div>
  );
}

export function Signals({
  items,
  max,
}: {
  items: { id: string; weight: number; points?: number; detail: string }[];
  max: number;
}) {
  return (
    <ul class="signals">
      {items.map((c) => {
        const v = c.points ?? c.weight;
        return (
          <li key={c.id + c.detail}>
            <span class="pts">
              {v >= 0 ? '+' : ''}
              {v.toFixed(1)}
            </span>
            <span>
              <code class="sid">{c.id}</code> <span class="sub">weight {c.weight}</span>
              <span class="hbar block" aria-hidden="true">
                <span
                  class={`fill ${v >= 0 ? 'p1' : 'neg'}`}
                  ref={(el) => el?.style.setProperty('width', `${(Math.abs(v) / max) * 100}%`)}
                />
              </span>
              {c.detail}
            </span>
          </li>
        );
      })}
    </ul>
  );
}

export function Facts({ attrs }: { attrs: Record<string, unknown> }) {
  const entries = Object.entries(attrs ?? {});
  if (entries.length === 0) return <Empty>No facts recorded.</Empty>;
  return (
    <dl class="facts">
      {entries.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>
            {typeof v === 'object' ? <code class="json">{JSON.stringify(v, null, 1)}</code> : String(v)}
          </dd>
        </div>
      ))}
    </dl>
  );
}
