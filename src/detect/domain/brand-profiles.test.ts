import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isPrecursorError } from '../../domain/index.js';
import { loadBrandProfiles, parseBrandProfile, profileDigest } from './brand-profiles.js';
import { defaultBrandsDir } from './package-paths.js';

const invalid = (doc: unknown, pattern: RegExp): void => {
  assert.throws(
    () => parseBrandProfile(doc, 'test.yaml'),
    (e: unknown) => isPrecursorError(e) && e.code === 'CONFIG_INVALID' && pattern.test(e.message),
  );
};

describe('brand profiles', () => {
  it('ships a complete Microsoft 365 profile and at least 40 other brands', () => {
    const profiles = loadBrandProfiles(defaultBrandsDir());
    assert.ok(profiles.length >= 41, `${profiles.length} profiles`);
    const ms = profiles.find((p) => p.id === 'microsoft');
    assert.ok(ms);
    const tokens = new Set([...ms.tokens, ...ms.products]);
    for (const t of [
      'microsoft',
      'office',
      'office365',
      'o365',
      '0365',
      'm365',
      'outlook',
      'hotmail',
      'live',
      'onedrive',
      'sharepoint',
      'teams',
      'msonline',
      'microsoftonline',
      'azure',
    ])
      assert.ok(tokens.has(t), `microsoft profile lacks ${t}`);
    for (const d of ['microsoft.com', 'microsoftonline.com', 'office.com', 'live.com', 'outlook.com'])
      assert.ok(ms.official.includes(d), d);
    const categories = new Set(profiles.map((p) => p.category));
    for (const c of ['bank', 'payment', 'parcel', 'e-sign', 'cloud-storage', 'crypto', 'social'])
      assert.ok(categories.has(c), c);
  });
  it('normalises official domains to registrable domains and lower-cases tokens', () => {
    const p = parseBrandProfile(
      { id: 'x', name: 'X', official: ['Login.Example.CO.UK', 'x.*'], tokens: ['Example'] },
      't',
    );
    assert.deepEqual(p.official, ['example.co.uk']);
    assert.deepEqual(p.officialAnySuffix, ['x']);
    assert.deepEqual(p.tokens, ['example']);
  });
  it('rejects malformed profiles with the file and field in the message', () => {
    invalid({ id: 'x', name: 'X', official: [], tokens: ['x'] }, /test\.yaml.*official/);
    invalid({ id: 'x', name: 'X', official: ['x.com'], tokens: ['bad token'] }, /tokens\.0/);
    invalid({ id: 'x', name: 'X', official: ['x.com'], tokens: [365] }, /quote tokens made of digits/);
    invalid({ id: 'x', name: 'X', official: ['x.com'], tokens: ['x1'], generic: ['yy'] }, /generic token/);
    invalid({ id: 'x', name: 'X', official: ['not valid!'], tokens: ['x1'] }, /official domain/);
    invalid({ id: 'x', name: 'X', official: ['x.com'], tokens: ['x1'], extra: 1 }, /extra|Unrecognized/i);
  });
  it('reports YAML syntax errors and duplicate ids across files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'brands-'));
    writeFileSync(join(dir, 'a.yaml'), 'id: a\nname: A\nofficial: [a.com]\ntokens: [alpha]\n');
    writeFileSync(join(dir, 'b.yaml'), 'id: a\nname: B\nofficial: [b.com]\ntokens: [beta]\n');
    assert.throws(() => loadBrandProfiles(dir), /defined in both/);
    writeFileSync(join(dir, 'b.yaml'), 'id: b\nname: [unclosed\n');
    assert.throws(() => loadBrandProfiles(dir), /not valid YAML/);
    assert.throws(() => loadBrandProfiles(join(dir, 'missing')), /cannot read/);
  });
  it('keys the compiled catalogue by every file name and byte, so an edited profile is parsed afresh', () => {
    const a = profileDigest(['x/acme.yaml'], ['id: acme\n']);
    assert.equal(a, profileDigest(['y/acme.yaml'], ['id: acme\n']), 'the directory does not matter');
    assert.notEqual(a, profileDigest(['x/acme.yaml'], ['id: acme \n']));
    assert.notEqual(a, profileDigest(['x/acme2.yaml'], ['id: acme\n']));
    assert.notEqual(a, profileDigest(['x/acme.yaml', 'x/b.yaml'], ['id: acme\n', '']));
    // Whatever serves them, the shipped profiles are the ones the YAML says.
    const shipped = loadBrandProfiles(defaultBrandsDir());
    const dir = mkdtempSync(join(tmpdir(), 'brands-'));
    writeFileSync(join(dir, 'one.yaml'), 'id: one\nname: One\nofficial: [one.com]\ntokens: [onebrand]\n');
    assert.deepEqual(loadBrandProfiles(dir)[0]?.tokens, ['onebrand']);
    assert.ok(shipped.some((p) => p.id === 'microsoft'));
  });
});
