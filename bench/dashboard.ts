/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Campaign graph speed in headless Chromium (Debian's /usr/bin/chromium via playwright-core): the
 * dashboard, served by a real `precursor` server on 127.0.0.1, opens a campaign of N members and we time
 *   render   — from the page's navigation start to the graph's first drawn frame (script load, the API
 *              answer, graph build at its structured start positions, the WebGL frame);
 *   settled  — from navigation start until ForceAtlas2 (in a worker) has finished and its last positions
 *              are drawn; the graph is clickable throughout;
 *   click    — from the mouse press on a member node (once settled, so the target does not move) to its
 *              details shown beside the graph.
 * The campaign answer is generated here (SYNTHETIC: the shape of `GET /v1/campaigns/{id}`, with strong,
 * medium and weak pivots like a real operation's certificates, accounts, kits and registration days)
 * and handed to the page by request interception, so the figure is the browser's side alone.
 *
 *   node --import tsx bench/dashboard.ts [--nodes 1000,5000] [--runs 5] [--shot]
 */
import { parseArgs } from 'node:util';
import { artefact, ensureDashboardBuilt, launch, skipReason } from '../test/browser/browser.js';
import { seededServer } from '../test/browser/seeded-server.js';

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '1000,5000' },
    runs: { type: 'string', default: '5' },
    /** Keep a screenshot of each size's last run (test-artifacts/browser/bench-graph-N.png). */
    shot: { type: 'boolean', default: false },
  },
});
const sizes = values.nodes.split(',').map(Number);
const runs = Number(values.runs);

let seed = 7;
const rnd = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;

/**
 * A campaign of `n` members shaped like an operation: names grouped by certificates, accounts that
 * attach them and share payment means, kit families and addresses across many names, and weak ASN
 * links — the detail (`GET /v1/campaigns/{id}`) and the network (`GET /v1/campaigns/{id}/graph`).
 */
