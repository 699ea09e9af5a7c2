import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../domain/package-paths.js';
import { yamlFilesIn } from '../yaml-files.js';
import * as fromSource from './brand-catalog.js';

// The compiled catalogue serves the built code (dist/), as `precursor ingest` runs it; run from src/,
// this module's digest never matches it, so the source module always parses the YAML.
const ROOT = packageRoot();
const builtModule = join(ROOT, 'dist', 'src', 'detect', 'page', 'brand-catalog.js');
const built = (): Promise<typeof fromSource> => import(pathToFileURL(builtModule).href);
const BRANDS = join(ROOT, 'brands');
const tmp = mkdtempSync(join(tmpdir(), 'page-catalog-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('the compiled page brand catalogue (dist/page-brand-catalogue.json)', () => {
  const skip = !existsSync(builtModule) || !existsSync(join(ROOT, 'dist', 'page-brand-catalogue.json'));

  it('is what parsing the shipped YAML gives, and is keyed by those exact files', { skip }, async () => {
    const b = await built();
    const compiled = JSON.parse(readFileSync(b.compiledPageCatalogPath(), 'utf8')) as {
      digest: string;
      brands: unknown[];
    };
    const files = yamlFilesIn(BRANDS);
    // Served for the shipped files: the digest the built code computes is the compiled one.
    assert.equal(
      b.pageCatalogDigest(
        files,
        files.map((f) => readFileSync(f, 'utf8')),
      ),
      compiled.digest,
    );
    const parsed = await fromSource.loadBrandCatalog(BRANDS);
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual((await b.loadBrandCatalog(BRANDS)).catalog.brands, parsed.catalog.brands);
    assert.deepEqual(compiled.brands, parsed.catalog.brands);
  });

  it('is not used for an edited, added or broken profile set', { skip }, async () => {
    const b = await built();
    const edited = join(tmp, 'edited');
    cpSync(BRANDS, edited, { recursive: true });
    const file = join(edited, 'microsoft.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^name: .*$/m, 'name: Microsoft Edited'));
    const e = await b.loadBrandCatalog(edited);
    assert.equal(e.catalog.brands.find((x) => x.id === 'microsoft')?.name, 'Microsoft Edited');

    writeFileSync(join(edited, 'zz-extra.yaml'), 'id: zz-extra\nname: Extra\nofficial: [extra.example]\n');
    assert.ok((await b.loadBrandCatalog(edited)).catalog.brands.some((x) => x.id === 'zz-extra'));

    writeFileSync(join(edited, 'zz-broken.yaml'), 'id: [unclosed\n');
    const broken = await b.loadBrandCatalog(edited);
    assert.equal(broken.problems.length, 1);
    assert.match(broken.problems[0] ?? '', /^zz-broken\.yaml: /);
  });

  it('a single profile file still loads on its own', { skip }, async () => {
    const b = await built();
    const one = await b.loadBrandCatalog(join(BRANDS, 'microsoft.yaml'));
    assert.deepEqual(one.problems, []);
    assert.deepEqual(
      one.catalog.brands.map((x) => x.id),
      ['microsoft'],
    );
  });
});
