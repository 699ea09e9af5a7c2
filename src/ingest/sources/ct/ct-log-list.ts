/**
 * The CT log list in the v3 JSON format Google publishes (`log_list.json`): operators with RFC 6962
 * `logs` and static-ct-api `tiled_logs`. Parsed with Zod at the edge into one descriptor per log;
 * the descriptor's `kind` picks the client.
 * @module
 */
import { z } from 'zod';
import { PrecursorError } from '../../../domain/index.js';

export type CtLogKind = 'rfc6962' | 'static';
export type CtLogState = 'pending' | 'qualified' | 'usable' | 'readonly' | 'retired' | 'rejected';

export interface CtLogDescriptor {
  /** Schema-less URL without trailing slash (`ct.googleapis.com/logs/us1/argon2025h2`); the source is `ct:<name>`. */
  readonly name: string;
  readonly description: string;
  readonly operator: string;
  readonly kind: CtLogKind;
  /** RFC 6962: the log URL (`…/ct/v1/` is appended); static: the monitoring prefix. Ends with `/`. */
  readonly url: string;
  /** Base64 SHA-256 of the log's public key (RFC 6962 §3.2). */
  readonly logId: string;
  readonly mmd: number;
  readonly state: CtLogState | undefined;
}

const stateSchema = z
  .object({
    pending: z.unknown().optional(),
    qualified: z.unknown().optional(),
    usable: z.unknown().optional(),
    readonly: z.unknown().optional(),
    retired: z.unknown().optional(),
    rejected: z.unknown().optional(),
  })
  .optional();

const baseLog = {
  description: z.string(),
  log_id: z.string(),
  key: z.string().optional(),
  mmd: z.number().int().nonnegative(),
  state: stateSchema,
};

const logListSchema = z.object({
  version: z.string().optional(),
  log_list_timestamp: z.string().optional(),
  operators: z.array(
    z.object({
      name: z.string(),
      logs: z.array(z.object({ ...baseLog, url: z.url() })).default([]),
      tiled_logs: z
        .array(z.object({ ...baseLog, submission_url: z.url(), monitoring_url: z.url() }))
        .default([]),
    }),
  ),
});

/** States read by default: a retired or rejected log is frozen or untrusted, pending ones are not yet public. */
export const DEFAULT_LOG_STATES: readonly CtLogState[] = ['usable', 'qualified', 'readonly'];

const withSlash = (u: string): string => (u.endsWith('/') ? u : `${u}/`);
export const logName = (url: string): string => url.replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '');

function stateOf(s: z.infer<typeof stateSchema>): CtLogState | undefined {
  if (!s) return undefined;
  for (const k of ['rejected', 'retired', 'readonly', 'usable', 'qualified', 'pending'] as const)
    if (s[k] !== undefined) return k;
  return undefined;
}

export interface LogListFilter {
  /** Log states to keep (default `DEFAULT_LOG_STATES`); `'all'` keeps every log. */
  readonly states?: readonly CtLogState[] | 'all';
  /** Keep logs whose name or description contains one of these (case-insensitive). */
  readonly match?: readonly string[];
}

/** Parses a v3 log list. Throws `PrecursorError('VALIDATION_FAILED')` naming the first bad field. */
export function parseLogList(json: unknown, filter: LogListFilter = {}): CtLogDescriptor[] {
  const r = logListSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new PrecursorError(
      'VALIDATION_FAILED',
      `invalid CT log list at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? ''}`,
      {
        details: { issues: r.error.issues.slice(0, 5) },
      },
    );
  }
  const out: CtLogDescriptor[] = [];
  for (const op of r.data.operators) {
    for (const l of op.logs) {
      out.push({
        name: logName(l.url),
        description: l.description,
        operator: op.name,
        kind: 'rfc6962',
        url: withSlash(l.url),
        logId: l.log_id,
        mmd: l.mmd,
        state: stateOf(l.state),
      });
    }
    for (const l of op.tiled_logs) {
      out.push({
        // The checkpoint origin, and the name monitors use, is the submission prefix.
        name: logName(l.submission_url),
        description: l.description,
        operator: op.name,
        kind: 'static',
        url: withSlash(l.monitoring_url),
        logId: l.log_id,
        mmd: l.mmd,
        state: stateOf(l.state),
      });
    }
  }
  const states = filter.states ?? DEFAULT_LOG_STATES;
  const match = (filter.match ?? []).map((m) => m.toLowerCase());
  return out.filter(
    (l) =>
      (states === 'all' || (l.state !== undefined && states.includes(l.state))) &&
      (match.length === 0 ||
        match.some((m) => l.name.toLowerCase().includes(m) || l.description.toLowerCase().includes(m))),
  );
}
