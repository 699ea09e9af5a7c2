// The one way the dashboard reaches the server: fetch with the session's API key as a bearer token.
// Errors keep the server's code (`CASE_ILLEGAL_TRANSITION`, `FORBIDDEN`, …) so views can say what
// went wrong in the server's words.

const KEY = 'precursor.key';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Listener = () => void;
const unauthorised = new Set<Listener>();

/** Called when the server refuses the key (401): the shell signs out. */
export function onUnauthorised(fn: Listener): () => void {
  unauthorised.add(fn);
  return () => unauthorised.delete(fn);
}

export const session = {
  key: (): string | null => sessionStorage.getItem(KEY),
  set: (key: string) => sessionStorage.setItem(KEY, key),
  clear: () => sessionStorage.removeItem(KEY),
};

/**
 * A key handed over in the URL fragment (`#key=…`, as `precursor demo` prints it) moves to
 * sessionStorage and out of the address bar; fragments never reach the server or its logs.
 */
export function takeKeyFromFragment(): string | null {
  const m = /(?:^#|&)key=([^&]+)/.exec(location.hash);
  if (!m?.[1]) return null;
  const key = decodeURIComponent(m[1]);
  session.set(key);
  history.replaceState(null, '', `${location.pathname}#/`);
  // replaceState fires no hashchange; the router must still see the new route.
  window.dispatchEvent(new HashChangeEvent('hashchange'));
  return key;
}

async function request(path: string, init: RequestInit = {}, key = session.key()): Promise<Response> {
  const headers = new Headers(init.headers);
  if (key) headers.set('authorization', `Bearer ${key}`);
  if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
  const r = await fetch(path, { ...init, headers });
  if (r.ok) return r;
  let code = `HTTP_${r.status}`;
  let message = r.statusText || `HTTP ${r.status}`;
  try {
    const body = (await r.json()) as { error?: { code?: string; message?: string } };
    if (body.error?.code) code = body.error.code;
    if (body.error?.message) message = body.error.message;
  } catch {
    // not JSON: keep the status text
  }
  if (r.status === 401) for (const fn of unauthorised) fn();
  throw new ApiError(r.status, code, message);
}

export async function get<T>(path: string, key?: string): Promise<T> {
  return (await (await request(path, {}, key ?? session.key())).json()) as T;
}

export async function getText(path: string): Promise<string> {
  return (await request(path)).text();
}

export async function post<T>(path: string, body: unknown): Promise<T> {
  const r = await request(path, { method: 'POST', body: JSON.stringify(body ?? {}) });
  const text = await r.text();
  return (text ? JSON.parse(text) : {}) as T;
}

/** Fetches a file with the key and hands it to the browser as a download (no key in any URL). */
export async function download(path: string, fallbackName: string): Promise<string> {
  const r = await request(path);
  const disposition = r.headers.get('content-disposition') ?? '';
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await r.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}

/** An image behind the API key, as an object URL for an <img> (CSP allows blob: images). */
export async function imageUrl(path: string): Promise<string> {
  const r = await request(path);
  return URL.createObjectURL(await r.blob());
}

/** `GET` that answers null when the route does not exist (yet) on this server. */
export async function optional<T>(path: string): Promise<T | null> {
  try {
    return await get<T>(path);
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 405) && e.code === 'NOT_FOUND')
      return null;
    throw e;
  }
}

export const enc = encodeURIComponent;