export function syntheticCampaign(n: number) {
  type Member = { key: string; type: string; display: string; score: number; flagged: boolean };
  const members: Member[] = [];
  const edges: { from: string; to: string; pivot: string; strength: string; weight: number }[] = [];
  const add = (type: string, value: string, score: number): Member => {
    const m = { key: `${type}:${value}`, type, display: value, score, flagged: score >= 60 };
    members.push(m);
    return m;
  };
  const link = (a: Member, b: Member, pivot: string, strength: string, weight: number) =>
    edges.push({ from: a.key, to: b.key, pivot, strength, weight });
  const domains: Member[] = [];
  const accounts: Member[] = [];
  const nDomains = Math.round(n * 0.62);
  const nAccounts = Math.round(n * 0.12);
  for (let i = 0; i < nDomains; i++)
    domains.push(
      add(
        'domain',
        `${pick(['login', 'secure', 'docs', 'view'])}-${i.toString(16)}.${pick(['xyz', 'top', 'live'])}`,
        Math.round(30 + rnd() * 70),
      ),
    );
  for (let i = 0; i < nAccounts; i++)
    accounts.push(add('account', `cloud-${pick(['a', 'b'])}/op${i}`, Math.round(40 + rnd() * 60)));
  for (const d of domains) link(pick(accounts), d, 'attached-by', 'strong', 1);
  let left = n - members.length;
  const shared = (
    type: string,
    count: number,
    size: () => number,
    pivot: string,
    strength: string,
    weight: number,
    pool: Member[],
  ) => {
    for (let i = 0; i < count && left > 0; i++, left--) {
      const v = add(type, `${type}-${i}`, 0);
      for (const m of new Set(Array.from({ length: size() }, () => pick(pool))))
        link(v, m, pivot, strength, weight);
    }
  };
  shared('cert', Math.round(n * 0.14), () => 2 + Math.floor(rnd() * 10), 'cert-name', 'strong', 0.9, domains);
  shared(
    'payment',
    Math.round(n * 0.03),
    () => 2 + Math.floor(rnd() * 5),
    'same-payment',
    'strong',
    0.9,
    accounts,
  );
  shared('kit', Math.round(n * 0.02), () => 10 + Math.floor(rnd() * 40), 'same-kit', 'medium', 0.9, domains);
  shared('ip', Math.round(n * 0.04), () => 5 + Math.floor(rnd() * 30), 'resolves-to', 'medium', 0.5, domains);
  shared('asn', left, () => 30 + Math.floor(rnd() * 80), 'same-asn', 'weak', 0.1, domains);
  const counts: Record<string, number> = {};
  for (const m of members) counts[m.type] = (counts[m.type] ?? 0) + 1;
  const degree = new Map<string, number>();
  for (const e of edges) degree.set(e.from, (degree.get(e.from) ?? 0) + 1);
  const pivots = members
    .filter((m) => m.score === 0)
    .map((m) => {
      const e = edges.find((x) => x.from === m.key);
      return {
        key: m.key,
        kind: m.type,
        strength: e?.strength ?? 'weak',
        weight: e?.weight ?? 0,
        members: degree.get(m.key) ?? 0,
      };
    });
  const now = Date.parse('2026-03-10T00:00:00Z');
  const detail = {
    id: 'C-BENCH',
    name: `bench campaign (${members.length} members)`,
    state: 'active',
    risk: 97,
    flagged: true,
    firstSeen: new Date(now - 9 * 86_400_000).toISOString(),
    lastSeen: new Date(now).toISOString(),
    updatedAt: new Date(now).toISOString(),
    memberCount: members.length,
    counts,
    topPivots: pivots.slice(0, 3).map(({ weight: _w, ...p }) => p),
    leadTimeHours: 41,
    explanation: 'Synthetic campaign for the dashboard benchmark.',
    members,
    pivots,
    timeline: [],
    growth: Array.from({ length: 10 }, (_, d) => ({
      day: new Date(now - (9 - d) * 86_400_000).toISOString().slice(0, 10),
      members: Math.round((members.length * (d + 1)) / 10),
    })),
    leadTime: {
      firstFlaggedAt: new Date(now - 41 * 3_600_000).toISOString(),
      goLiveAt: new Date(now).toISOString(),
      hours: 41,
    },
  };
  return { detail, graph: { id: 'C-BENCH', nodes: members, edges, truncated: false } };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function main(): Promise<void> {
  const why = skipReason();
  if (why) {
    console.log(`skipped: ${why}`);
    return;
  }
  ensureDashboardBuilt();
  const srv = await seededServer();
  const browser = await launch();
  try {
    for (const n of sizes) {
      const synthetic = syntheticCampaign(n);
      const body = JSON.stringify(synthetic.detail);
      const graphBody = JSON.stringify(synthetic.graph);
      const renders: number[] = [];
      const clicks: number[] = [];
      const inside: number[] = [];
      const settled: number[] = [];
      let shape = '';
      let where = '';
      for (let run = 0; run < runs + 1; run++) {
        const page = await browser.context.newPage();
        await page.route('**/v1/campaigns/C-BENCH', (route) =>
          route.fulfill({ status: 200, contentType: 'application/json', body }),
        );
        await page.route('**/v1/campaigns/C-BENCH/graph', (route) =>
          route.fulfill({ status: 200, contentType: 'application/json', body: graphBody }),
        );
        await page.goto(`${srv.url}/#key=${encodeURIComponent(srv.keys.analyst)}`);
        await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
        // A fresh document per run, so render includes loading the page's scripts.
        await page.goto('about:blank');
        await page.goto(`${srv.url}/#/campaigns/C-BENCH`);
        const graph = page.locator('.graph[data-render-ms]');
        await graph.waitFor({ timeout: 60_000 });
        const render = await page.evaluate(() => {
          const entry = performance.getEntriesByType('mark').find((m) => m.name === 'graph-rendered');
          return entry ? entry.startTime : Number.NaN;
        });
        inside.push(Number(await graph.getAttribute('data-render-ms')));
        await page.locator('.graph[data-layout-ms]').waitFor({ timeout: 60_000 });
        const laidOut = await page.evaluate(() => {
          const entry = performance.getEntriesByType('mark').find((m) => m.name === 'graph-laid-out');
          return entry ? entry.startTime : Number.NaN;
        });
        where = (await graph.getAttribute('data-layout')) ?? '?';
        shape = `${await graph.getAttribute('data-nodes')} nodes, ${await graph.getAttribute('data-edges')} edges`;
        // A flagged domain member's position on screen, from the renderer itself.
        // Page scripts as text: tsx would wrap named functions in a helper the page does not have.
        const target = (await page.evaluate(`(() => {
          const el = document.querySelector('.graph');
          const g = el.sigma.getGraph();
          const node = g.nodes().find((k) => k.startsWith('domain:') && g.getNodeAttribute(k, 'flagged')) ?? g.nodes()[0];
          const v = el.sigma.framedGraphToViewport(el.sigma.getNodeDisplayData(node));
          const r = el.getBoundingClientRect();
          return { node, label: String(g.getNodeAttribute(node, 'label')), x: r.left + v.x, y: r.top + v.y };
        })()`)) as { node: string; label: string; x: number; y: number };
        const answered = page.evaluate(`new Promise((resolve) => {
          let down = 0;
          window.addEventListener('mousedown', () => { down = performance.now(); }, { capture: true, once: true });
          const panel = document.querySelector('.node-info');
          new MutationObserver(() => {
            // The details of the node under the pointer (nodes may overlap: whichever sigma picks) are in
            // the panel: wait for the frame that shows them.
            if (down && panel.querySelector('h3'))
              requestAnimationFrame(() => resolve(performance.now() - down));
          }).observe(panel, { childList: true, subtree: true, characterData: true });
        })`) as Promise<number>;
        await page.mouse.move(target.x, target.y);
        await page.mouse.down();
        await page.mouse.up();
        const click = await answered;
        if (values.shot && run === runs)
          await page.screenshot({ path: artefact(`bench-graph-${n}`), fullPage: true });
        if (run > 0) {
          // Run 0 warms the server and the browser's caches; it is not counted.
          renders.push(render);
          settled.push(laidOut);
          clicks.push(click);
        }
        await page.close();
      }
      const r = median(renders);
      const c = median(clicks);
      const s = median(settled);
      const ms = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
      console.log(
        `${n} members (${shape}): render (first frame) median ${r.toFixed(0)} ms (runs ${ms(renders)}; of which graph build + first frame ${inside.slice(1).join(', ')} ms); layout settled (${where}) median ${s.toFixed(0)} ms (runs ${ms(settled)}); click → details median ${c.toFixed(0)} ms (runs ${ms(clicks)}); render + click ${(r + c).toFixed(0)} ms — target < 2,000 ms: ${r + c < 2000 ? 'met' : 'NOT met'}; settled + click ${(s + c).toFixed(0)} ms`,
      );
    }
  } finally {
    await browser.close();
    await srv.close();
  }
}

await main();
