/**
 * TAXII 2.1 protocol errors carry their HTTP status and render as the spec's error message resource
 * (§3.6.1); the server maps them to responses, the protocol logic only decides.
 * @module
 */

export type TaxiiErrorStatus = 400 | 401 | 403 | 404 | 405 | 406 | 413 | 415 | 422;

export interface TaxiiErrorResource {
  readonly title: string;
  readonly description?: string;
  readonly http_status: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export class TaxiiError extends Error {
  readonly status: TaxiiErrorStatus;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(status: TaxiiErrorStatus, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'TaxiiError';
    this.status = status;
    this.details = details;
  }

  toResource(): TaxiiErrorResource {
    return {
      title: TITLES[this.status],
      description: this.message,
      http_status: String(this.status),
      ...(Object.keys(this.details).length ? { details: this.details } : {}),
    };
  }
}

const TITLES: Record<TaxiiErrorStatus, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
};
