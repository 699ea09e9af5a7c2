/**
 * Structured logs to stderr (stdout is for data). Credentials never reach a log line.
 * @module
 */
import { pino, type Logger } from 'pino';

export function createLogger(level: string, stream: NodeJS.WritableStream = process.stderr): Logger {
  return pino(
    {
      level,
      base: { service: 'precursor' },
      redact: {
        paths: [
          'key',
          '*.key',
          'req.headers.authorization',
          'req.headers["x-api-key"]',
          '*.password',
          '*.token',
          '*.secret',
        ],
        censor: '[redacted]',
      },
    },
    stream,
  );
}
