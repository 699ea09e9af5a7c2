/**
 * certstream `certificate_update` messages, live from a WebSocket URL or replayed from a JSON-lines
 * file. A convenience beside the CT client (the public service has been unreliable since 2025): a
 * live stream cannot be resumed, so its cursor only records the last `seen` time; a file resumes by
 * byte offset like any list. When a message carries the certificate (`as_der`, certstream "full"
 * streams) it is parsed with the same X.509 code as CT entries; otherwise the names are kept, and the
 * certificate is keyed by the SHA-256 the server states, or (SHA-1 only) not materialised at all.
 * Dedupe keys are those of the CT source (`ct:<log>|<index>`), so the same entry seen both ways is stored once.
 * @module
 */
import type { Observation } from '../../../domain/index.js';
import { canonicalHost } from '../../canonical-host.js';
import { isUtf8 } from 'node:buffer';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { startLines } from '../../file-checkpoint.js';
import { type LineCursor, LineRecord, readLineBatches } from '../../line-reader.js';
import {
  ok,
  type ParseResult,
  type ReadHooks,
  reject,
  type Source,
  type SourceRecord,
} from '../../source.js';
import { certificateFacts, sha256Hex } from '../ct/ct-certificate.js';
import { ctDedupeKey } from '../ct/ct-entry.js';
import { logName } from '../ct/ct-log-list.js';
import { sleep } from '../ct/polite-fetch.js';
import { fastCertificateUpdate } from './certstream-fast-check.js';
import { ParsedLineRecord, readParsedAhead } from './certstream-parse-ahead.js';
import { type CertstreamMessage, certstreamMessageSchema } from './certstream-schema.js';

export interface CertstreamSourceOptions {
  /** `ws://…`/`wss://…` for a live stream, or a path to a JSON-lines replay file. */
  readonly input: string;
  /**
   * Defaults to `certstream:<absolute path>` for a file (each file has its own checkpoint) and
   * `certstream` for a live stream.
   */
  readonly sourceId?: string;
  /** What a file input of `-` reads (default: the process's standard input). */
  readonly stdin?: NodeJS.ReadableStream;
  /** Live: messages held while the store is slower than the stream; older ones are dropped beyond it (default 10,000). */
  readonly maxQueue?: number;
  /** Live: reconnect backoff bounds, ms (default 1,000 → 60,000). */
  readonly reconnectMs?: readonly [number, number];
  /** Live: told about drops and reconnects. */
  readonly onEvent?: (e: { type: 'dropped' | 'reconnect' | 'connected'; detail: string }) => void;
  /**
   * File: read and parse it in a worker thread ahead of the runner (certstream-parse-ahead.ts), when
   * what is left to read is at least `parseAheadMinBytes` (default 8 MiB: a smaller file would wait
   * for the worker to start instead of saving time). For a large replay.
   */
  readonly parseAhead?: boolean;
  readonly parseAheadMinBytes?: number;
}

const isLive = (input: string): boolean => /^wss?:\/\//i.test(input);

/** Marks a live message whose bytes were not UTF-8 on its way through the queue (a NUL cannot start JSON). */
const BAD_UTF8 = '\u0000bad-utf8\u0000';

export function createCertstreamSource(options: CertstreamSourceOptions): Source {
  const live = isLive(options.input);
  const path = live || options.input === '-' ? options.input : resolve(options.input);
  const id = options.sourceId ?? (live ? 'certstream' : `certstream:${path === '-' ? 'stdin' : path}`);
  return {
    id,
    read: live
      ? (_cursor, signal) => readLive(options, signal)
      : (cursor, signal, hooks) => readFile(path, id, cursor, signal, hooks, options),
    parse: (record) =>
      record instanceof ParsedLineRecord && record.parsed !== undefined
        ? record.parsed
        : parseCertstreamMessage(id, record.raw),
  };
}

/** Below this many bytes left to read, a replay is parsed in the main thread (see `parseAhead`). */
const PARSE_AHEAD_MIN_BYTES = 8 * 1024 * 1024;

async function* readFile(
  path: string,
  id: string,
  cursor: string | undefined,
  signal: AbortSignal,
  hooks: ReadHooks | undefined,
  options: CertstreamSourceOptions,
): AsyncGenerator<SourceRecord[]> {
  const { from, cursorPrefix } = startLines(path, cursor, hooks);
  const inMain = (at: typeof from) => readLineRecords(path, at, cursorPrefix, signal, options.stdin);
  if (
    options.parseAhead &&
    path !== '-' &&
    statSync(path).size - from.offset >= (options.parseAheadMinBytes ?? PARSE_AHEAD_MIN_BYTES)
  )
    yield* readParsedAhead(
      { path, from, source: id, lines: 1000 },
      'certstream-parse-worker',
      cursorPrefix,
      signal,
      inMain,
    );
  else yield* inMain(from);
}

