/**
 * Exfiltration endpoints: where a kit sends what it captured. Bot tokens and webhooks are strong
 * evidence on their own (no honest sign-in page embeds a bot's secret); relays and PHP drops only count
 * where data is sent to them.
 * @module
 */
import type { EntityKey } from '../../domain/index.js';
import type { Analyzer, Finding } from './analyzer.js';
import {
  CREDENTIAL_WORD,
  isAccountInput,
  isCodeInput,
  isPasswordInput,
  JS_POST,
  JS_READS_VALUE,
} from './capture-analyzer.js';
import { excerpt, hostOf, hostWithin, pathOf, siteOf } from './url-util.js';

// A bot token is `<bot id>:<35 url-safe characters>`; the id alone names the bot without the secret.
// Found by `telegramBots` (same shape as /(?<!\d)(\d{6,12}):([A-Za-z0-9_-]{35})(?![A-Za-z0-9_-])/),
// which jumps from colon to colon instead of trying the pattern at every digit of megabytes of script.
const TOKEN_SECRET = 35;
const MAX_BOTS = 21;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isUrlSafe = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;

/** Bot ids of every `<6–12 digits>:<35 url-safe characters>` token in `text`, in order of appearance. */
export function telegramBots(text: string, bots: Set<string>): void {
  for (let i = text.indexOf(':'); i >= 0 && bots.size < MAX_BOTS; i = text.indexOf(':', i + 1)) {
    let start = i;
    while (start > 0 && i - start <= 12 && isDigit(text.charCodeAt(start - 1))) start--;
    const digits = i - start;
    if (digits < 6 || digits > 12) continue;
    const end = i + 1 + TOKEN_SECRET;
    if (end > text.length || (end < text.length && isUrlSafe(text.charCodeAt(end)))) continue;
    let ok = true;
    for (let j = i + 1; j < end && ok; j++) ok = isUrlSafe(text.charCodeAt(j));
    if (ok) bots.add(text.slice(start, i));
  }
}
const TELEGRAM_API = /api\.telegram\.org\/bot/i;
const DISCORD_WEBHOOK = /discord(?:app)?\.com\/api\/webhooks\/(\d{15,22})\/[\w-]{20,100}/i;

/** Hosts (and path prefixes) of function runtimes and form relays that accept posted data. */
const RELAYS: ReadonlyArray<{ host: string; path?: string; label: string }> = [
  { host: 'workers.dev', label: 'Cloudflare Workers' },
  { host: 'script.google.com', path: '/macros/', label: 'Google Apps Script' },
  { host: 'cloudfunctions.net', label: 'Google Cloud Functions' },
  { host: 'run.app', label: 'Google Cloud Run' },
  { host: 'on.aws', label: 'AWS Lambda URL' },
  { host: 'amazonaws.com', path: '/', label: 'AWS API Gateway' },
  { host: 'azurewebsites.net', path: '/api/', label: 'Azure Functions' },
  { host: 'netlify.app', path: '/.netlify/functions/', label: 'Netlify Functions' },
  { host: 'vercel.app', path: '/api/', label: 'Vercel Functions' },
  { host: 'firebaseio.com', label: 'Firebase Realtime Database' },
  { host: 'supabase.co', label: 'Supabase' },
  { host: 'formspree.io', label: 'Formspree' },
  { host: 'getform.io', label: 'Getform' },
  { host: 'formsubmit.co', label: 'FormSubmit' },
  { host: 'submit-form.com', label: 'Formspark' },
  { host: 'web3forms.com', label: 'Web3Forms' },
  { host: 'pipedream.net', label: 'Pipedream' },
  { host: 'webhook.site', label: 'webhook.site' },
  { host: 'herokuapp.com', label: 'Heroku' },
];
const EXECUTE_API = /\.execute-api\.[a-z0-9-]+\.amazonaws\.com$/;

