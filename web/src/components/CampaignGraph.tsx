// The campaign as a network: members and the pivots that tie them, drawn by sigma.js (WebGL) over a
// graphology graph laid out by ForceAtlas2. Built to stay usable at thousands of nodes: the graph is
// drawn at once from structured start positions, ForceAtlas2 (a bounded number of Barnes–Hut
// iterations) settles it in a worker while it stays clickable, labels are thinned by sigma's label
// grid, and hover/selection only change reducers (no re-layout). Weak pivots are drawn thin and faint, strong
// ones thick and solid, so what glues the campaign together is what stands out.
import Graph from 'graphology';
import { useEffect, useRef, useState } from 'preact/hooks';
import Sigma from 'sigma';
import type { CampaignGraphData, Strength } from '../lib/types.js';
import { cssVar, useThemeVersion } from '../lib/theme.js';
import { type LayoutRun, layOut } from './graph-layout.js';

export const TYPE_COLOURS: Record<string, string> = {
  domain: '--c-domain',
  url: '--c-url',
  account: '--c-account',
  cert: '--c-cert',
  wallet: '--c-wallet',
  payment: '--c-wallet',
  ip: '--c-ip',
  ns: '--c-ip',
  kit: '--c-kit',
  snapshot: '--c-page',
  email: '--c-account',
};
const EDGE_SIZE: Record<Strength, number> = { strong: 2.4, medium: 1.2, weak: 0.4 };
const EDGE_ALPHA: Record<Strength, number> = { strong: 0.85, medium: 0.5, weak: 0.2 };

/** `#rrggbb` + alpha → `rgba(…)` (the theme's colours are 6-digit hex). */
export function rgba(hex: string, alpha: number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(hex.trim());
  if (!m) return hex;
  return `rgba(${Number.parseInt(m[1] ?? '0', 16)}, ${Number.parseInt(m[2] ?? '0', 16)}, ${Number.parseInt(m[3] ?? '0', 16)}, ${alpha})`;
}

/** Small deterministic PRNG: the same campaign is laid out the same way on every load. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Types the correlate stage treats as campaign members in their own right; the rest are shared values. */
const MEMBER_TYPES = new Set(['domain', 'account', 'url', 'snapshot']);

/** The campaign as a graphology graph, at its start positions (graph-layout.ts settles them). */
export function buildGraph(data: CampaignGraphData): Graph {
  const g = new Graph({ type: 'undirected', multi: false });
  const n0 = data.nodes.length;
  const rnd = mulberry32(n0 * 7919 + data.id.length);
  // Big campaigns get smaller discs, so a thousand members do not paint one blob.
  const scale = n0 > 2000 ? 0.45 : n0 > 500 ? 0.6 : n0 > 100 ? 0.8 : 1;
  for (const m of data.nodes) {
    const hub = !MEMBER_TYPES.has(m.type);
    g.mergeNode(m.key, {
      label: m.display,
      hub,
      entityType: m.type,
      score: m.score,
      flagged: m.flagged,
      size: (hub ? 2.5 : 3 + (m.score / 100) * 6 + (m.flagged ? 2 : 0)) * scale,
      x: 0,
      y: 0,
    });
  }
  for (const e of data.edges) {
    if (!g.hasNode(e.from) || !g.hasNode(e.to)) continue;
    g.mergeEdge(e.from, e.to, {
      strength: e.strength,
      pivot: e.pivot,
      // Layout pull follows the class: strong ties hold their members together, weak ones barely.
      weight: e.strength === 'strong' ? 3 : e.strength === 'medium' ? 1 : 0.2,
    });
  }
  // Shared values (certificates, wallets, payment means, …) on a sunflower spiral, the best-connected
  // first; each member starts beside its strongest shared value. An even, structured start is already
  // a readable first frame, and lets a few ForceAtlas2 iterations settle the picture.
  const golden = Math.PI * (3 - Math.sqrt(5));
  const hubs = g.filterNodes((_, a) => a.hub === true).sort((a, b) => g.degree(b) - g.degree(a));
  const centre = new Map<string, [number, number]>();
  hubs.forEach((h, i) => {
    const r = 10 * Math.sqrt(i + 1);
    const p: [number, number] = [r * Math.cos((i + 1) * golden), r * Math.sin((i + 1) * golden)];
    centre.set(h, p);
    g.mergeNodeAttributes(h, { x: p[0], y: p[1] });
  });
  const radius = 10 * Math.sqrt(hubs.length + 1);
  const rank = { strong: 0, medium: 1, weak: 2 } as Record<string, number>;
  g.forEachNode((node, a) => {
    if (a.hub) return;
    let best: [number, number] | undefined;
    let bestRank = 9;
    g.forEachEdge(node, (_e, ea, s, t) => {
      const other = s === node ? t : s;
      const p = centre.get(other);
      const r = rank[ea.strength as string] ?? 9;
      if (p && r < bestRank) {
        best = p;
        bestRank = r;
      }
    });
    const [cx, cy] = best ?? [(rnd() - 0.5) * 2 * radius, (rnd() - 0.5) * 2 * radius];
    g.mergeNodeAttributes(node, { x: cx + (rnd() - 0.5) * 8, y: cy + (rnd() - 0.5) * 8 });
  });
  return g;
}

