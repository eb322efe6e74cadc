import pino from 'pino';

/**
 * Structured JSON logs on stdout. Anything that could carry a credential is redacted by
 * path, so a careless `log.info({ req })` cannot leak a bearer token or password.
 */
export const log = pino({
  level: process.env.MESHWARD_LOG_LEVEL ?? 'info',
  base: { svc: 'meshward' },
  timestamp: pino.stdTimeFunctions.isoTime,
  redact: {
    paths: [
      'password', '*.password', 'token', '*.token', 'secret', '*.secret',
      'authorization', '*.authorization', 'headers.authorization', 'headers.cookie', '*.headers.cookie',
      'cookie', '*.cookie', 'AUTH_SECRET', 'DATABASE_URL',
    ],
    censor: '[redacted]',
  },
});
