/**
 * One streaming pass over a page's HTML that keeps only what the analyzers ask about (forms, inputs,
 * scripts, links, images, text, ids, comments). No DOM tree is built: a single pass is what makes
 * thousands of stored snapshots per second possible, and a forgiving tokenizer never throws on the
 * broken markup phishing kits are full of.
 * @module
 */
import { Parser } from 'htmlparser2';

export interface InputFact {
  readonly tag: string;
  readonly type: string;
  readonly name: string;
  readonly id: string;
  readonly autocomplete: string;
  readonly placeholder: string;
  /** `inputmode` (`numeric` on code fields). */
  readonly inputmode: string;
  /** Index into `forms`, or -1 when the input is outside any form. */
  readonly form: number;
}

export interface FormFact {
  /** Resolved against the page URL; undefined when the form has no action (posts to itself). */
  readonly action: string | undefined;
  readonly rawAction: string;
  readonly method: string;
}

export interface ScriptFact {
  readonly src?: string;
  readonly inline: string;
}

export interface PageFacts {
  /** The page's own URL (not a `<base href>`, which a cloned page may point at the brand). */
  readonly pageUrl: URL | undefined;
  /** `<base href>` when present. */
  readonly baseHref: string | undefined;
  /** Number of `<a href>` links. */
  readonly anchors: number;
  /** Of those, links that lead somewhere (not `#…`, `javascript:` or empty): a lure page is a dead end. */
  readonly liveAnchors: number;
  readonly title: string;
  /** Visible text, whitespace collapsed, capped. */
  readonly text: string;
  /**
   * What names an image or control: `alt` (also in `text`), `aria-label` and `title` attributes, an
   * inline SVG's `<title>`/`<desc>`/`<text>`, the words of image and icon file names
   * (`./Sign in_files/microsoft_logo.svg` → `microsoft logo`). A saved or inlined clone shows its brand
   * there once the script URLs and asset hosts are gone.
   */
  readonly labels: string;
  readonly forms: readonly FormFact[];
  readonly inputs: readonly InputFact[];
  readonly scripts: readonly ScriptFact[];
  /** Inline handler attributes (`oncontextmenu="return false"`), kept with the attribute name. */
  readonly handlers: readonly string[];
  readonly links: ReadonlyArray<{ rel: string; href: string }>;
  readonly images: ReadonlyArray<{ src: string; alt: string }>;
  readonly iframes: readonly string[];
  /** `<iframe srcdoc>` documents (entity-decoded): an inlined page can carry its form in one. */
  readonly srcdocs: readonly string[];
  readonly metas: ReadonlyArray<{ key: string; content: string }>;
  readonly ids: ReadonlySet<string>;
  readonly names: ReadonlySet<string>;
  readonly classes: ReadonlySet<string>;
  readonly comments: readonly string[];
  /** Every absolute URL referenced by src/href/action/data attributes. */
  readonly urls: readonly string[];
}

const TEXT_CAP = 200_000;
const SCRIPT_CAP = 2_000_000;
const SKIP_TEXT = new Set(['script', 'style', 'noscript', 'template']);
const SVG_TEXT = new Set(['title', 'desc', 'text']);
// Elements that break a line or a box: their text is separate words (`<h2>…voicemail</h2><button>Listen`
// is not `voicemailListen`). Inline elements are not, so `Micro<span></span>soft` still reads as one word.
const BLOCK = new Set(
  'address article aside blockquote br button dd div dl dt fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr input label legend li main nav ol option p pre section select table tbody td textarea tfoot th thead tr ul'.split(
    ' ',
  ),
);
const LABEL_CAP = 20_000;

