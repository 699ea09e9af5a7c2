/**
 * The word lists the engine reads from `data/`: lure vocabulary with weights, common words, abused TLDs
 * and shared-platform suffixes. Plain text so analysts can review and extend them without code.
 * @module
 */
import { readFileSync } from 'node:fs';
import { PrecursorError } from '../../domain/index.js';
import { dataPath } from './package-paths.js';
import { lazyPopularityList, type PopularityList } from './popularity.js';

export interface Vocabulary {
  /** Lure word → weight. */
  readonly lure: ReadonlyMap<string, number>;
  readonly commonWords: ReadonlySet<string>;
  readonly abusedTlds: ReadonlySet<string>;
  /** Platform suffixes, longest first so the most specific one wins. */
  readonly platformSuffixes: readonly string[];
  /** Misspelling → the lure or vocabulary word it misspells (`loogin` → `login`). */
  readonly misspellings?: ReadonlyMap<string, string>;
  /**
   * English words one edit from a vocabulary word (`stone` near `store`): real words, never read as
   * misspellings. The part of a full dictionary the misspelling check needs.
   */
  readonly nearWords?: ReadonlySet<string>;
  /** CDN/edge suffixes whose names carry a customer's host name, beyond the PSL private section. */
  readonly edgeSuffixes?: readonly string[];
  /**
   * Shared storage platforms (of the platform suffixes) where a bucket may be named as the host it
   * serves (`www.example.com.s3.amazonaws.com`): data/host-bucket-suffixes.txt.
   */
  readonly hostBucketSuffixes?: readonly string[];
  /** Words of a brand's own technical infrastructure (`api`, `cdn`, `img`): data/infrastructure-words.txt. */
  readonly infrastructureWords?: ReadonlySet<string>;
  /**
   * English words one edit from a brand token (`telecom`, `revolve`): words, never read as typos of the
   * brand. data/brand-near-words.txt, generated from the dictionary for the shipped profiles.
   */
  readonly brandNearWords?: ReadonlySet<string>;
  /** Brand token → English words that hold it (`interac` → `interactive`): glued there it is the word. */
  readonly wordsAroundToken?: ReadonlyMap<string, readonly string[]>;
  /** Registrable domains by popularity (data/popular-domains.txt): the popularity prior. */
  readonly popular?: PopularityList;
}

function lines(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new PrecursorError('CONFIG_INVALID', `cannot read data file ${path}`, { cause: e });
  }
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

export interface VocabularyPaths {
  readonly lure?: string;
  readonly commonWords?: string;
  readonly abusedTlds?: string;
  readonly platformSuffixes?: string;
  readonly edgeSuffixes?: string;
  readonly hostBucketSuffixes?: string;
  readonly misspellings?: string;
  readonly nearWords?: string;
  readonly infrastructureWords?: string;
  readonly brandNearWords?: string;
  readonly popular?: string;
}

export function loadVocabulary(paths: VocabularyPaths = {}): Vocabulary {
  const lure = new Map<string, number>();
  const lurePath = paths.lure ?? dataPath('lure-vocabulary.txt');
  for (const l of lines(lurePath)) {
    const [word, weight] = l.split(/\s+/);
    const w = Number(weight);
    if (!word || !Number.isFinite(w))
      throw new PrecursorError('CONFIG_INVALID', `${lurePath}: bad line '${l}'`);
    lure.set(word.toLowerCase(), w);
  }
  return {
    lure,
    commonWords: new Set(
      lines(paths.commonWords ?? dataPath('common-words.txt')).map((w) => w.toLowerCase()),
    ),
    abusedTlds: new Set(lines(paths.abusedTlds ?? dataPath('abused-tlds.txt')).map((w) => w.toLowerCase())),
    platformSuffixes: [...new Set(lines(paths.platformSuffixes ?? dataPath('platform-suffixes.txt')))]
      .map((s) => s.toLowerCase())
      .sort((a, b) => b.length - a.length),
    misspellings: new Map(
      lines(paths.misspellings ?? dataPath('lure-misspellings.txt')).map((l) => {
        const [variant = '', word = ''] = l.split(/\s+/);
        return [variant.toLowerCase(), word.toLowerCase()] as const;
      }),
    ),
    nearWords: new Set(lines(paths.nearWords ?? dataPath('near-words.txt')).map((w) => w.toLowerCase())),
    edgeSuffixes: lines(paths.edgeSuffixes ?? dataPath('edge-suffixes.txt')).map((s) => s.toLowerCase()),
    hostBucketSuffixes: lines(paths.hostBucketSuffixes ?? dataPath('host-bucket-suffixes.txt')).map((s) =>
      s.toLowerCase(),
    ),
    infrastructureWords: new Set(
      lines(paths.infrastructureWords ?? dataPath('infrastructure-words.txt')).map((w) => w.toLowerCase()),
    ),
    ...brandWords(paths.brandNearWords ?? dataPath('brand-near-words.txt')),
    popular: lazyPopularityList(paths.popular ?? dataPath('popular-domains.txt')),
  };
}

function brandWords(path: string): Pick<Vocabulary, 'brandNearWords' | 'wordsAroundToken'> {
  const near = new Set<string>();
  const around = new Map<string, string[]>();
  for (const l of lines(path)) {
    const [kind, word, token] = l.toLowerCase().split(/\s+/);
    if (word === undefined || token === undefined || (kind !== 'near' && kind !== 'inside'))
      throw new PrecursorError('CONFIG_INVALID', `${path}: bad line '${l}'`);
    if (kind === 'near') near.add(word);
    else {
      const list = around.get(token);
      if (list) list.push(word);
      else around.set(token, [word]);
    }
  }
  return { brandNearWords: near, wordsAroundToken: around };
}
