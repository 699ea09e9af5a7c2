const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

export function ago(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '–';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const s = (t - now) / 1000;
  const abs = Math.abs(s);
  if (abs < 60) return rtf.format(Math.round(s), 'second');
  if (abs < 3600) return rtf.format(Math.round(s / 60), 'minute');
  if (abs < 86_400) return rtf.format(Math.round(s / 3600), 'hour');
  return rtf.format(Math.round(s / 86_400), 'day');
}

export function when(iso: string | null | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().replace('T', ' ').slice(0, 16) + 'Z';
}

export function hours(h: number | null | undefined): string {
  if (h === null || h === undefined) return '–';
  if (Math.abs(h) >= 48) return `${(h / 24).toFixed(1)} d`;
  return `${h.toFixed(h < 10 ? 1 : 0)} h`;
}

export const num = (n: number | null | undefined): string =>
  n === null || n === undefined ? '–' : n.toLocaleString('en');

/** `1 case`, `3 cases`: a count and its noun, singular for one. */
export const count = (n: number, one: string, many = `${one}s`): string =>
  `${num(n)} ${n === 1 ? one : many}`;

/** Score band, shared by badges, graph colours and charts. */
export const band = (score: number | null | undefined): 'hi' | 'mid' | 'lo' | 'none' =>
  score === null || score === undefined ? 'none' : score >= 85 ? 'hi' : score >= 50 ? 'mid' : 'lo';

/** Guesses what an analyst typed into the search box: a URL, an IP, a wallet, an account or a name. */
export function guessType(q: string): string | undefined {
  const s = q.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) return 'url';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(s) || /^[0-9a-f:]+:[0-9a-f:]*$/i.test(s)) return 'ip';
  if (
    /^(0x[0-9a-f]{40}|(bc1|tb1)[0-9a-z]{20,90}|[13][1-9A-HJ-NP-Za-km-z]{25,34}|T[1-9A-HJ-NP-Za-km-z]{33})$/i.test(
      s,
    )
  )
    return 'wallet';
  if (/^[\w.+-]+@[\w.-]+\.[a-z]{2,}$/i.test(s)) return 'email';
  return undefined;
}
