/** The RPZ zone Precursor writes, loaded and enforced by a real resolver (unbound) on loopback. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { indicator, NOW } from '../../../test/support/share-snapshot.js';
import { type RunningResolver, startUnbound, unboundSkip } from '../../../test/support/unbound.js';
import { exportBlocklist } from './blocking-export.js';

const skip = unboundSkip();

// Not `test.`: unbound answers the RFC 6761 special-use names itself (NXDOMAIN).
const AUTH = `$TTL 60
$ORIGIN example.
@ IN SOA localhost. hostmaster.localhost. 1 3600 600 604800 60
@ IN NS localhost.
login-portal A 192.0.2.10
www.login-portal A 192.0.2.10
honest-shop A 192.0.2.20
revoked-lure A 192.0.2.30
attacker-host A 198.51.100.66
pointed-at-attacker A 198.51.100.66
`;

describe('RPZ zone in a real resolver', { skip }, () => {
  let resolver: RunningResolver;
  before(async () => {
    const { files } = exportBlocklist('rpz', {
      indicators: [
        indicator('domain', 'login-portal.example'),
        indicator('domain', 'revoked-lure.example', {
          revoked: true,
          version: 2,
          modified: '2026-11-10T00:00:00.000Z',
        }),
        indicator('ip', '198.51.100.66'),
      ],
      scope: { tlp: 'green' },
      now: NOW,
      rpz: { origin: 'rpz.precursor' },
    });
    resolver = await startUnbound({
      rpzOrigin: 'rpz.precursor',
      rpzZone: files[0]?.content ?? '',
      authOrigin: 'example',
      authZone: AUTH,
    });
  });
  after(async () => resolver?.stop());

  it('blocks a listed name and its subdomains and leaves others alone', async () => {
    assert.equal(await resolver.resolve4('login-portal.example'), 'ENOTFOUND');
    assert.equal(await resolver.resolve4('www.login-portal.example'), 'ENOTFOUND');
    assert.deepEqual(await resolver.resolve4('honest-shop.example'), ['192.0.2.20']);
  });

  it('does not block a revoked indicator', async () => {
    assert.deepEqual(await resolver.resolve4('revoked-lure.example'), ['192.0.2.30']);
  });

  it('blocks answers pointing at a listed address (rpz-ip)', async () => {
    assert.equal(await resolver.resolve4('pointed-at-attacker.example'), 'ENOTFOUND');
  });
});
