// Our own log calls summarise errors safely (error-summary.ts), but Next.js logs an error a
// server component or route threw by itself, through console.error, message and all: for a
// failed query that is the SQL and its parameters. The console process routes those writes
// through the same summary, so no failed query's data reaches the output either way.
import { describeError, isDatabaseError } from './error-summary';

type Write = (...args: unknown[]) => void;

/** The argument as it may be printed: a database error (or one caused by it) by its summary only. */
export function safeConsoleArg(arg: unknown): unknown {
  if (arg && typeof arg === 'object' && causedByDatabase(arg)) return `${describeError(arg)} [details withheld: see the console's own log line]`;
  if (typeof arg === 'string' && /(^|\n)\s*params: /.test(arg)) return arg.replace(/(^|\n)(\s*)params: [^\n]*/g, '$1$2params: [withheld]');
  return arg;
}

function causedByDatabase(e: unknown): boolean {
  for (let cur = e, depth = 0; cur && typeof cur === 'object' && depth <= 3; cur = (cur as { cause?: unknown }).cause, depth++) {
    if (isDatabaseError(cur)) return true;
  }
  return false;
}

/** Wraps console.error and console.warn (idempotent); returns a function that undoes it. */
export function guardConsole(target: Pick<Console, 'error' | 'warn'> = console): () => void {
  const original = { error: target.error, warn: target.warn };
  if ((original.error as { guarded?: boolean }).guarded) return () => undefined;
  const wrap = (write: Write): Write => Object.assign((...args: unknown[]) => write(...args.map(safeConsoleArg)), { guarded: true });
  target.error = wrap(original.error.bind(target));
  target.warn = wrap(original.warn.bind(target));
  return () => Object.assign(target, original);
}