/** The words of a resource's file name, for `labels` (`data:` URIs have none). */
function fileWords(src: string): string {
  if (!src || src.startsWith('data:')) return '';
  const path = src.split(/[?#]/)[0] ?? '';
  let file = path.slice(path.lastIndexOf('/') + 1);
  try {
    file = decodeURIComponent(file);
  } catch {
    // keep it encoded
  }
  return file.replace(/\.[a-z0-9]{2,5}$/i, '').replace(/[^\p{L}\p{N}]+/gu, ' ');
}
const URL_ATTRS = new Set(['src', 'href', 'action', 'data-src', 'poster', 'formaction']);

export function resolveUrl(raw: string, base: URL | undefined): string | undefined {
  const v = raw.trim();
  if (!v || v.startsWith('javascript:') || v.startsWith('data:') || v.startsWith('#')) return undefined;
  try {
    return new URL(v, base).href;
  } catch {
    return undefined;
  }
}

export function extractFacts(html: string, pageUrl: string): PageFacts {
  let page: URL | undefined;
  try {
    page = new URL(pageUrl);
  } catch {
    page = undefined;
  }
  let base = page;
  let baseHref: string | undefined;
  let anchors = 0;
  let liveAnchors = 0;
  const forms: FormFact[] = [];
  const inputs: InputFact[] = [];
  const scripts: ScriptFact[] = [];
  const handlers: string[] = [];
  const links: { rel: string; href: string }[] = [];
  const images: { src: string; alt: string }[] = [];
  const iframes: string[] = [];
  const srcdocs: string[] = [];
  const metas: { key: string; content: string }[] = [];
  const ids = new Set<string>();
  const names = new Set<string>();
  const classes = new Set<string>();
  const comments: string[] = [];
  const urls: string[] = [];
  let title = '';
  let text = '';
  let labels = '';
  let svgDepth = 0;
  let svgText = 0;
  const label = (v: string | undefined) => {
    if (v && labels.length < LABEL_CAP) labels += ` ${v}`;
  };
  let scriptBytes = 0;
  let skipDepth = 0;
  let inTitle = false;
  let openForm = -1;
  let currentScript: { src?: string; parts: string[] } | undefined;

  const parser = new Parser(
    {
      onopentag(tag, attrs) {
        if (attrs.id) ids.add(attrs.id);
        if (attrs.name) names.add(attrs.name);
        if (attrs.class) for (const c of attrs.class.split(/\s+/)) if (c) classes.add(c);
        label(attrs['aria-label']);
        if (tag !== 'input') label(attrs.title);
        for (const [k, v] of Object.entries(attrs)) {
          if (k.startsWith('on') && v) handlers.push(`${k}=${v}`);
          if (URL_ATTRS.has(k)) {
            const u = resolveUrl(v, base);
            if (u) urls.push(u);
          }
        }
        switch (tag) {
          case 'base': {
            const b = attrs.href ? resolveUrl(attrs.href, base) : undefined;
            if (b && baseHref === undefined) {
              baseHref = b;
              base = new URL(b);
            }
            break;
          }
          case 'form':
            forms.push({
              action: attrs.action ? resolveUrl(attrs.action, base) : undefined,
              rawAction: attrs.action ?? '',
              method: (attrs.method ?? 'get').toLowerCase(),
            });
            openForm = forms.length - 1;
            break;
          case 'input':
          case 'select':
          case 'textarea':
            inputs.push({
              tag,
              type: (attrs.type ?? (tag === 'input' ? 'text' : tag)).toLowerCase(),
              name: attrs.name ?? '',
              id: attrs.id ?? '',
              autocomplete: (attrs.autocomplete ?? '').toLowerCase(),
              placeholder: attrs.placeholder ?? '',
              inputmode: (attrs.inputmode ?? '').toLowerCase(),
              form: openForm,
            });
            break;
          case 'script':
            currentScript = attrs.src
              ? { src: resolveUrl(attrs.src, base) ?? attrs.src, parts: [] }
              : { parts: [] };
            break;
          case 'link':
            if (/icon/i.test(attrs.rel ?? '')) label(fileWords(attrs.href ?? ''));
            if (attrs.href)
              links.push({ rel: (attrs.rel ?? '').toLowerCase(), href: resolveUrl(attrs.href, base) ?? '' });
            break;
          case 'img':
            images.push({ src: attrs.src ? (resolveUrl(attrs.src, base) ?? '') : '', alt: attrs.alt ?? '' });
            if (attrs.alt) text += ` ${attrs.alt}`;
            label(attrs.alt);
            label(fileWords(attrs.src ?? ''));
            break;
          case 'svg':
            svgDepth++;
            break;
          case 'iframe':
            if (attrs.src) iframes.push(resolveUrl(attrs.src, base) ?? attrs.src);
            if (attrs.srcdoc && srcdocs.length < 20) srcdocs.push(attrs.srcdoc.slice(0, SCRIPT_CAP));
            break;
          case 'meta': {
            const key = (attrs.name ?? attrs['http-equiv'] ?? attrs.property ?? '').toLowerCase();
            if (key) metas.push({ key, content: attrs.content ?? '' });
            break;
          }
          case 'title':
            if (svgDepth === 0) inTitle = true;
            break;
          case 'a':
            if (attrs.href) anchors++;
            if (attrs.href && resolveUrl(attrs.href, base)) liveAnchors++;
            break;
        }
        if (SKIP_TEXT.has(tag)) skipDepth++;
        if (BLOCK.has(tag) && skipDepth === 0 && text.length < TEXT_CAP) text += ' ';
        if (svgDepth > 0 && SVG_TEXT.has(tag)) svgText++;
      },
      ontext(data) {
        if (currentScript) {
          if (scriptBytes < SCRIPT_CAP) {
            currentScript.parts.push(data);
            scriptBytes += data.length;
          }
          return;
        }
        if (inTitle) title += data;
        if (svgDepth > 0) {
          // An inline logo's name, not page text (an SVG's shapes carry no words).
          if (svgText > 0) label(data);
          return;
        }
        if (skipDepth === 0 && text.length < TEXT_CAP) text += data;
      },
      onclosetag(tag) {
        if (tag === 'script' && currentScript) {
          const inline = currentScript.parts.join('');
          scripts.push(currentScript.src ? { src: currentScript.src, inline } : { inline });
          currentScript = undefined;
        }
        if (tag === 'title') inTitle = false;
        if (BLOCK.has(tag) && skipDepth === 0 && text.length < TEXT_CAP) text += ' ';
        if (tag === 'form') openForm = -1;
        if (SKIP_TEXT.has(tag) && skipDepth > 0) skipDepth--;
        if (svgDepth > 0 && SVG_TEXT.has(tag) && svgText > 0) svgText--;
        if (tag === 'svg' && svgDepth > 0) svgDepth--;
      },
      oncomment(data) {
        if (comments.length < 200) comments.push(data.slice(0, 500));
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return {
    pageUrl: page,
    baseHref,
    anchors,
    liveAnchors,
    title: collapse(title),
    text: collapse(text),
    labels: collapse(labels),
    forms,
    inputs,
    scripts,
    handlers,
    links,
    images,
    iframes,
    srcdocs,
    metas,
    ids,
    names,
    classes,
    comments,
    urls,
  };
}

const collapse = (s: string): string => s.replace(/\s+/g, ' ').trim();

/**
 * The facts of a page together with those of markup it hides (decode-markup.ts): what a browser would
 * show once the page's scripts wrote it. The page's own URL, `<base>` and title come first; forms of
 * the hidden markup keep their inputs (indices are shifted past the page's own forms).
 */
export function mergeFacts(page: PageFacts, hiddenAll: PageFacts): PageFacts {
  const hidden = withoutShownForms(page, hiddenAll);
  const shift = page.forms.length;
  const union = <T>(a: ReadonlySet<T>, b: ReadonlySet<T>): Set<T> => new Set([...a, ...b]);
  return {
    pageUrl: page.pageUrl,
    baseHref: page.baseHref ?? hidden.baseHref,
    anchors: page.anchors + hidden.anchors,
    liveAnchors: page.liveAnchors + hidden.liveAnchors,
    title: page.title || hidden.title,
    text: collapse(`${page.text} ${hidden.text}`).slice(0, TEXT_CAP),
    labels: collapse(`${page.labels} ${hidden.labels}`).slice(0, LABEL_CAP),
    forms: [...page.forms, ...hidden.forms],
    inputs: [...page.inputs, ...hidden.inputs.map((i) => (i.form >= 0 ? { ...i, form: i.form + shift } : i))],
    scripts: [...page.scripts, ...hidden.scripts],
    handlers: [...page.handlers, ...hidden.handlers],
    links: [...page.links, ...hidden.links],
    images: [...page.images, ...hidden.images],
    iframes: [...page.iframes, ...hidden.iframes],
    srcdocs: [...page.srcdocs, ...hidden.srcdocs],
    metas: [...page.metas, ...hidden.metas],
    ids: union(page.ids, hidden.ids),
    names: union(page.names, hidden.names),
    classes: union(page.classes, hidden.classes),
    comments: [...page.comments, ...hidden.comments].slice(0, 200),
    urls: [...page.urls, ...hidden.urls],
  };
}

/** A form told apart by where it posts and the fields it asks for (not by its place in the page). */
function formSignature(facts: PageFacts, index: number): string {
  const form = facts.forms[index];
  const fields = facts.inputs
    .filter((i) => i.form === index)
    .map((i) => `${i.tag}:${i.type}:${i.name}:${i.id}`)
    .sort();
  return `${form?.method}|${form?.rawAction}|${fields.join(',')}`;
}

/**
 * Hidden markup without the forms the page already shows. In a rendered capture the browser has run
 * the script that writes the decoded form, so the DOM holds it too: counting it again would double the
 * credential fields a page's detail reports. Loose inputs the page already has are dropped the same way.
 */
function withoutShownForms(page: PageFacts, hidden: PageFacts): PageFacts {
  if (hidden.forms.length === 0 && hidden.inputs.length === 0) return hidden;
  const shown = new Set(page.forms.map((_, i) => formSignature(page, i)));
  const looseKey = (i: InputFact) => `${i.tag}:${i.type}:${i.name}:${i.id}`;
  const shownLoose = new Set(page.inputs.filter((i) => i.form < 0).map(looseKey));
  const keep: number[] = [];
  const renumber = new Map<number, number>();
  hidden.forms.forEach((_, i) => {
    if (shown.has(formSignature(hidden, i))) return;
    renumber.set(i, keep.length);
    keep.push(i);
  });
  if (
    keep.length === hidden.forms.length &&
    !hidden.inputs.some((i) => i.form < 0 && shownLoose.has(looseKey(i)))
  )
    return hidden;
  const inputs: InputFact[] = [];
  for (const input of hidden.inputs) {
    if (input.form < 0) {
      if (!shownLoose.has(looseKey(input))) inputs.push(input);
      continue;
    }
    const form = renumber.get(input.form);
    if (form !== undefined) inputs.push(form === input.form ? input : { ...input, form });
  }
  return { ...hidden, forms: keep.map((i) => hidden.forms[i] as FormFact), inputs };
}
