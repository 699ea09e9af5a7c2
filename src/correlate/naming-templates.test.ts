import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  learnTemplates,
  loadNamingVocabulary,
  type NamingVocabulary,
  nameShape,
  shapeCounts,
  templatePivots,
} from './naming-templates.js';

const v: NamingVocabulary = {
  lures: new Set(['secure', 'login', 'docs', 'fax', 'verify', 'invoice']),
  brands: new Set(['microsoft']),
  words: new Set(['view', 'hub', 'cloud', 'portal', 'green', 'garden']),
  cheapTlds: new Set(['top', 'xyz', 'live', 'site']),
};

describe('naming templates', () => {
  it('shapes names by token class', () => {
    assert.equal(nameShape('login-3fa9c2-portal.top', v), '<lure>-<hex>-<word>.<cheap>');
    assert.equal(nameShape('microsoftverify.xyz', v), '<brand><lure>.<cheap>');
    assert.equal(nameShape('seccure.site', v), '<lure2>.<cheap>');
    assert.equal(nameShape('faxdocs.org', v), '<lure><lure>.org');
    assert.equal(nameShape('a1b2-hub.workers.dev', v), '<hex>-<word>.workers.dev');
    assert.equal(nameShape('www.green-garden.com', v), '<word>-<word>.com');
    assert.equal(nameShape('203.0.113.7', v), undefined);
  });

  it('learns distinctive shapes shared by flagged members, not shapes honest names share', () => {
    const flagged = [
      'login-3fa9c2-portal.top',
      'verify-9bd0e1-cloud.xyz',
      'secure-77ac01-hub.live',
      'docs-0f0f0a-view.top',
      'greengarden.com',
      'cloudhub.com',
    ];
    const t = learnTemplates(flagged, v);
    assert.deepEqual(
      t.map((x) => x.shape),
      ['<lure>-<hex>-<word>.<cheap>'],
    );
    assert.equal(t[0]?.support, 4);
    assert.deepEqual(learnTemplates(flagged, v, new Map([['<lure>-<hex>-<word>.<cheap>', 1000]])), []);
  });

  it('links names of a learned shape to the template as a medium value', () => {
    const flagged = ['login-3fa9c2-portal.top', 'verify-9bd0e1-cloud.xyz', 'secure-77ac01-hub.live'];
    const all = [...flagged, 'docs-0f0f0a-view.top', 'greengarden.com', 'cloudhub.com'];
    const t = learnTemplates(flagged, v, shapeCounts(all, v));
    assert.deepEqual(templatePivots('C-1', t, all, v), [
      ...flagged.map((name) => ({ name, value: 'template:C-1/<lure>-<hex>-<word>.<cheap>' })),
      { name: 'docs-0f0f0a-view.top', value: 'template:C-1/<lure>-<hex>-<word>.<cheap>' },
    ]);
  });

  it('reads the shipped vocabulary', () => {
    const shipped = loadNamingVocabulary();
    assert.ok(shipped.lures.has('invoice'));
    assert.ok(shipped.brands.has('microsoft'));
    assert.ok(shipped.cheapTlds.has('top'));
    assert.equal(nameShape('invoice-a9f3e1-portal.top', shipped)?.startsWith('<lure>-<hex>-'), true);
  });
});
