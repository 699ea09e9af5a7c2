import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PrecursorError } from '../../domain/index.js';
import { resolveTenantConfig } from './resolve-tenant-config.js';
import { DEFAULT_TENANT_RULES, TenantRulebook } from './tenant-config.js';

describe('resolveTenantConfig', () => {
  it('merges defaults and per-provider overrides', () => {
    const c = resolveTenantConfig({
      defaults: { velocity: { payment: { threshold: 4 } } },
      providers: { 'static-host': { deployment: { baselineDeployments: 20 } } },
      identity: { hostingAsns: [64512] },
    });
    assert.equal(c.defaults.velocity.payment.threshold, 4);
    assert.equal(c.defaults.velocity.payment.windowHours, DEFAULT_TENANT_RULES.velocity.payment.windowHours);
    const book = new TenantRulebook(c);
    assert.equal(book.for('static-host').deployment.baselineDeployments, 20);
    assert.equal(
      book.for('static-host').velocity.payment.threshold,
      4,
      'provider sections sit on the resolved defaults',
    );
    assert.equal(book.for('other').deployment.baselineDeployments, 3);
    assert.deepEqual(c.identity.hostingAsns, [64512]);
  });

  it('rejects unknown keys and wrong types with their path', () => {
    const bad: Array<[unknown, RegExp]> = [
      [{ defaults: { velocity: { paymnet: {} } } }, /unknown key defaults\.velocity\.paymnet/],
      [{ defaults: { horizonHours: '30d' } }, /defaults\.horizonHours must be a number/],
      [{ providers: { x: { thresholds: { flag: -1 } } } }, /providers\.x\.thresholds\.flag must be >= 0/],
      [{ identity: { mobileAsns: 5 } }, /identity\.mobileAsns must be an array/],
      [{ windows: {} }, /unknown key windows/],
      [{ identity: { strengths: { ip: 0.5 } } }, /identity\.strengths moved to the top-level `pivots`/],
    ];
    for (const [input, re] of bad) {
      assert.throws(
        () => resolveTenantConfig(input),
        (e: unknown) => e instanceof PrecursorError && e.code === 'CONFIG_INVALID' && re.test(e.message),
      );
    }
  });
});
