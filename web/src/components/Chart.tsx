// Time-series charts with uPlot (canvas, fast at thousands of points). Colours come from the theme's
// custom properties, so the chart redraws when the theme flips. A visually hidden table carries the
// same numbers for screen readers.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { cssVar, useThemeVersion } from '../lib/theme.js';

export interface Series {
  label: string;
  /** CSS custom property holding the colour (`--hi`). */
  color: string;
  values: (number | null)[];
  bars?: boolean;
}

export interface ChartProps {
  title: string;
  /** Unix seconds. */
  x: number[];
  series: Series[];
  height?: number;
  yLabel?: string;
}

export function TimeChart({ title, x, series, height = 220, yLabel }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const themeVersion = useThemeVersion();
  useEffect(() => {
    const el = box.current;
    if (!el || x.length === 0) return undefined;
    const ink = cssVar('--mute');
    const grid = cssVar('--line');
    const bars = uPlot.paths.bars?.({ size: [0.7, 40] });
    const axis = { stroke: ink, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      legend: { show: series.length > 1 },
      cursor: { drag: { x: true, y: false } },
      // One point would make uPlot stretch the axis over years: give it an hour either side.
      scales: {
        x: x.length > 1 ? { time: true } : { time: true, range: [(x[0] ?? 0) - 3600, (x[0] ?? 0) + 3600] },
      },
      axes: [axis, { ...axis, ...(yLabel ? { label: yLabel } : {}), size: 48 }],
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: cssVar(s.color),
          width: 2,
          fill: `${cssVar(s.color)}33`,
          ...(s.bars && bars ? { paths: bars, points: { show: false } } : {}),
        })),
      ],
    };
    const plot = new uPlot(opts, [x, ...series.map((s) => s.values)] as uPlot.AlignedData, el);
    const ro = new ResizeObserver(() => plot.setSize({ width: Math.max(200, el.clientWidth), height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [x, series, height, themeVersion, yLabel]);
  if (x.length === 0) return <p class="hint">No data for “{title}” yet.</p>;
  return (
    <figure class="chart">
      <div ref={box} role="img" aria-label={`${title} chart`} />
      {/* A table box grows to its content whatever its height: the wrapper is what hides it. */}
      <div class="sr-only">
        <table>
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">time</th>
              {series.map((s) => (
                <th scope="col" key={s.label}>
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {x.slice(-50).map((t, i) => {
              const at = x.length - Math.min(50, x.length) + i;
              return (
                <tr key={t}>
                  <td>{new Date(t * 1000).toISOString()}</td>
                  {series.map((s) => (
                    <td key={s.label}>{s.values[at] ?? ''}</td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
