import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  extractWalletAddresses,
  parseWalletAddress,
  toChecksumAddress,
  walletKey,
} from './wallet-address.js';

describe('Bitcoin segwit addresses (BIP-173, BIP-350 test vectors)', () => {
  const valid: Array<[string, string]> = [
    ['BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4', 'p2wpkh'],
    ['bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3', 'p2wsh'],
    ['bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y', 'segwit'],
    ['BC1SW50QGDZ25J', 'segwit'],
    ['bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs', 'segwit'],
    ['bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0', 'p2tr'],
  ];
  for (const [a, type] of valid)
    it(`accepts ${a}`, () => {
      const w = parseWalletAddress(a);
      assert.equal(w?.type, type);
      assert.equal(w?.address, a.toLowerCase());
      assert.equal(w?.chain, 'bitcoin');
    });
  const invalid: Array<[string, string]> = [
    ['bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd', 'bech32 checksum under v1'],
    ['BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL', 'bech32 checksum under v16'],
    ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh', 'bech32m checksum under v0'],
    ['tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf', 'testnet, not a mainnet address'],
    ['bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4', 'character outside the alphabet'],
    ['BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R', 'witness version 17'],
    ['bc1pw5dgrnzv', 'a 1-byte program'],
    ['bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav', 'a 41-byte program'],
    ['BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P', 'a 16-byte v0 program'],
    ['bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf', 'non-zero padding'],
    ['bc1gmk9yu', 'empty data'],
    ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5', 'one character changed'],
    ['BC1QW508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', 'mixed case'],
  ];
  for (const [a, why] of invalid) it(`rejects ${why}`, () => assert.equal(parseWalletAddress(a), undefined));
});

describe('Bitcoin and TRON base58check', () => {
  it('accepts P2PKH, P2SH and TRON addresses whose checksum holds', () => {
    assert.equal(parseWalletAddress('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa')?.type, 'p2pkh');
    assert.equal(parseWalletAddress('3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy')?.type, 'p2sh');
    const t = parseWalletAddress('TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t');
    assert.equal(t?.chain, 'tron');
    assert.equal(walletKey(t!), 'wallet:tron:TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t');
  });
  it('rejects a changed character, a wrong version byte and the wrong chain', () => {
    assert.equal(parseWalletAddress('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb'), undefined);
    assert.equal(parseWalletAddress('TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u'), undefined);
    assert.equal(parseWalletAddress('TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', 'bitcoin'), undefined);
    assert.equal(parseWalletAddress('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', 'tron'), undefined);
  });
});

describe('Ethereum (EIP-55 test vectors)', () => {
  const vectors = [
    '0x52908400098527886E0F7030069857D2E4169EE7',
    '0x8617E340B3D01FA5F11F306F4090FD50E238070D',
    '0xde709f2102306220921060314715629080e2fb77',
    '0x27b1fdb04752bbc536007a920d24acb045561c26',
    '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
    '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
    '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
    '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
  ];
  it('computes the checksum of every vector', () => {
    for (const v of vectors.slice(4)) assert.equal(toChecksumAddress(v.slice(2)), v);
  });
  it('accepts the vectors, checksummed ones as verified', () => {
    for (const v of vectors) {
      const w = parseWalletAddress(v);
      assert.equal(w?.address, v.toLowerCase());
      assert.equal(w?.checksum, /[a-f]/.test(v) && /[A-F]/.test(v) ? 'verified' : 'none');
    }
  });
  it('rejects a mixed-case address whose checksum fails', () => {
    assert.equal(parseWalletAddress('0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD'), undefined);
    assert.equal(parseWalletAddress('0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'), undefined);
  });
});

describe('extractWalletAddresses', () => {
  it('finds valid addresses in a page and ignores look-alike strings', () => {
    const text = `Pay the fee to 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed or TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t.
      BTC: bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0 (or 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa).
      Not these: 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD, TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u,
      tx 0x88df016429689c079f3b2f6ad39fa052532c56795b733da78a91ebe6a713944b, and again 0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed`;
    const found = extractWalletAddresses(text).map((w) => walletKey(w));
    assert.deepEqual(found, [
      'wallet:ethereum:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed',
      'wallet:tron:TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
      'wallet:bitcoin:bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0',
      'wallet:bitcoin:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa',
    ]);
  });
  it('matches no random strings of the right alphabets', () => {
    let s = 42;
    const rnd = () => {
      s = (s * 1103515245 + 12345) & 0x7fffffff;
      return s;
    };
    const b58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
    const pick = (alphabet: string, n: number) =>
      Array.from({ length: n }, () => alphabet[rnd() % alphabet.length]).join('');
    const words: string[] = [];
    for (let i = 0; i < 2000; i++) {
      words.push(
        `T${pick(b58, 33)}`,
        `1${pick(b58, 33)}`,
        `bc1q${pick('qpzry9x8gf2tvdw0s3jn54khce6mua7l', 38)}`,
      );
      words.push(`0x${pick('0123456789abcdefABCDEF', 40)}`);
    }
    const hits = extractWalletAddresses(words.join(' '));
    // Only a mixed-case hex string can pass EIP-55 by chance (2^-15 per letter run); none of these do.
    assert.deepEqual(hits, []);
  });
});