export interface GraphProps {
  campaign: CampaignGraphData;
  selected: string | null;
  onSelect: (key: string | null) => void;
}

export function CampaignGraph({ campaign, selected, onSelect }: GraphProps) {
  const box = useRef<HTMLDivElement>(null);
  const sigma = useRef<Sigma | null>(null);
  const state = useRef<{ hovered: string | null; selected: string | null }>({ hovered: null, selected });
  const [failed, setFailed] = useState<string | null>(null);
  const themeVersion = useThemeVersion();
  const select = useRef(onSelect);
  select.current = onSelect;

  useEffect(() => {
    const el = box.current;
    if (!el) return undefined;
    const started = performance.now();
    let renderer: Sigma;
    let graph: Graph;
    let layout: LayoutRun | null = null;
    try {
      graph = buildGraph(campaign);
      const colour = (v: string) => cssVar(v);
      const ink = colour('--ink');
      const mute = colour('--mute');
      const dim = rgba(colour('--line'), 0.9);
      const panel = colour('--panel');
      const focus = colour('--focus');
      graph.forEachNode((node, a) => {
        graph.setNodeAttribute(node, 'color', colour(TYPE_COLOURS[a.entityType as string] ?? '--c-other'));
      });
      graph.forEachEdge((edge, a) => {
        const s = a.strength as Strength;
        graph.mergeEdgeAttributes(edge, { size: EDGE_SIZE[s], color: rgba(ink, EDGE_ALPHA[s]) });
      });
      renderer = new Sigma(graph, el, {
        renderEdgeLabels: false,
        labelColor: { color: ink },
        labelSize: 12,
        labelDensity: 0.6,
        labelRenderedSizeThreshold: 9,
        defaultEdgeColor: mute,
        zIndex: true,
        // sigma's own hover box is white whatever the theme: draw it in the theme's colours.
        defaultDrawNodeHover: (ctx, d, settings) => {
          const size = settings.labelSize;
          ctx.font = `600 ${size}px ${settings.labelFont}`;
          const label = d.label ?? '';
          const x = d.x + d.size + 4;
          const w = ctx.measureText(label).width + 10;
          ctx.fillStyle = panel;
          ctx.strokeStyle = mute;
          ctx.lineWidth = 1;
          ctx.beginPath();
          ctx.rect(x, d.y - size / 2 - 5, w, size + 10);
          ctx.fill();
          ctx.stroke();
          ctx.fillStyle = ink;
          ctx.fillText(label, x + 5, d.y + size / 3);
          ctx.beginPath();
          ctx.arc(d.x, d.y, d.size + 2, 0, Math.PI * 2);
          ctx.strokeStyle = focus;
          ctx.lineWidth = 2;
          ctx.stroke();
        },
        hideEdgesOnMove: graph.size > 4000,
        nodeReducer: (node, data) => {
          const { hovered, selected: sel } = state.current;
          const focus = hovered ?? sel;
          if (!focus) return data;
          if (node === focus) return { ...data, highlighted: true, zIndex: 2, forceLabel: true };
          if (graph.hasNode(focus) && graph.areNeighbors(node, focus))
            return { ...data, zIndex: 1, forceLabel: graph.degree(focus) < 30 };
          return { ...data, color: dim, label: '', zIndex: 0 };
        },
        edgeReducer: (edge, data) => {
          const { hovered, selected: sel } = state.current;
          const focus = hovered ?? sel;
          if (!focus || !graph.hasNode(focus)) return data;
          return graph.hasExtremity(edge, focus) ? { ...data, zIndex: 1 } : { ...data, hidden: true };
        },
      });
    } catch (e) {
      setFailed(e instanceof Error ? e.message : String(e));
      return undefined;
    }
    sigma.current = renderer;
    setFailed(null);
    renderer.on('enterNode', ({ node }) => {
      state.current.hovered = node;
      el.style.cursor = 'pointer';
      renderer.refresh({ skipIndexation: true });
    });
    renderer.on('leaveNode', () => {
      state.current.hovered = null;
      el.style.cursor = '';
      renderer.refresh({ skipIndexation: true });
    });
    renderer.on('clickNode', ({ node }) => select.current(node));
    renderer.on('clickStage', () => select.current(null));
    renderer.once('afterRender', () => {
      // Read by the browser tests and bench/dashboard.ts: when the graph was first on screen.
      el.dataset.renderMs = String(Math.round(performance.now() - started));
      performance.mark('graph-rendered');
      el.dataset.nodes = String(graph.order);
      el.dataset.edges = String(graph.size);
      // Then settle it (after the first frame, which gets the CPU first); sigma redraws as the
      // positions arrive.
      layout = layOut(graph, (stats) => {
        el.dataset.layoutMs = String(Math.round(performance.now() - started));
        el.dataset.layout = `${stats.where}: ${Math.round(stats.busyMs)} ms iterating, ${Math.round(stats.sinceMs)} ms from start, ${stats.steps} redraws`;
        performance.mark('graph-laid-out');
      });
    });
    // The renderer on the element, for bench/dashboard.ts to find a node's screen position.
    (el as HTMLDivElement & { sigma?: Sigma }).sigma = renderer;
    return () => {
      layout?.stop();
      renderer.kill();
      sigma.current = null;
    };
  }, [campaign, themeVersion]);

  useEffect(() => {
    state.current.selected = selected;
    const r = sigma.current;
    if (!r) return;
    r.refresh({ skipIndexation: true });
    if (selected && r.getGraph().hasNode(selected)) {
      const d = r.getNodeDisplayData(selected);
      if (d)
        r.getCamera().animate(
          { x: d.x, y: d.y, ratio: Math.min(r.getCamera().ratio, 0.6) },
          { duration: 300 },
        );
    }
  }, [selected]);

  const zoom = (f: number) => {
    const cam = sigma.current?.getCamera();
    if (cam) void cam.animate({ ratio: cam.ratio * f }, { duration: 200 });
  };
  if (failed)
    return (
      <p class="err" role="alert">
        The graph cannot be drawn here ({failed}); the member table below lists the same campaign.
      </p>
    );
  return (
    <div class="graph-wrap">
      <div
        ref={box}
        class="graph"
        role="img"
        aria-label={`Network of campaign ${campaign.id}: ${campaign.nodes.length} members and ${campaign.edges.length} links. The member table below lists them.`}
      />
      <div class="graph-tools">
        <button type="button" onClick={() => zoom(0.7)} aria-label="Zoom in">
          +
        </button>
        <button type="button" onClick={() => zoom(1.4)} aria-label="Zoom out">
          −
        </button>
        <button
          type="button"
          onClick={() => void sigma.current?.getCamera().animatedReset({ duration: 200 })}
        >
          Fit
        </button>
      </div>
      <ul class="legend" aria-label="Legend">
        {['domain', 'url', 'account', 'cert', 'wallet', 'ip', 'kit', 'page'].map((t) => (
          <li key={t}>
            <span class={`dot d-${t}`} aria-hidden="true" />
            {t}
          </li>
        ))}
        <li>
          <span class="edge e-strong" aria-hidden="true" />
          strong
        </li>
        <li>
          <span class="edge e-medium" aria-hidden="true" />
          medium
        </li>
        <li>
          <span class="edge e-weak" aria-hidden="true" />
          weak
        </li>
      </ul>
    </div>
  );
}
