/**
 * Markup a page hides in its scripts: a shell that writes its real page from an encoded literal
 * (`document.write(atob("PGZvcm0…"))`, `unescape('%3C…')`, `String.fromCharCode(60,102,…)`, a string of
 * `\x3c` escapes, a `data:text/html;base64,` frame). A browser runs the shell and shows the form; a
 * fetch-mode crawl or a page saved to disk does not, so the encoded literals are decoded here and the
 * analyzers read what they decode to as if it were part of the page.
 *
 * Nothing is executed: only literals are decoded, and only what decodes to markup or script is kept
 * (base64 of an image decodes to bytes and is dropped). Work is bounded: each text is scanned by
 * linear patterns once per decoder, at most `MAX_DEPTH` levels of nesting are opened, and at most
 * `MAX_OUTPUT` characters of decoded text are kept in all.
 * @module
 */

/** Total decoded characters kept per page. */
export const MAX_OUTPUT = 2_000_000;
/** Levels of encoding opened (a base64 literal holding an escaped literal holding the form is two). */
export const MAX_DEPTH = 3;
/** Characters of one text that are scanned for literals. */
const SCAN_CAP = 4_000_000;
/** Literals tried per text (an obfuscated bundle can hold thousands of short strings). */
const MAX_LITERALS = 4_000;

// Decoded text counts when it is markup a browser would render, or script with the calls kits use.
const MARKUP =
  /<\s*(?:form|input|div|html|body|script|iframe|img|a|p|h[1-6]|span|table|meta|title|button|label|svg|style|link)\b/i;
