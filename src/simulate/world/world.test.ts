import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bech32, bech32m, createBase58check } from '@scure/base';
import { parseCertstreamMessage } from '../../ingest/sources/certstream/certstream-source.js';
import { parseTenantEvent } from '../../ingest/sources/tenant/tenant-schema.js';
import { eip55 } from '../wallets.js';
import { operatorOfEntities } from './truth.js';
import { generateWorld } from './world.js';
import { writeWorld } from './write-world.js';

const b58 = createBase58check(sha256);

/** Independent checksum checks (decode, do not re-encode with the generator's helpers). */
function validAddress(chain: string, a: string): boolean {
  try {
    if (chain === 'ethereum') {
      if (!/^0x[0-9a-fA-F]{40}$/.test(a)) return false;
      const lower = a.slice(2).toLowerCase();
      const hash = Buffer.from(keccak_256(new TextEncoder().encode(lower))).toString('hex');
      return [...lower].every((c, i) =>
        c >= 'a'
          ? Number.parseInt(hash[i] as string, 16) >= 8
            ? a[i + 2] === c.toUpperCase()
            : a[i + 2] === c
          : true,
      );
    }
    if (chain === 'tron') {
      const raw = b58.decode(a);
      return raw.length === 21 && raw[0] === 0x41 && a.startsWith('T');
    }
    if (a.startsWith('bc1p')) return bech32m.decode(a as `${string}1${string}`).words[0] === 1;
    if (a.startsWith('bc1')) return bech32.decode(a as `${string}1${string}`).words[0] === 0;
    const raw = b58.decode(a);
    return raw.length === 21 && raw[0] === 0x00;
  } catch {
    return false;
  }
}

const files = (dir: string, base = dir): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) Object.assign(out, files(p, base));
    else out[p.slice(base.length)] = readFileSync(p, 'utf8');
  }
  return out;
};

