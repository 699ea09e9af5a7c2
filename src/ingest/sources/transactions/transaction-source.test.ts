import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Observation, Rejection } from '../../../domain/index.js';
import type { SourceRecord } from '../../source.js';
import { extractTransaction } from './transaction-extract.js';
import { createTransactionSource } from './transaction-source.js';

const H = 'a'.repeat(64);
const BTC1 = 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4';
const BTC2 = '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa';
const BTC3 = '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy';
const ETH1 = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';
const ETH2 = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';
const TRX = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';

async function run(name: string, text: string, format?: 'csv' | 'jsonl') {
  const dir = mkdtempSync(join(tmpdir(), 'tx-src-'));
  try {
    const path = join(dir, name);
    writeFileSync(path, text);
    const source = createTransactionSource({ path, ...(format ? { format } : {}) });
    const observations: Observation[] = [];
    const rejected: Array<{ position: string } & Rejection> = [];
    for await (const item of source.read(undefined, new AbortController().signal))
      for (const record of Array.isArray(item) ? (item as readonly SourceRecord[]) : [item as SourceRecord]) {
        const r = source.parse(record);
        if (r.ok) observations.push(...r.observations);
        else rejected.push({ position: record.position, ...r.rejection });
      }
    return { observations, rejected };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const line = (o: Record<string, unknown>) => JSON.stringify(o);
const btc = {
  chain: 'bitcoin',
  tx_hash: H.toUpperCase(),
  time: '2026-11-02T12:15:00+02:00',
  asset: 'btc',
  from: [
    { address: BTC1, amount: '150000' },
    { address: BTC2, amount: '90000' },
  ],
  to: [{ address: BTC3, amount: '230000' }],
  fee: '10000',
};

describe('transaction source', () => {
  it('reads JSONL into transaction observations and bad rows into rejections naming the field', async () => {
    const { observations, rejected } = await run(
      'tx.jsonl',
      [
        line(btc),
        '{oops',
        line({ ...btc, from: [{ address: `${BTC1.slice(0, -1)}5`, amount: '1' }] }),
        line({ ...btc, chain: 'dogecoin' }),
        line({
          chain: 'ethereum',
          tx_hash: `0x${H}`,
          time: '2026-11-02T10:17:00Z',
          asset: 'ETH',
          from: [{ address: ETH1, amount: '1000' }],
          to: [
            { address: ETH2, amount: '500' },
            { address: ETH1, amount: '500' },
          ],
        }),
        line({ ...btc, to: [{ address: BTC3, amount: '-5' }] }),
        line({
          chain: 'tron',
          tx_hash: H,
          time: '2026-11-02T10:18:00Z',
          asset: 'USDT',
          from: [{ address: TRX, amount: '2500000000' }],
          to: [{ address: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u', amount: '1' }],
        }),
        '',
      ].join('\n'),
    );
    assert.equal(observations.length, 1);
    const o = observations[0] as Observation<'transaction'>;
    assert.equal(o.kind, 'transaction');
    assert.equal(o.observedAt, '2026-11-02T10:15:00.000Z');
    assert.equal(o.payload.txHash, H);
    assert.equal(o.payload.asset, 'BTC');
    assert.match(o.dedupeKey, new RegExp(`^tx:bitcoin:${H}:BTC:[0-9a-f]{16}$`));
    assert.deepEqual(
      rejected.map((r) => [r.position, r.code, r.path ?? null]),
      [
        ['line 2', 'PARSE_ERROR', null],
        ['line 3', 'INVALID_VALUE', 'from[0].address'],
        ['line 4', 'SCHEMA_INVALID', 'chain'],
        ['line 5', 'SCHEMA_INVALID', 'from'],
        ['line 6', 'SCHEMA_INVALID', 'to[0].amount'],
        ['line 7', 'INVALID_VALUE', 'to[0].address'],
      ],
    );
  });

  it('reads CSV with address:amount lists', async () => {
    const { observations, rejected } = await run(
      'tx.csv',
      [
        'chain,tx_hash,time,asset,from,to,fee',
        `bitcoin,${H},2026-11-02T10:15:00Z,BTC,${BTC1}:150000|${BTC2}:90000,${BTC3}:230000,10000`,
        `ethereum,0x${H},2026-11-02T10:17:00Z,ETH,${ETH1}:1000,${ETH2}:1000,`,
        `tron,${H},2026-11-02T10:18:00Z,USDT,${TRX}:5,${ETH2}:5,`,
        `tron,${H},2026-11-02T10:18:00Z,USDT,${TRX}5,${TRX}:5,`,
      ].join('\n'),
    );
    assert.equal(observations.length, 2);
    const eth = observations[1] as Observation<'transaction'>;
    assert.deepEqual(eth.payload.from, [{ address: ETH1.toLowerCase(), amount: '1000' }]);
    assert.equal(eth.payload.fee, undefined);
    assert.deepEqual(
      rejected.map((r) => [r.position, r.code, r.path ?? null]),
      [
        ['line 4', 'INVALID_VALUE', 'to[0].address'],
        ['line 5', 'SCHEMA_INVALID', 'from'],
      ],
    );
  });

  it('rejects a CSV whose header lacks a column', async () => {
    const { rejected } = await run(
      'bad.csv',
      `chain,tx_hash,time,from,to\nbitcoin,${H},2026-11-02T10:15:00Z,,`,
    );
    assert.equal(rejected[0]?.code, 'SCHEMA_INVALID');
    assert.match(rejected[0]!.reason, /lacks column\(s\) asset/);
  });
});

describe('transaction extraction', () => {
  it('links the inputs of a UTXO transaction and senders to recipients', () => {
    const x = extractTransaction({
      chain: 'bitcoin',
      txHash: H,
      asset: 'BTC',
      from: [
        { address: BTC1, amount: '1' },
        { address: BTC2, amount: '1' },
        { address: BTC3, amount: '1' },
      ],
      to: [{ address: BTC3, amount: '2' }],
    });
    assert.deepEqual(
      x.entities.map((e) => e.key),
      [`wallet:bitcoin:${BTC1}`, `wallet:bitcoin:${BTC2}`, `wallet:bitcoin:${BTC3}`],
    );
    assert.deepEqual(
      x.links.map((l) => [l.pivot, l.from.slice(15, 19), l.to.slice(15, 19)]),
      [
        ['co-spent', 'bc1q', '1A1z'],
        ['co-spent', 'bc1q', '3J98'],
        ['paid-to', 'bc1q', '3J98'],
        ['paid-to', '1A1z', '3J98'],
      ],
    );
  });

  it('does not apply common-input ownership to a CoinJoin', () => {
    const x = extractTransaction({
      chain: 'bitcoin',
      txHash: H,
      asset: 'BTC',
      from: [BTC1, BTC2, BTC3].map((address) => ({ address, amount: '100' })),
      to: [BTC1, BTC2, BTC3].map((address) => ({ address, amount: '99' })),
    });
    assert.equal(x.links.filter((l) => l.pivot === 'co-spent').length, 0);
  });

  it('displays Ethereum wallets in EIP-55 form under a lower-case key', () => {
    const x = extractTransaction({
      chain: 'ethereum',
      txHash: `0x${H}`,
      asset: 'ETH',
      from: [{ address: ETH1.toLowerCase(), amount: '1' }],
      to: [{ address: ETH2.toLowerCase(), amount: '1' }],
    });
    assert.equal(x.entities[0]?.key, `wallet:ethereum:${ETH1.toLowerCase()}`);
    assert.equal(x.entities[0]?.display, ETH1);
  });
});
