import { createLogger, type Logger } from '@groupcall/shared/logging';

/** One structured log line, parsed. */
export type LogLine = Record<string, unknown> & { msg: string };

/** A debug-level logger whose lines a test reads back instead of stdout. */
export interface CapturedLogs {
  readonly log: Logger;
  /** Every line, parsed, in the order written. */
  readonly lines: LogLine[];
  /**
   * The lines as written that name one of `keys` twice: JSON.parse keeps
   * the last silently, log pipelines may not (a key bound once is the rule).
   */
  linesRepeating(keys: readonly string[]): string[];
}

export function captureLogs(service: string): CapturedLogs {
  const raw: string[] = [];
  const lines: LogLine[] = [];
  const log = createLogger(service, 'debug', {
    write: (line: string) => {
      raw.push(line);
      lines.push(JSON.parse(line));
    },
  });
  return {
    log,
    lines,
    linesRepeating: (keys) => raw.filter((line) => keys.some((key) => line.split(`"${key}":`).length > 2)),
  };
}
