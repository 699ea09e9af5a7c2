/**
 * Compiles the shipped brand profiles (brands/*.yaml) into dist/brand-catalogue.json (the domain
 * engine's profiles) and dist/page-brand-catalogue.json (the page analyzers' brands), and the shipped
 * kit rules (kits/*.yaml) into dist/kit-documents.json (their parsed YAML documents): parsed, validated
 * and keyed by a digest of the files and of the code that reads them, so the CLI starts without parsing
 * YAML (brand-profiles.ts, page/brand-catalog.ts and page/kit-rules.ts read them only when the digest matches the files on
 * disk). It also writes dist/domain-index.bin, the brand index's fuzzy indexes and automata for the
 * shipped profiles and word lists (src/detect/domain/prebuilt-index.ts). Run by `npm run build` after tsc.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  compiledCataloguePath,
  loadBrandProfiles,
  profileDigest,
} from '../dist/src/detect/domain/brand-profiles.js';
import { defaultBrandsDir, packageRoot } from '../dist/src/detect/domain/package-paths.js';
import {
  compiledPageCatalogPath,
  loadBrandCatalog,
  pageCatalogDigest,
} from '../dist/src/detect/page/brand-catalog.js';
import { compiledKitRulesPath, kitRulesDigest, loadKitRules } from '../dist/src/detect/page/kit-rules.js';
import { yamlFilesIn } from '../dist/src/detect/yaml-files.js';
import { parse as parseYaml } from 'yaml';

const dir = defaultBrandsDir();
const files = yamlFilesIn(dir);
const texts = files.map((f) => readFileSync(f, 'utf8'));
const out = compiledCataloguePath();
// Parse from YAML even if an older catalogue exists: write an empty digest first.
writeFileSync(out, '{"digest":"","profiles":[]}');
const profiles = loadBrandProfiles(dir);
writeFileSync(out, JSON.stringify({ digest: profileDigest(files, texts), profiles }));
console.log(`brand catalogue: ${profiles.length} profiles → ${out}`);

const pageOut = compiledPageCatalogPath();
writeFileSync(pageOut, '{"digest":"","brands":[]}');
const page = await loadBrandCatalog(dir);
// A set with problems is not compiled: loading it must keep reporting them.
if (page.problems.length > 0)
  throw new Error(`brand profiles for page analysis: ${page.problems.join('; ')}`);
writeFileSync(
  pageOut,
  JSON.stringify({ digest: pageCatalogDigest(files, texts), brands: page.catalog.brands }),
);
console.log(`page brand catalogue: ${page.catalog.brands.length} brands → ${pageOut}`);

const kitsDir = join(packageRoot(), 'kits');
const kitFiles = yamlFilesIn(kitsDir);
const kitTexts = kitFiles.map((f) => readFileSync(f, 'utf8'));
const kitsOut = compiledKitRulesPath();
writeFileSync(kitsOut, '{"digest":"","docs":[]}');
const kits = await loadKitRules(kitsDir);
if (kits.problems.length > 0) throw new Error(`kit rules: ${kits.problems.join('; ')}`);
writeFileSync(
  kitsOut,
  JSON.stringify({ digest: kitRulesDigest(kitFiles, kitTexts), docs: kitTexts.map((t) => parseYaml(t)) }),
);
console.log(`kit rules: ${kits.rules.length} rules from ${kitFiles.length} files → ${kitsOut}`);

// The brand index's fuzzy indexes and automata for the shipped profiles and word lists, prebuilt
// (src/detect/domain/prebuilt-index.ts): an engine built from exactly these inputs reads them.
const { buildBrandIndex } = await import('../dist/src/detect/domain/brand-index.js');
const { resolveDomainConfig } = await import('../dist/src/detect/domain/config.js');
const { createSkeletonMap } = await import('../dist/src/detect/domain/skeleton.js');
const { loadVocabulary } = await import('../dist/src/detect/domain/vocabulary.js');
const { prebuiltIndexPath } = await import('../dist/src/detect/domain/prebuilt-index.js');
buildBrandIndex(profiles, loadVocabulary(), createSkeletonMap(), resolveDomainConfig({}), 'write');
console.log(`domain index: ${profiles.length} profiles' tables → ${prebuiltIndexPath()}`);
