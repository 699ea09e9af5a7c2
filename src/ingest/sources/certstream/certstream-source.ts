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
import { decodeLineCursor, LineRecord, readLines } from '../../line-reader.js';
import { ok, type ParseResult, reject, type Source, type SourceRecord } from '../../source.js';
import { certificateFacts, sha256Hex } from '../ct/ct-certificate.js';
import { ctDedupeKey } from '../ct/ct-entry.js';
import { logName } from '../ct/ct-log-list.js';
import { sleep } from '../ct/polite-fetch.js';
import { certstreamMessageSchema } from './certstream-schema.js';

export interface CertstreamSourceOptions {
  /** `ws://…`/`wss://…` for a live stream, or a path to a JSON-lines replay file. */
  readonly input: string;
  /** Defaults to `certstream`. */
  readonly sourceId?: string;
  /** Live: messages held while the store is slower than the stream; older ones are dropped beyond it (default 10,000). */
  readonly maxQueue?: number;
  /** Live: reconnect backoff bounds, ms (default 1,000 → 60,000). */
  readonly reconnectMs?: readonly [number, number];
  /** Live: told about drops and reconnects. */
  readonly onEvent?: (e: { type: 'dropped' | 'reconnect' | 'connected'; detail: string }) => void;
}

const isLive = (input: string): boolean => /^wss?:\/\//i.test(input);

export function createCertstreamSource(options: CertstreamSourceOptions): Source {
  const id = options.sourceId ?? 'certstream';
  return {
    id,
    read: isLive(options.input)
      ? (_cursor, signal) => readLive(options, signal)
      : (cursor, signal) => readFile(options.input, cursor, signal),
    parse: (record) => parseCertstreamMessage(id, record.raw),
  };
}

async function* readFile(
  path: string,
  cursor: string | undefined,
  signal: AbortSignal,
): AsyncGenerator<SourceRecord> {
  for await (const line of readLines(path, decodeLineCursor(cursor), signal)) {
    if (line.text.trim() === '') continue;
    yield new LineRecord(line);
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
      queue.push(data.toString('utf8'));
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
          yield { position: `message ${received}`, raw, cursor: `live:${received}` };
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

const colonless = (h: string): string => h.replaceAll(':', '').toLowerCase();

/** One certstream message → observations (pure; exported for tests). */
export function parseCertstreamMessage(source: string, raw: string): ParseResult {
  let doc: unknown;
  try {
    doc = JSON.parse(raw);
  } catch (e) {
    return reject('PARSE_ERROR', `malformed JSON: ${(e as Error).message}`);
  }
  const r = certstreamMessageSchema.safeParse(doc);
  if (!r.success) {
    const issue = r.error.issues[0];
    return reject('SCHEMA_INVALID', issue?.message ?? 'not a certstream message', issue?.path.join('.'));
  }
  const m = r.data;
  if (m.message_type !== 'certificate_update') return ok([]); // heartbeats and others
  const d = m.data;
  const leaf = d.leaf_cert;
  const seen = new Date(d.seen * 1000);
  if (Number.isNaN(seen.getTime()))
    return reject('INVALID_VALUE', `seen ${d.seen} is not a time`, 'data.seen');
  const observedAt = seen.toISOString();
  const log = logName(d.source.url);
  const precert = d.update_type === 'PrecertLogEntry';

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
  } else if (leaf.sha256 !== undefined) {
    payload = {
      sha256: colonless(leaf.sha256),
      names: leaf.all_domains.map((n) => n.toLowerCase()),
      ...(d.chain[0]?.subject.aggregated
        ? { issuer: d.chain[0].subject.aggregated }
        : leaf.issuer?.aggregated
          ? { issuer: leaf.issuer.aggregated }
          : {}),
      ...(leaf.subject.aggregated ? { subject: leaf.subject.aggregated } : {}),
      ...(leaf.serial_number ? { serial: leaf.serial_number.toLowerCase() } : {}),
      ...(leaf.not_before !== undefined ? { notBefore: new Date(leaf.not_before * 1000).toISOString() } : {}),
      ...(leaf.not_after !== undefined ? { notAfter: new Date(leaf.not_after * 1000).toISOString() } : {}),
      log,
      index: d.cert_index,
      precert,
    };
  }
  if (payload !== undefined) {
    if (payload.names.length === 0) return ok([]);
    return ok([
      { source, kind: 'certificate', observedAt, dedupeKey: ctDedupeKey(`ct:${log}`, d.cert_index), payload },
    ]);
  }
  // SHA-1 only (classic certstream): a `cert:sha256:` key cannot be made, so the names alone are kept.
  const context = `certstream ${log}#${d.cert_index}`;
  return ok(
    [...new Set(leaf.all_domains.map((n) => canonicalHost(n)).flatMap((h) => (h.ok ? [h.ascii] : [])))].map(
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
