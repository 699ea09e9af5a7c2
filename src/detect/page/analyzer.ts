/**
 * The analyzer contract: a pure function from a parsed page to findings. Findings have no weight of
 * their own (weights come from configuration when findings become signals), except kit fingerprints,
 * whose weight is part of the rule an analyst wrote.
 * @module
 */
import type { EntityKey, PageSnapshot } from '../../domain/index.js';
import type { BrandCatalog } from './brand-catalog.js';
import type { PageFacts } from './html-facts.js';

export interface AnalyzerInput {
  readonly snapshot: PageSnapshot;
  readonly facts: PageFacts;
  /**
   * Every script the page carries (inline, external bodies, handler attributes), joined, for the
   * pattern analyzers. Capped (see `SCRIPT_HEAD`, `SCRIPT_TAIL`, `JS_CAP` in analyze-page.ts): of a
   * very long script only its head and tail are kept, which is where a kit's own code sits when it is
   * bundled with a library.
   */
  readonly js: string;
  /**
   * Every byte of markup and code exactly once, uncapped: the HTML (inline scripts included, verbatim)
   * plus what is not in it — external script bodies and entity-decoded handler attributes. For scans
   * that must not miss anything (sign-in markers, bot tokens, base64 blobs) and that would otherwise
   * read the inline scripts twice (once in `js`, once in the HTML).
   */
  readonly markup: readonly string[];
  /**
   * Markup and script the page hides in encoded literals, decoded (decode-markup.ts); also in `markup`,
   * and their forms, inputs, text and scripts are in `facts` and `js`.
   */
  readonly decoded: readonly string[];
  /** Host of the final URL, lower case ('' when unparsable). */
  readonly host: string;
  /** Registrable domain of `host` (or the host itself for IPs and unknown suffixes). */
  readonly site: string;
  readonly brands: BrandCatalog;
  /** Every URL the page referenced or requested, resolved. */
  readonly allUrls: readonly string[];
}

export interface Finding {
  readonly id: string;
  readonly detail: string;
  /** Short matched text, kept as evidence (never a full secret). */
  readonly excerpt?: string;
  /** Entities this finding names (`kit:…`, `telegram-bot:…`, `url:…`). */
  readonly entities?: readonly EntityKey[];
  /** Only for findings that carry their own weight (kit rules). */
  readonly weight?: number;
}

/** Earlier findings are passed on so that shape analyzers can reason about what was already found. */
export type Analyzer = (input: AnalyzerInput, earlier: readonly Finding[]) => Finding[];