async function* readLineRecords(
  path: string,
  from: LineCursor,
  cursorPrefix: string,
  signal: AbortSignal,
  stdin: NodeJS.ReadableStream | undefined,
): AsyncGenerator<SourceRecord[]> {
  for await (const lines of readLineBatches(path, from, signal, stdin)) {
    const out: SourceRecord[] = [];
    for (const line of lines)
      if (line.text.trim() !== '') out.push(new LineRecord(line, undefined, cursorPrefix));
    if (out.length > 0) yield out;
  }
}

async function* readLive(
  options: CertstreamSourceOptions,
  signal: AbortSignal,
): AsyncGenerator<SourceRecord> {
  const { WebSocket } = await import('ws');
  const maxQueue = options.maxQueue ?? 10_000;
  const [minWait, maxWait] = options.reconnectMs ?? [1000, 60_000];
  const queue: string[] = [];
  let wake: (() => void) | undefined;
  let closed = false;
  let received = 0;
  let failures = 0;
  const notify = (): void => {
    wake?.();
    wake = undefined;
  };
  signal.addEventListener('abort', notify, { once: true });

  while (!signal.aborted) {
    const ws = new WebSocket(options.input, { handshakeTimeout: 30_000 });
    closed = false;
    ws.on('open', () => {
      failures = 0;
      options.onEvent?.({ type: 'connected', detail: options.input });
    });
    ws.on('message', (data: Buffer) => {
      queue.push(isUtf8(data) ? data.toString('utf8') : BAD_UTF8 + data.toString('utf8'));
      if (queue.length > maxQueue) {
        queue.shift();
        options.onEvent?.({ type: 'dropped', detail: 'the store is slower than the stream' });
      }
      notify();
    });
    ws.on('error', () => {});
    ws.on('close', () => {
      closed = true;
      notify();
    });
    const onAbort = (): void => ws.close();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      while (!signal.aborted) {
        const raw = queue.shift();
        if (raw !== undefined) {
          received++;
          yield raw.startsWith(BAD_UTF8)
            ? {
                position: `message ${received}`,
                raw: raw.slice(BAD_UTF8.length),
                cursor: `live:${received}`,
                encodingError: 'the message is not valid UTF-8',
              }
            : { position: `message ${received}`, raw, cursor: `live:${received}` };
          continue;
        }
        if (closed) break;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      ws.terminate();
    }
    if (signal.aborted) return;
    failures++;
    const wait = Math.min(maxWait, minWait * 2 ** Math.min(failures - 1, 16));
    options.onEvent?.({ type: 'reconnect', detail: `connection closed; reconnecting in ${wait} ms` });
    try {
      await sleep(wait, signal);
    } catch {
      return;
    }
  }
}

/** `AB:CD:…` → `abcd…`, in one pass (two string operations per message were a tenth of parsing it). */
function colonless(h: string): string {
  let out = '';
  for (let i = 0; i < h.length; i++) {
    const c = h.charCodeAt(i);
    if (c === 58) continue;
    if (c > 127) return h.replaceAll(':', '').toLowerCase();
    out += c >= 65 && c <= 90 ? String.fromCharCode(c + 32) : h[i];
  }
  return out;
}

