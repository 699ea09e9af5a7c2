import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TenantEvent } from '../../domain/index.js';
import { createPivotModel } from '../pivots.js';
import { DEFAULT_IDENTITY_CONFIG, identityAttributes } from './identity.js';

const signup = (fields: Partial<Extract<TenantEvent, { type: 'account.created' }>>): TenantEvent => ({
  schema_version: 1,
  event_id: 'e1',
  provider: 'cloud-a',
  account_id: 'a1',
  ts: '2026-03-01T10:00:00.000Z',
  type: 'account.created',
  email: 'jane@acme-industries.example',
  ip: '81.2.3.4',
  asn: 3320,
  ...fields,
});

const strengths = (e: TenantEvent, pivots = createPivotModel()) =>
  Object.fromEntries(identityAttributes(e, DEFAULT_IDENTITY_CONFIG, pivots).map((a) => [a.key, a.strength]));

describe('identity attributes', () => {
  it('take their strength from the pivot model, by the class of the value', () => {
    assert.deepEqual(strengths(signup({})), {
      'email:jane@acme-industries.example': 0.9,
      'domain:acme-industries.example': 0.3,
      'ip:81.2.3.4': 0.4,
    });
    assert.deepEqual(strengths(signup({ ip: '3.4.5.6', asn: 16509, email: 'jane@gmail.com' })), {
      'email:jane@gmail.com': 0.9,
      'ip:3.4.5.6': 0.7,
      'asn:AS16509': 0.1,
    });
    assert.deepEqual(strengths(signup({ ip: '2001:db8:0:1::abcd', asn: 16509 })), {
      'email:jane@acme-industries.example': 0.9,
      'domain:acme-industries.example': 0.3,
      'ip:2001:db8:0:1::/64': 0.5,
      'asn:AS16509': 0.1,
    });
  });

  it('follow a configured model: a class given 0 binds nothing, one given a strength binds', () => {
    const pivots = createPivotModel({
      strengths: {
        'same-ip': { residential: 0, mobile: 0.2 },
        'same-email-domain': { free: 0.05 },
        'same-email': 0.95,
      },
    });
    assert.deepEqual(strengths(signup({}), pivots), {
      'email:jane@acme-industries.example': 0.95,
      'domain:acme-industries.example': 0.3,
    });
    assert.deepEqual(strengths(signup({ email: 'jane@gmail.com', ip: '172.58.1.1', asn: 21928 }), pivots), {
      'email:jane@gmail.com': 0.95,
      'domain:gmail.com': 0.05,
      'ip:172.58.1.1': 0.2,
    });
  });
});