describe('simulated world', () => {
  const dir = mkdtempSync(join(tmpdir(), 'precursor-world-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const world = generateWorld({ seed: 11, scale: 'small' });
  const certstream = [...world.certstreamLines()];

  it('is deterministic per seed: byte-identical files; another seed changes data and parameters', () => {
    writeWorld(world, join(dir, 'a'));
    writeWorld(generateWorld({ seed: 11, scale: 'small' }), join(dir, 'b'));
    const a = files(join(dir, 'a'));
    assert.deepEqual(files(join(dir, 'b')), a);
    assert.ok(Object.keys(a).some((k) => k.startsWith('/pages/')));
    const other = generateWorld({ seed: 12, scale: 'small' });
    assert.notDeepEqual([...other.certstreamLines()].slice(0, 10), certstream.slice(0, 10));
    assert.notDeepEqual(other.params.operators[0], world.params.operators[0]);
    assert.notDeepEqual(other.params.honest.personas, world.params.honest.personas);
    // Flags change sizes; the seed still decides the habits.
    const bigger = generateWorld({ seed: 11, scale: 'small', honestTenants: 500, operators: 3 });
    assert.equal(bigger.truth.counts.honestAccounts, 500);
    assert.equal(bigger.truth.operators.length, 3);
  });

  it('writes only lines the ingest parsers accept', () => {
    for (const [i, line] of world.tenantEvents.entries()) {
      const r = parseTenantEvent(JSON.parse(line));
      assert.ok(r.ok, `tenant line ${i + 1}: ${JSON.stringify(r.ok ? '' : r.rejection)}`);
    }
    let certificates = 0;
    for (const [i, line] of certstream.entries()) {
      const r = parseCertstreamMessage('certstream', line);
      assert.ok(r.ok, `certstream line ${i + 1}: ${JSON.stringify(r.ok ? '' : r.rejection)}`);
      assert.equal(r.observations.length, 1, 'one certificate per message');
      if (r.observations[0]?.kind === 'certificate') certificates += 1;
    }
    assert.equal(certificates, certstream.length);
    const keys = new Set(
      certstream.map((l) => {
        const d = (JSON.parse(l) as { data: { cert_index: number; source: { url: string } } }).data;
        return `${d.source.url}|${d.cert_index}`;
      }),
    );
    assert.equal(keys.size, certstream.length, 'log entries are unique');
    const pre = certstream.filter((l) => l.includes('"PrecertLogEntry"')).length;
    assert.ok(pre / certstream.length > 0.35, 'most certificates come as precertificate + certificate');
  });

  it("labels the addresses an operator's sweeps pay into as the operator's", () => {
    // Seed 29: an operator with several Bitcoin addresses and no Bitcoin address in its cash-out
    // cluster, so its sweeps pay fresh addresses (these were missing from the truth).
    let checked = 0;
    for (const seed of [11, 29]) {
      const w = seed === 11 ? world : generateWorld({ seed, scale: 'small' });
      for (const op of w.truth.operators) {
        const own = new Set(op.wallets.map((x) => x.address));
        const labelled = new Set([...own, ...op.cashOutWallets.map((x) => x.address)]);
        for (const line of w.transactions) {
          const t = JSON.parse(line) as {
            chain: string;
            from: { address: string }[];
            to: { address: string }[];
          };
          if (t.chain !== 'bitcoin' || t.from.length < 2 || t.to.length !== 1) continue;
          if (!t.from.every((x) => own.has(x.address))) continue;
          checked++;
          assert.ok(labelled.has(t.to[0]!.address), `${op.id} sweep into ${t.to[0]!.address}`);
        }
      }
    }
    assert.ok(checked > 0, 'the worlds hold operator sweeps');
  });

  it('writes valid transactions with checksummed addresses', () => {
    assert.ok(world.transactions.length > 50);
    for (const line of world.transactions) {
      const t = JSON.parse(line) as {
        chain: string;
        tx_hash: string;
        time: string;
        asset: string;
        from: { address: string; amount: string }[];
        to: { address: string; amount: string }[];
        fee?: string;
      };
      assert.ok(['bitcoin', 'ethereum', 'tron'].includes(t.chain), line);
      assert.match(t.tx_hash, t.chain === 'ethereum' ? /^0x[0-9a-f]{64}$/ : /^[0-9a-f]{64}$/);
      assert.ok(!Number.isNaN(Date.parse(t.time)));
      assert.ok(t.from.length >= 1 && t.to.length >= 1);
      if (t.chain !== 'bitcoin')
        assert.ok(t.from.length === 1 && t.to.length === 1, 'account chains: one each');
      for (const x of [...t.from, ...t.to]) {
        assert.match(x.amount, /^\d+$/);
        assert.ok(validAddress(t.chain, x.address), `${t.chain} ${x.address}`);
      }
    }
    assert.ok(
      !validAddress(
        'ethereum',
        world.truth.operators
          .flatMap((o) => o.wallets)
          .find((w) => w.chain === 'ethereum')
          ?.address.toLowerCase()
          .replace('0x', '0X') ?? 'x',
      ),
    );
  });

  it('computes EIP-55 as the EIP test vectors do', () => {
    for (const a of [
      '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
      '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
      '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
      '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
    ])
      assert.equal(eip55(Buffer.from(a.slice(2), 'hex')), a);
  });

  it('has a truth consistent with the files', () => {
    const t = world.truth;
    const names = new Set(world.names);
    assert.equal(names.size, world.names.length);
    const created = new Set(
      world.tenantEvents
        .map((l) => JSON.parse(l) as { type: string; provider: string; account_id: string })
        .filter((e) => e.type === 'account.created')
        .map((e) => `account:${e.provider}/${e.account_id}`),
    );
    const shas = new Set(
      certstream.map((l) =>
        (JSON.parse(l) as { data: { leaf_cert: { sha256: string } } }).data.leaf_cert.sha256
          .replaceAll(':', '')
          .toLowerCase(),
      ),
    );
    const txAddresses = new Set(
      world.transactions.flatMap((l) => {
        const x = JSON.parse(l) as { from: { address: string }[]; to: { address: string }[] };
        return [...x.from, ...x.to].map((y) => y.address);
      }),
    );
    const pageHosts = new Set(world.pages.map((p) => p.path.split('/')[0]));
    const events = world.tenantEvents.join('\n');
    for (const op of t.operators) {
      assert.ok(op.accounts.length >= 3 && op.names.length >= 8, op.id);
      for (const a of op.accounts) assert.ok(created.has(a), `${op.id} account ${a} signs up`);
      for (const n of [...op.names, ...op.hosts]) {
        assert.ok(names.has(n), `${n} in names.txt`);
        assert.equal(t.names[n]?.operator, op.id);
      }
      for (const c of op.certificates) assert.ok(shas.has(c.sha256), `certificate ${c.sha256}`);
      assert.ok(
        op.certificates.some((c) => c.names.length > 2),
        'names share certificates',
      );
      for (const w of op.wallets) {
        assert.ok(validAddress(w.chain, w.address), w.address);
        assert.ok(txAddresses.has(w.address), `wallet ${w.address} transacts`);
      }
      assert.ok(
        op.wallets.some((w) => events.includes(w.address)),
        'operator pays with its wallets',
      );
      for (const p of op.kitPages) {
        assert.ok(pageHosts.has(p.host), `kit page ${p.host}`);
        assert.ok(Date.parse(p.liveAt) >= Date.parse(op.goLiveAt));
        assert.ok(Date.parse(p.deployedAt) < Date.parse(op.goLiveAt), 'deployed before go-live');
      }
      assert.ok(op.kitPages.length > 0);
      assert.ok(Date.parse(op.preparedAt) < Date.parse(op.goLiveAt), 'preparation precedes go-live');
      assert.ok(op.firstDeploymentAt !== null && Date.parse(op.firstDeploymentAt) < Date.parse(op.goLiveAt));
      const kinds = new Set(op.names.map((n) => t.names[n]?.kind));
      assert.ok(kinds.has('lure') && kinds.has('lookalike'), `${op.id} has lure-only and lookalike names`);
    }
    for (const [n, l] of Object.entries(t.names)) {
      assert.ok(names.has(n), n);
      assert.ok(t.operators.some((o) => o.id === l.operator));
    }
    for (const h of t.honest.pages) {
      assert.ok(pageHosts.has(h.host));
      assert.equal(t.names[h.host], undefined, 'honest pages are on honest names');
    }
    // Operator entities use the keys the stages write, and nothing is claimed twice.
    const owners = operatorOfEntities(t);
    assert.ok([...owners.keys()].every((k) => /^(account|domain|cert|wallet|telegram-bot):/.test(k)));
    const honestShare = 1 - Object.keys(t.names).length / world.names.length;
    assert.ok(honestShare > 0.9, 'most names are honest');
    assert.ok(t.honest.organisations.length > 0, 'organisations onboard staff');
    assert.ok(t.counts.honestAccounts === t.params.honestTenants);
  });

  it('keeps suspicious-looking honest names rare', () => {
    const lure = /login|secure|verify|signin|account|billing|portal/;
    const honest = world.names.filter((n) => world.truth.names[n] === undefined);
    const share = honest.filter((n) => lure.test(n)).length / honest.length;
    assert.ok(share < 0.01, String(share));
  });

  it('keeps the operator invariants on other seeds and flags', () => {
    for (const seed of [1, 2, 3, 'held-out']) {
      const w = generateWorld({ seed, scale: 'small', operators: 3, days: 10 });
      for (const op of w.truth.operators) {
        const why = `seed ${seed} ${op.id}`;
        assert.ok(
          op.certificates.some((c) => c.names.length > 2),
          `${why}: shared certificate`,
        );
        const kinds = new Set(op.names.map((n) => w.truth.names[n]?.kind));
        assert.ok(kinds.has('lure'), `${why}: lure-only names`);
        assert.ok(op.kitPages.length > 0, `${why}: kit pages`);
        assert.ok(Date.parse(op.preparedAt) < Date.parse(op.goLiveAt), why);
        assert.ok(
          op.firstDeploymentAt !== null && Date.parse(op.firstDeploymentAt) < Date.parse(op.goLiveAt),
          why,
        );
        assert.ok(Date.parse(op.goLiveAt) < Date.parse(w.truth.end), `${why}: goes live inside the world`);
      }
    }
  });
});