/** One certstream message → observations (pure; exported for tests). */
export function parseCertstreamMessage(source: string, raw: string): ParseResult {
  let doc: unknown;
  try {
    doc = JSON.parse(raw);
  } catch (e) {
    return reject('PARSE_ERROR', `malformed JSON: ${(e as Error).message}`);
  }
  let m = fastCertificateUpdate(doc) as CertstreamMessage | undefined;
  if (m === undefined) {
    const r = certstreamMessageSchema.safeParse(doc);
    if (!r.success) {
      const issue = r.error.issues[0];
      return reject('SCHEMA_INVALID', issue?.message ?? 'not a certstream message', issue?.path.join('.'));
    }
    m = r.data;
  }
  if (m.message_type !== 'certificate_update') return ok([]); // heartbeats and others
  const d = m.data;
  const leaf = d.leaf_cert;
  const seen = new Date(d.seen * 1000);
  if (Number.isNaN(seen.getTime()))
    return reject('INVALID_VALUE', `seen ${d.seen} is not a time`, 'data.seen');
  const observedAt = seen.toISOString();
  const log = logName(d.source.url);
  const precert = d.update_type === 'PrecertLogEntry';
  const notBefore = epochIso(leaf.not_before);
  const notAfter = epochIso(leaf.not_after);
  if (notBefore === null)
    return reject(
      'INVALID_VALUE',
      `not_before ${leaf.not_before} is not a time`,
      'data.leaf_cert.not_before',
    );
  if (notAfter === null)
    return reject('INVALID_VALUE', `not_after ${leaf.not_after} is not a time`, 'data.leaf_cert.not_after');
  let payload: Observation<'certificate'>['payload'] | undefined;
  if (leaf.as_der !== undefined) {
    try {
      const der = Buffer.from(leaf.as_der, 'base64');
      const f = certificateFacts(der);
      payload = {
        sha256: sha256Hex(der),
        names: f.names,
        issuer: f.issuer,
        subject: f.subject,
        serial: f.serial,
        ...(f.notBefore ? { notBefore: f.notBefore } : {}),
        ...(f.notAfter ? { notAfter: f.notAfter } : {}),
        log,
        index: d.cert_index,
        precert,
      };
    } catch (e) {
      return reject(
        'PARSE_ERROR',
        `malformed as_der certificate: ${e instanceof Error ? e.message : String(e)}`,
        'data.leaf_cert.as_der',
      );
    }
  } else {
    // The names are the server's word, not read from a certificate: each must be a host name, and one
    // that is not rejects the message (kept whole as a dead letter) rather than vanishing.
    const names = checkedNames(leaf.all_domains);
    if (!names.ok) return names.result;
    if (leaf.sha256 !== undefined) {
      payload = {
        sha256: colonless(leaf.sha256),
        names: names.names,
        ...(d.chain[0]?.subject.aggregated
          ? { issuer: d.chain[0].subject.aggregated }
          : leaf.issuer?.aggregated
            ? { issuer: leaf.issuer.aggregated }
            : {}),
        ...(leaf.subject?.aggregated ? { subject: leaf.subject.aggregated } : {}),
        ...(leaf.serial_number ? { serial: leaf.serial_number.toLowerCase() } : {}),
        ...(notBefore ? { notBefore } : {}),
        ...(notAfter ? { notAfter } : {}),
        log,
        index: d.cert_index,
        precert,
      };
    } else {
      // SHA-1 only (classic certstream): a `cert:sha256:` key cannot be made, so the names alone are kept.
      const context = `certstream ${log}#${d.cert_index}`;
      return ok(
        [...new Set(names.names.map((n) => (n.startsWith('*.') ? n.slice(2) : n)))].map(
          (name): Observation<'domain'> => ({
            source,
            kind: 'domain',
            observedAt,
            dedupeKey: `${ctDedupeKey(`ct:${log}`, d.cert_index)}|domain|${name}`,
            payload: { name, context },
          }),
        ),
      );
    }
  }
  if (payload !== undefined) {
    if (payload.names.length === 0) return ok([]);
    return ok([
      { source, kind: 'certificate', observedAt, dedupeKey: ctDedupeKey(`ct:${log}`, d.cert_index), payload },
    ]);
  }
  return ok([]);
}

/**
 * Validity bounds recently turned into ISO times: certificates issued together share them (a CA's
 * midnight or hourly not-before, a fixed lifetime), and formatting a date is a tenth of parsing a message.
 */
const isoTimes = new Map<number, string | null>();

/** Seconds since the epoch → ISO time; undefined when absent, null when not a representable time. */
function epochIso(seconds: number | undefined): string | undefined | null {
  if (seconds === undefined) return undefined;
  let iso = isoTimes.get(seconds);
  if (iso === undefined) {
    const d = new Date(seconds * 1000);
    iso = Number.isNaN(d.getTime()) ? null : d.toISOString();
    if (isoTimes.size >= 4096) isoTimes.clear();
    isoTimes.set(seconds, iso);
  }
  return iso;
}

/** Each name canonical (A-label, lower case; a leading `*.` kept), or the first bad one as a rejection. */
function checkedNames(
  names: readonly string[],
): { ok: true; names: string[] } | { ok: false; result: ParseResult } {
  const out: string[] = [];
  for (let i = 0; i < names.length; i++) {
    const n = names[i] as string;
    const h = canonicalHost(n);
    if (!h.ok)
      return {
        ok: false,
        result: reject(
          'INVALID_VALUE',
          `name ${i + 1} of ${names.length} is not a host name: ${h.reason}`,
          `data.leaf_cert.all_domains.${i}`,
        ),
      };
    // A name the canonical form leaves as it is has no `*.` (nor space) in front.
    out.push(h.ascii !== n && n.trim().startsWith('*.') ? `*.${h.ascii}` : h.ascii);
  }
  const unique = new Set(out);
  return { ok: true, names: unique.size === out.length ? out : [...unique] };
}