const SCRIPT = /\b(?:document\.|window\.|location\.|fetch\s*\(|XMLHttpRequest|function\s*\(|=>)/;

const B64_LITERAL = /(["'`])([A-Za-z0-9+/]{16,}={0,2})\1/g;
// An array or argument list of 24+ character codes (anchored on its bracket, so a scan skips ahead).
const CODE_LIST = /[[(]\s*((?:(?:0x[0-9A-Fa-f]{1,6}|\d{1,7})\s*,\s*){23,}(?:0x[0-9A-Fa-f]{1,6}|\d{1,7}))/g;
// Pre-checks, so that ordinary pages (which say `base64` in every inline image and `\u` in many
// scripts) are not scanned literal by literal: a decoder call, and an escaped `<` (escaped markup
// escapes its tags).
const B64_CALL = /\batob\b|[Bb]ase64\.decode|\bb64decode|base64_decode/;
const ESCAPED_LT = /\\x3[cC]|\\u003[cC]/g;
const PERCENT_LT = /%3[cC]|%u003[cC]/g;
/** How far back from an encoded `<` the opening quote of its literal is looked for. */
const BACK = 4096;
const DATA_HTML = /data:text\/html(?:;charset=[\w-]+)?(;base64)?,([A-Za-z0-9+/=%._~!*()@-]{24,})/gi;

const isQuote = (c: string | undefined): boolean => c === '"' || c === "'" || c === '`';

/**
 * The bodies of the string literals that hold `needle` (an encoded `<`): from each hit, back to the
 * literal's opening quote (at most `BACK` characters) and on to its closing one. Ordinary script is
 * never walked, which scanning every literal with a pattern would do.
 */
function literalsAround(t: string, needle: RegExp, max: number): string[] {
  const out: string[] = [];
  // Text below `floor` was walked already: each character is walked back over at most once.
  let floor = 0;
  needle.lastIndex = 0;
  for (let m = needle.exec(t); m && out.length < max; m = needle.exec(t)) {
    let start = m.index - 1;
    const stop = Math.max(floor, m.index - BACK);
    while (start >= stop && !(isQuote(t[start]) && t[start - 1] !== '\\')) start--;
    floor = m.index;
    if (start < stop) continue;
    const quote = t[start];
    let end = m.index;
    while (end < t.length) {
      const c = t[end];
      if (c === '\\') end += 2;
      else if (c === quote || (c === '\n' && quote !== '`')) break;
      else end++;
    }
    out.push(t.slice(start + 1, end));
    needle.lastIndex = end + 1;
    floor = end + 1;
  }
  return out;
}

/** Mostly printable text: decoded binary (an image, compressed data) is not markup. */
function printable(s: string): boolean {
  let bad = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) bad++;
  }
  return bad <= s.length / 100;
}

const useful = (s: string): boolean => s.length >= 8 && printable(s) && (MARKUP.test(s) || SCRIPT.test(s));

function fromBase64(s: string): string | undefined {
  if (s.length % 4 === 1) return undefined;
  const text = Buffer.from(s, 'base64').toString('utf8');
  return text;
}

/** `unescape` semantics (%uXXXX and %XX as code units), UTF-8 first as `decodeURIComponent` reads it. */
function fromPercent(s: string): string | undefined {
  if (!s.includes('%')) return undefined;
  try {
    if (!s.includes('%u')) return decodeURIComponent(s);
  } catch {
    // not UTF-8: read the bytes as code units, as `unescape` does
  }
  return s.replace(
    /%u([0-9A-Fa-f]{4})|%([0-9A-Fa-f]{2})/g,
    (_m, u: string | undefined, b: string | undefined) =>
      String.fromCharCode(Number.parseInt(u ?? b ?? '0', 16)),
  );
}

function fromCodes(list: string): string | undefined {
  const codes = list.split(',').map((x) => Number(x.trim()));
  if (codes.some((c) => !Number.isInteger(c) || c > 0x10ffff)) return undefined;
  // Only character codes of text: a list of large numbers is data, not a string.
  if (codes.filter((c) => c >= 32 && c < 0x3000).length < codes.length * 0.9) return undefined;
  try {
    return String.fromCodePoint(...codes.slice(0, 200_000));
  } catch {
    return undefined;
  }
}

const ESCAPE = /\\(?:x([0-9A-Fa-f]{2})|u\{([0-9A-Fa-f]{1,6})\}|u([0-9A-Fa-f]{4})|([0-7]{1,3})|(.))/gs;
const SIMPLE: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', '0': '\0' };

/** A JavaScript string literal's body with its escapes read; undefined when it has few escapes. */
function fromEscapes(body: string): string | undefined {
  let escapes = 0;
  for (let i = body.indexOf('\\'); i >= 0 && escapes < 8; i = body.indexOf('\\', i + 2)) {
    const c = body[i + 1];
    if (c === 'x' || c === 'u') escapes++;
  }
  if (escapes < 8) return undefined;
  return body.replace(ESCAPE, (_m, x, ub, u, oct, ch: string | undefined) => {
    if (x || ub || u) {
      const cp = Number.parseInt((x ?? ub ?? u) as string, 16);
      return cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
    }
    if (oct) return String.fromCharCode(Number.parseInt(oct, 8));
    return ch !== undefined ? (SIMPLE[ch] ?? ch) : '';
  });
}

/** Every decoded piece of `text` (one level). */
function decodeOnce(text: string, emit: (s: string) => boolean): void {
  const t = text.length > SCAN_CAP ? text.slice(0, SCAN_CAP) : text;
  let tried = 0;
  const more = () => ++tried <= MAX_LITERALS;
  if (B64_CALL.test(t)) {
    // All literals joined in order first: kits split one payload over an array or a chain of `+` to
    // keep any one literal short. Joined with unrelated literals the base64 loses its alignment and
    // decodes to bytes, which `useful` rejects; then each long literal is tried alone.
    const parts: string[] = [];
    for (const m of t.matchAll(B64_LITERAL)) {
      if (!more()) break;
      parts.push(m[2] as string);
    }
    const joined = parts.length > 1 ? fromBase64(parts.map((p) => p.replace(/=+$/, '')).join('')) : undefined;
    if (joined && useful(joined)) {
      if (!emit(joined)) return;
    } else
      for (const lit of parts) {
        if (lit.length < 64) continue;
        const d = fromBase64(lit);
        if (d && useful(d) && !emit(d)) return;
      }
  }
  if (t.includes('unescape') || t.includes('decodeURI')) {
    for (const lit of literalsAround(t, PERCENT_LT, MAX_LITERALS)) {
      if (!more()) break;
      const d = fromPercent(lit);
      if (d && useful(d) && !emit(d)) return;
    }
  }
  if (t.includes('fromCharCode') || t.includes('fromCodePoint')) {
    for (const m of t.matchAll(CODE_LIST)) {
      if (!more()) break;
      const d = fromCodes(m[1] as string);
      if (d && useful(d) && !emit(d)) return;
    }
  }
  if (t.includes('\\x') || t.includes('\\u')) {
    for (const body of literalsAround(t, ESCAPED_LT, MAX_LITERALS)) {
      if (!more()) break;
      const d = fromEscapes(body);
      if (d && useful(d) && !emit(d)) return;
    }
  }
  if (t.includes('data:text/html')) {
    for (const m of t.matchAll(DATA_HTML)) {
      if (!more()) break;
      const d = m[1] ? fromBase64(m[2] as string) : fromPercent(m[2] as string);
      if (d && useful(d) && !emit(d)) return;
    }
  }
}

/**
 * The markup and script hidden in encoded literals of `texts` (script bodies, handler attributes, the
 * page's HTML for `data:` frames), nested encodings opened up to `MAX_DEPTH` levels. Each decoded
 * piece once, in the order found.
 */
export function decodeHiddenMarkup(texts: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  let size = 0;
  let level = texts.filter((t) => t.length > 0);
  for (let depth = 0; depth < MAX_DEPTH && level.length > 0 && size < MAX_OUTPUT; depth++) {
    const next: string[] = [];
    for (const text of level) {
      decodeOnce(text, (d) => {
        if (seen.has(d)) return true;
        seen.add(d);
        const piece = d.slice(0, MAX_OUTPUT - size);
        out.push(piece);
        next.push(piece);
        size += piece.length;
        return size < MAX_OUTPUT;
      });
      if (size >= MAX_OUTPUT) break;
    }
    level = next;
  }
  return out;
}
