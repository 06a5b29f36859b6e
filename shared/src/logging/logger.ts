import { pino } from 'pino';

export type Logger = pino.Logger;

/**
 * Structured JSON logs (one object per line) for both services. Every line
 * carries `service`; call-scoped code adds `conversationId`, `userId` and
 * `socketId` through child loggers so one call can be followed with grep.
 * LOG_LEVEL sets the level (default info; tests default to warn). Lines go
 * to stdout unless a `destination` is given (tests read the lines there).
 */
export function createLogger(
  service: string,
  level = process.env.LOG_LEVEL,
  destination?: pino.DestinationStream,
): Logger {
  return pino(
    {
      base: { service },
      level: level ?? (process.env.VITEST ? 'warn' : 'info'),
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
