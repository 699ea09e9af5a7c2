/**
 * The only place where error codes become HTTP statuses.
 * @module
 */
import type { ErrorCode } from '../domain/index.js';
import { isPrecursorError } from '../domain/index.js';

export const STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = Object.freeze({
  SCHEMA_INVALID: 400,
  PARSE_ERROR: 400,
  INVALID_VALUE: 400,
  TOO_LARGE: 413,
  SOURCE_FAILED: 502,
  SOURCE_UNAVAILABLE: 503,
  LISTEN_FAILED: 500,
  MIGRATION_FAILED: 500,
  STORE_UNAVAILABLE: 503,
  CONFIG_INVALID: 500,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  VALIDATION_FAILED: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  CASE_NOT_FOUND: 404,
  CASE_ILLEGAL_TRANSITION: 409,
  RULE_FAILED: 500,
  AUDIT_BROKEN: 500,
  CAMPAIGN_NOT_FOUND: 404,
  INTERNAL: 500,
});

export interface ErrorBody {
  readonly error: {
    readonly code: ErrorCode;
    readonly message: string;
    readonly details?: Readonly<Record<string, unknown>>;
  };
}

export function errorBody(e: unknown): { status: number; body: ErrorBody } {
  if (isPrecursorError(e)) {
    const status = STATUS_BY_CODE[e.code];
    const details = Object.keys(e.details).length > 0 ? e.details : undefined;
    return {
      status,
      body: {
        error: details ? { code: e.code, message: e.message, details } : { code: e.code, message: e.message },
      },
    };
  }
  // Unforeseen errors are logged by the caller with their cause; the client learns nothing internal.
  return { status: 500, body: { error: { code: 'INTERNAL', message: 'internal error' } } };
}
