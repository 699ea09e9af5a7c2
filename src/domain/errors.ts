/**
 * Typed error codes per area. Only `server/` maps them to HTTP and only `cli/` to exit codes;
 * every code is documented in docs/errors.md (a test checks it).
 * @module
 */

export const ERROR_CODES = {
  /** Ingest: a record failed its source's schema. */
  SCHEMA_INVALID: 'a record does not match the schema of its source',
  /** Ingest: a record is not parseable at all (bad JSON, bad CSV, bad DER, …). */
  PARSE_ERROR: 'a record could not be parsed',
  /** Ingest: a record parsed but its content is unusable (e.g. a host that is not a domain name). */
  INVALID_VALUE: 'a field holds a value that cannot be used',
  /** Ingest: a record is larger than the configured limit. */
  TOO_LARGE: 'a record exceeds the configured size limit',
  /** Source: the upstream (log, server, file) failed in a way retries did not fix. */
  SOURCE_FAILED: 'a source could not be read',
  /** Source: the server or broker a source reads from could not be reached at all. */
  SOURCE_UNAVAILABLE: "a source's server could not be reached",
  /** Server: the listen address is taken or not allowed (a busy port, a privileged one). */
  LISTEN_FAILED: 'the server could not listen on its address',
  /** Store: a migration failed or the schema is newer than this build. */
  MIGRATION_FAILED: 'the store schema could not be migrated',
  /** Store: the database could not be reached. */
  STORE_UNAVAILABLE: 'the store could not be reached',
  /** Config: the configuration file or environment is invalid. */
  CONFIG_INVALID: 'the configuration is invalid',
  /** API: no key, or an unknown/revoked key. */
  UNAUTHENTICATED: 'an API key is required',
  /** API: the key's role does not allow the operation. */
  FORBIDDEN: "the key's role does not allow this",
  /** API/CLI: a request or argument failed validation. */
  VALIDATION_FAILED: 'the request is invalid',
  /** API: the thing asked for does not exist. */
  NOT_FOUND: 'not found',
  /** API: the request conflicts with current state (e.g. a case already decided). */
  CONFLICT: 'the request conflicts with the current state',
  /** Review: no case with that id. */
  CASE_NOT_FOUND: 'no such case',
  /** Review: the case is not in a state that allows the action (e.g. deciding an unclaimed case). */
  CASE_ILLEGAL_TRANSITION: "the case's state does not allow this action",
  /** Review: a policy rule's condition could not be evaluated on a subject (kept in the rule's trace). */
  RULE_FAILED: 'a policy rule could not be evaluated',
  /** Audit: the audit chain does not verify (an entry edited, removed or reordered, or the anchor differs). */
  AUDIT_BROKEN: 'the audit chain does not verify',
  /** Correlation: no campaign has the id asked for. */
  CAMPAIGN_NOT_FOUND: 'no such campaign',
  /** Anything not foreseen; always logged with its cause. */
  INTERNAL: 'an internal error occurred',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class PrecursorError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: C;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: C,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PrecursorError';
    this.code = code;
    this.details = options.details ?? {};
  }
}

export function isPrecursorError(e: unknown): e is PrecursorError {
  return e instanceof PrecursorError;
}

/** A record an ingest source could not accept, kept in the dead-letter table. */
export interface Rejection {
  readonly code: 'SCHEMA_INVALID' | 'PARSE_ERROR' | 'INVALID_VALUE' | 'TOO_LARGE' | 'SOURCE_FAILED';
  readonly reason: string;
  /** Where in the record the problem is (`payload.names[3]`), when known. */
  readonly path?: string;
}
