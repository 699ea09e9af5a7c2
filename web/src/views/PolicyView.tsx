// The review policy in force and a dry run: what a policy would have done over the stored history
// (cases opened, holds, per-rule hits, past decisions it contradicts) before anyone applies it.
import { useEffect, useState } from 'preact/hooks';
import { Empty, Panel, Problem } from '../components/ui.js';
import { ApiError, optional, post } from '../lib/api.js';
import { can } from '../lib/roles.js';
import type { Role } from '../lib/types.js';
import { useData } from '../lib/use-data.js';

interface PolicyDoc {
  version?: string | number;
  source?: string;
  text?: string;
  yaml?: string;
  [k: string]: unknown;
}

export function PolicyView({ role }: { role: Role }) {
  const policy = useData(() => optional<PolicyDoc>('/v1/policy'), []);
  const [text, setText] = useState<string>('');
  const [result, setResult] = useState<Record<string, unknown> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const original = policy.data
    ? String(policy.data.text ?? policy.data.yaml ?? policy.data.source ?? '')
    : '';
  useEffect(() => setText(original), [original]);

  if (policy.data === null) return <Empty>This server has no review policy routes (no /v1/policy).</Empty>;
  const dryRun = async () => {
    setRunning(true);
    setError(null);
    try {
      setResult(
        await post<Record<string, unknown>>('/v1/policy/test', text === original ? {} : { policy: text }),
      );
    } catch (e) {
      setResult(null);
      setError(e instanceof ApiError ? `${e.code}: ${e.message}` : String(e));
    } finally {
      setRunning(false);
    }
  };
  const analyst = can(role, 'analyst');
  return (
    <div class="grid">
      <h1 class="view-title">Policy</h1>
      <Panel
        title={`Policy in force${policy.data?.version !== undefined ? ` (version ${policy.data.version})` : ''}`}
        class="wide"
        actions={
          analyst ? (
            <button type="button" class="primary" onClick={() => void dryRun()} disabled={running}>
              {running ? 'Running…' : 'Dry run'}
            </button>
          ) : null
        }
      >
        <Problem error={policy.error} what="the policy" />
        <label for="policy-text" class="sr-only">
          Policy (YAML)
        </label>
        <textarea
          id="policy-text"
          class="code"
          rows={18}
          spellcheck={false}
          readOnly={!analyst}
          value={text}
          onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
        />
        <p class="hint">
          {analyst
            ? 'Edit and dry-run here; nothing is applied from the dashboard (`precursor policy apply FILE` does, audited).'
            : 'Dry runs need the analyst role.'}
        </p>
      </Panel>
      {error ? (
        <p class="err wide" role="alert">
          {error}
        </p>
      ) : null}
      {result ? <DryRun result={result} /> : null}
    </div>
  );
}

function DryRun({ result }: { result: Record<string, unknown> }) {
  const scalars = Object.entries(result).filter(
    ([, v]) => typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean',
  );
  const tables = Object.entries(result).filter(([, v]) => Array.isArray(v)) as [string, unknown[]][];
  const objects = Object.entries(result).filter(
    ([, v]) => v && typeof v === 'object' && !Array.isArray(v),
  ) as [string, Record<string, unknown>][];
  return (
    <Panel title="Dry-run result" class="wide" id="dry-run">
      <section class="tiles" aria-label="Totals">
        {scalars.map(([k, v]) => (
          <div class="tile" key={k}>
            <b>{String(v)}</b>
            <span>{label(k)}</span>
          </div>
        ))}
        {objects
          .flatMap(([k, o]) =>
            Object.entries(o)
              .filter(([, v]) => typeof v === 'number')
              .map(([kk, v]) => [`${k} ${kk}`, v] as const),
          )
          .map(([k, v]) => (
            <div class="tile" key={k}>
              <b>{String(v)}</b>
              <span>{label(k)}</span>
            </div>
          ))}
      </section>
      {tables.map(([k, rows]) => (
        <div key={k}>
          <h3>
            {label(k)} ({rows.length})
          </h3>
          <GenericTable rows={rows.slice(0, 200)} />
        </div>
      ))}
    </Panel>
  );
}

const label = (k: string) =>
  k
    .replace(/([A-Z])/g, ' $1')
    .replace(/[_-]/g, ' ')
    .toLowerCase();

function GenericTable({ rows }: { rows: unknown[] }) {
  if (rows.length === 0) return <p class="hint">None.</p>;
  if (rows.every((r) => typeof r !== 'object' || r === null))
    return (
      <ul class="plain">
        {rows.map((r, i) => (
          <li key={i}>{String(r)}</li>
        ))}
      </ul>
    );
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r as object)))].slice(0, 8);
  return (
    <table>
      <thead>
        <tr>
          {cols.map((c) => (
            <th scope="col" key={c}>
              {label(c)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i}>
            {cols.map((c) => {
              const v = (r as Record<string, unknown>)[c];
              return (
                <td key={c}>
                  {v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v)}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
