/**
 * tldts (the Public Suffix List), loaded with `require`. The package ships CommonJS only; an ESM
 * `import` of it first runs Node's CommonJS export scanner over its ~200 KB bundle (~50 ms of a
 * ~300 ms `precursor score` start-up), which `require` does not need.
 * @module
 */
import { createRequire } from 'node:module';

type Tldts = typeof import('tldts');

const tldts = createRequire(import.meta.url)('tldts') as Tldts;

export const getPublicSuffix: Tldts['getPublicSuffix'] = tldts.getPublicSuffix;
export const parseHost: Tldts['parse'] = tldts.parse;