// Names kits give their drop scripts; an honest site's own login.php posting to itself is not one.
const DROP_NAME =
  /^(?:next|post|send|sender|mail|mailer|submit|process|action|log|logs|result|results|rez|verify|validate|go|data|ok|save|done|finish|auth|tg|telegram|bot|info|cc|sms|otp|pass|login2|step\d?|index2|xx+)\d*\.php$/i;
const JS_STRING = /["'`]([^"'`\s]{4,300})["'`]/g;
const isSinkLiteral = (s: string): boolean =>
  s.startsWith('http') || s.startsWith('//') || s.includes('.php');

// The URL a script sends data to: `fetch('…'`, `xhr.open('POST', '…'`, `$.post('…'`, `axios.post('…'`,
// `sendBeacon('…'`, `$.ajax({url: '…'`.
const SCRIPT_SEND =
  /\b(?:fetch\s*\(|\.open\s*\(\s*["']post["']\s*,|\$\.post\s*\(|axios\.post\s*\(|sendBeacon\s*\(|\burl\s*:)\s*["'`]([^"'`\s]{4,300})["'`]/gi;

/** URLs that receive data: form actions, URLs written in scripts, and the page's XHR/fetch requests. */
function sinks(
  input: Parameters<Analyzer>[0],
  decoded: readonly string[],
): { url: string; via: 'form' | 'script' | 'request' }[] {
  const out: { url: string; via: 'form' | 'script' | 'request' }[] = [];
  const base = input.facts.pageUrl;
  for (const f of input.facts.forms) if (f.action) out.push({ url: f.action, via: 'form' });
  const literal = (s: string, via: 'form' | 'script') => {
    try {
      out.push({ url: new URL(s, base).href, via });
    } catch {
      // not a URL after all
    }
  };
  // Forms of decoded markup are in `facts.forms` already (analyze-page.ts merges them).
  for (const text of [input.js, ...decoded])
    for (const m of text.matchAll(JS_STRING)) {
      if (!isSinkLiteral(m[1] ?? '')) continue;
      literal(m[1] ?? '', 'script');
      if (out.length > 2000) break;
    }
  for (const r of input.snapshot.requests) {
    if (
      r.type === 'xhr' ||
      r.type === 'fetch' ||
      r.type === 'ping' ||
      (r.method ?? 'GET').toUpperCase() === 'POST'
    ) {
      out.push({ url: r.url, via: 'request' });
    }
  }
  return out;
}

/** How far (characters) from reading a credential field a handler's send may sit. */
const HANDLER_SPAN = 1_500;

/**
 * Off-site URLs a script sends credentials to: in one script text (the page's scripts, or a payload a
 * shell decodes), a handler that reads a credential field (`getElementById('passwd').value`) and posts
 * (`method: 'POST'`, `xhr.open('POST'`, …) to a literal URL of another site. Whatever its path — a PHP
 * drop, `/api/v1/collect` — that URL is where the kit's operator collects, so it names the operation.
 * An honest page posts its sign-in to its own site (or submits a form to its identity provider).
 */
export function scriptDrops(
  texts: readonly string[],
  fields: ReadonlySet<string>,
  base: URL | string | undefined,
  site: string,
): string[] {
  const out = new Set<string>();
  for (const text of texts) {
    if (!JS_POST.test(text)) continue;
    const reads = [...text.matchAll(JS_READS_VALUE)]
      .filter((m) => fields.has(m[1] ?? '') || CREDENTIAL_WORD.test(m[1] ?? ''))
      .map((m) => m.index);
    if (reads.length === 0) continue;
    for (const m of text.matchAll(SCRIPT_SEND)) {
      // The page's scripts are joined: the send must sit in the handler that read the field (near
      // it), not in an analytics script elsewhere on a sign-in page.
      if (!reads.some((r) => Math.abs(m.index - r) <= HANDLER_SPAN)) continue;
      let url: string;
      try {
        url = new URL(m[1] ?? '', base).href;
      } catch {
        continue; // not a URL after all
      }
      // The Telegram and Discord findings name those (without the secret a URL of theirs carries).
      if (!url.startsWith('http') || TELEGRAM_API.test(url) || DISCORD_WEBHOOK.test(url)) continue;
      const target = siteOf(hostOf(url));
      if (target && target !== site) out.add(url);
      if (out.size >= 8) return [...out];
    }
  }
  return [...out];
}

export const exfilAnalyzer: Analyzer = (input) => {
  const out: Finding[] = [];
  // The markup holds every script byte once; no megabyte-long concatenation of script and HTML.
  const { markup, decoded } = input;
  const bots = new Set<string>();
  for (const t of markup) telegramBots(t, bots);
  if (bots.size > 0 || markup.some((t) => TELEGRAM_API.test(t))) {
    const ids = [...bots];
    out.push({
      id: 'page.exfil.telegram',
      detail: ids.length
        ? `Telegram bot token(s) embedded for bot ${ids.join(', ')} (secret withheld)`
        : 'the page calls the Telegram bot API',
      entities: ids.map((id): EntityKey => `telegram-bot:${id}`),
    });
  }
  let discord: RegExpExecArray | null = null;
  for (const t of markup) if (!discord) discord = DISCORD_WEBHOOK.exec(t);
  if (discord) {
    out.push({
      id: 'page.exfil.discord',
      detail: `a Discord webhook (id ${discord[1]}) is embedded (secret withheld)`,
      excerpt: `discord.com/api/webhooks/${discord[1]}/…`,
    });
  }
  const hasCredentials = input.facts.inputs.some(
    (i) => isPasswordInput(i) || isAccountInput(i) || isCodeInput(i),
  );
  const targets = sinks(input, decoded);
  for (const t of targets) {
    const host = hostOf(t.url);
    const path = pathOf(t.url);
    const relay = RELAYS.find(
      (r) =>
        hostWithin(host, r.host) &&
        (r.path === undefined || path.startsWith(r.path)) &&
        (r.host !== 'amazonaws.com' || EXECUTE_API.test(host)),
    );
    if (relay && host !== input.host) {
      out.push({
        id: 'page.exfil.serverless',
        detail: `data is sent to ${relay.label} (${host}) by ${t.via}`,
        excerpt: excerpt(t.url),
        entities: [`url:${t.url}`],
      });
      break;
    }
  }
  const password = /type\s*=\s*\\?["']?password/i;
  if (hasCredentials || password.test(input.js) || decoded.some((d) => password.test(d))) {
    for (const t of targets) {
      const path = pathOf(t.url);
      if (!path.toLowerCase().endsWith('.php') || t.via === 'request') continue;
      const file = path.slice(path.lastIndexOf('/') + 1);
      const offsite = siteOf(hostOf(t.url)) !== input.site;
      if (offsite || DROP_NAME.test(file)) {
        out.push({
          id: 'page.exfil.php-drop',
          detail: `credentials are sent by ${t.via} to ${offsite ? 'an off-site ' : ''}PHP script ${file}`,
          excerpt: excerpt(t.url),
          entities: [`url:${t.url}`],
        });
        break;
      }
    }
  }
  const fields = new Set(
    input.facts.inputs
      .filter((i) => isPasswordInput(i) || isAccountInput(i) || isCodeInput(i))
      .flatMap((i) => [i.id, i.name])
      .filter(Boolean),
  );
  // A URL a PHP-drop or relay finding already names is not counted twice.
  const named = new Set(out.flatMap((f) => f.entities ?? []));
  const drops = scriptDrops([input.js, ...decoded], fields, input.facts.pageUrl, input.site).filter(
    (u) => !named.has(`url:${u}`),
  );
  if (drops.length > 0) {
    out.push({
      id: 'page.exfil.script-drop',
      detail: `a script sends the credentials to ${drops.map((u) => hostOf(u)).join(', ')}`,
      excerpt: excerpt(drops[0]!),
      entities: drops.map((u): EntityKey => `url:${u}`),
    });
  }
  return out;
};
