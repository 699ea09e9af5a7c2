/**
 * Builds `bench/corpora/pages/` for `precursor eval pages`: the page corpus of the tests
 * (`test/support/page-corpus.ts`: kit pages written for Precursor in the shapes of real kits, the honest
 * pages, the CC0 PhishIntention captures) as saved pages on disk, `phishing/<host>/` or
 * `benign/<host>/` with `index.html` and the `url.txt` it was captured from. Saved pages carry only
 * their markup (no crawl record, screenshot or favicon), so this is the saved-to-disk condition.
 *
 *   node --import tsx bench/corpora/build-pages.ts
 * @module
 */
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/detect/domain/package-paths.js';
import { CORPUS, FIXTURES } from '../../test/support/page-corpus.js';

const out = join(packageRoot(), 'bench', 'corpora', 'pages');
rmSync(join(out, 'phishing'), { recursive: true, force: true });
rmSync(join(out, 'benign'), { recursive: true, force: true });
// Truth is what a page is, not the verdict the tests expect of it: kit pages (gate shells included) are
// phishing, honest pages and the honest demo pages benign.
const HONEST = /^(honest\/|real\/www\.paypal|demo\/(signin-turnstile|contact-recaptcha))/;
let n = 0;
for (const c of CORPUS) {
  const host = new URL(c.url).hostname;
  const dir = join(
    out,
    HONEST.test(c.file) ? 'benign' : 'phishing',
    `${host}-${c.file.replace(/[/.]/g, '_')}`,
  );
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(FIXTURES, c.file), join(dir, 'index.html'));
  writeFileSync(join(dir, 'url.txt'), `${c.url}\n`);
  n++;
}
console.log(`${n} pages`);
