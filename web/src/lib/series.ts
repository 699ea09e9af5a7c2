// Turns time-bucketed API answers into chart columns. Buckets with no events are filled with zeros so
// the chart does not draw a line across a quiet hour.

export interface Columns {
  x: number[];
  series: { label: string; values: number[] }[];
}

const TIME_FIELDS = ['at', 'bucket', 'start', 'time', 't', 'day', 'hour'];

/** `[{at, flagged, cases, …}]` → one column per numeric field (at most `max`). */
export function bucketsToColumns(rows: Record<string, unknown>[], max = 3): Columns {
  if (rows.length === 0) return { x: [], series: [] };
  const first = rows[0] ?? {};
  const tf = TIME_FIELDS.find((f) => f in first);
  if (!tf) return { x: [], series: [] };
  const fields = Object.keys(first)
    .filter((k) => k !== tf && typeof first[k] === 'number')
    .slice(0, max);
  const sorted = rows
    .map((r) => ({ t: Date.parse(String(r[tf])) / 1000, r }))
    .filter((r) => Number.isFinite(r.t))
    .sort((a, b) => a.t - b.t);
  return {
    x: sorted.map((r) => r.t),
    series: fields.map((f) => ({ label: f, values: sorted.map((r) => Number(r.r[f] ?? 0)) })),
  };
}

/** Counts timestamps per bucket of `stepSeconds`, zero-filled between the first and the last. */
export function histogram(times: string[], stepSeconds: number): { x: number[]; values: number[] } {
  const ts = times.map((t) => Date.parse(t) / 1000).filter(Number.isFinite);
  if (ts.length === 0) return { x: [], values: [] };
  const lo = Math.floor(Math.min(...ts) / stepSeconds) * stepSeconds;
  const hi = Math.floor(Math.max(...ts) / stepSeconds) * stepSeconds;
  const n = Math.min(2000, Math.round((hi - lo) / stepSeconds) + 1);
  const values = new Array<number>(n).fill(0);
  for (const t of ts) {
    const i = Math.min(n - 1, Math.floor((t - lo) / stepSeconds));
    values[i] = (values[i] ?? 0) + 1;
  }
  return { x: values.map((_, i) => lo + i * stepSeconds), values };
}

/** A step that gives a readable number of buckets for a time span. */
export function stepFor(spanSeconds: number): number {
  for (const s of [60, 300, 900, 3600, 6 * 3600, 86_400]) if (spanSeconds / s <= 120) return s;
  return 7 * 86_400;
}
