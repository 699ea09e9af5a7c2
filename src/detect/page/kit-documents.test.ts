import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../domain/package-paths.js';
import { yamlFilesIn } from '../yaml-files.js';
import * as fromSource from './kit-rules.js';

// The compiled documents serve the built code (dist/), as `precursor ingest` runs it; run from src/,
// this module's digest never matches them, so the source module always parses the YAML.
const ROOT = packageRoot();
const builtModule = join(ROOT, 'dist', 'src', 'detect', 'page', 'kit-rules.js');
const built = (): Promise<typeof fromSource> => import(pathToFileURL(builtModule).href);
const KITS = join(ROOT, 'kits');
const tmp = mkdtempSync(join(tmpdir(), 'kit-documents-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('the compiled kit rule documents (dist/kit-documents.json)', () => {
  const skip = !existsSync(builtModule) || !existsSync(join(ROOT, 'dist', 'kit-documents.json'));

  it('give the rules parsing the shipped YAML gives, for those exact files', { skip }, async () => {
    const b = await built();
    const compiled = JSON.parse(readFileSync(b.compiledKitRulesPath(), 'utf8')) as { digest: string };
    const files = yamlFilesIn(KITS);
    assert.equal(
      b.kitRulesDigest(
        files,
        files.map((f) => readFileSync(f, 'utf8')),
      ),
      compiled.digest,
    );
    const parsed = await fromSource.loadKitRules(KITS);
    assert.deepEqual(parsed.problems, []);
    const served = await b.loadKitRules(KITS);
    assert.deepEqual(served.problems, []);
    // Same rules, patterns included (deepEqual compares a RegExp's source and flags).
    assert.deepEqual(served.rules, parsed.rules);
    assert.ok(served.rules.length > 0);
  });

  it('are not used for an edited, added or broken rule set', { skip }, async () => {
    const b = await built();
    const edited = join(tmp, 'edited');
    cpSync(KITS, edited, { recursive: true });
    const first = readdirSync(edited).sort()[0] as string;
    const text = readFileSync(join(edited, first), 'utf8');
    writeFileSync(join(edited, first), text.replace(/^(\s*-?\s*)name: .*$/m, '$1name: Edited kit'));
    assert.ok((await b.loadKitRules(edited)).rules.some((r) => r.name === 'Edited kit'));

    writeFileSync(join(edited, 'zz-broken.yaml'), 'id: [unclosed\n');
    const broken = await b.loadKitRules(edited);
    assert.equal(broken.problems.length, 1);
    assert.match(broken.problems[0] ?? '', /^zz-broken\.yaml: YAML: /);
  });
});
