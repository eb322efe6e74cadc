import pino, { type DestinationStream } from 'pino';
import { summarizeError } from './ops/error-summary';

/**
 * Structured JSON logs on stdout. Anything that could carry a credential is redacted by
 * path, so a careless `log.info({ req })` cannot leak a bearer token or password. Errors go
 * under `err` (the error itself, not its message or stack): they are written through
 * summarizeError, which keeps a failed query's parameters and the values PostgreSQL quotes
 * out of the log.
 */
export function createLogger(destination?: DestinationStream, level = process.env.MESHWARD_LOG_LEVEL ?? 'info') {
  return pino(
    {
      level,
      base: { svc: 'meshward' },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { err: summarizeError, error: summarizeError },
      redact: {
        paths: [
          'password', '*.password', 'token', '*.token', 'secret', '*.secret',
          'authorization', '*.authorization', 'headers.authorization', 'headers.cookie', '*.headers.cookie',
          'cookie', '*.cookie', 'AUTH_SECRET', 'DATABASE_URL', 'params', '*.params',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

export const log = createLogger();
