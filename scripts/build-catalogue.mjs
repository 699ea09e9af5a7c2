/**
 * Compiles the shipped brand profiles (brands/*.yaml) into dist/brand-catalogue.json: parsed, validated
 * and keyed by a digest of the files, so the CLI starts without parsing YAML (brand-profiles.ts reads it
 * only when the digest matches the files on disk). Run by `npm run build` after tsc.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  compiledCataloguePath,
  loadBrandProfiles,
  profileDigest,
} from '../dist/src/detect/domain/brand-profiles.js';
import { defaultBrandsDir } from '../dist/src/detect/domain/package-paths.js';

const dir = defaultBrandsDir();
const files = readdirSync(dir)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort()
  .map((f) => join(dir, f));
const texts = files.map((f) => readFileSync(f, 'utf8'));
const out = compiledCataloguePath();
// Parse from YAML even if an older catalogue exists: write an empty digest first.
writeFileSync(out, '{"digest":"","profiles":[]}');
const profiles = loadBrandProfiles(dir);
writeFileSync(out, JSON.stringify({ digest: profileDigest(files, texts), profiles }));
console.log(`brand catalogue: ${profiles.length} profiles → ${out}`);
