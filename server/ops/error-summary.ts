/**
 * What may be logged of an error. A failed query's message is not: drizzle's
 * DrizzleQueryError message is the SQL followed by `params: …` (token hashes, password
 * hashes, whatever a sender put in a batch), and PostgreSQL's own messages quote the
 * offending value (`invalid input syntax for type integer: "…"`, a unique violation's
 * `detail`). So a database error is summarised by what names it, never by what it carries:
 * its SQLSTATE, the statement's verb and table, the constraint, table and column involved.
 */
export interface ErrorSummary {
  type: string;
  /** only for errors whose text cannot carry data: ours, the network's, PostgreSQL's operational classes */
  message?: string;
  /** SQLSTATE (`23505`) or a system error code (`ECONNREFUSED`) */
  code?: string;
  /** `insert into proxy_tokens`: the statement's verb and first table, never its text */
  statement?: string;
  table?: string;
  column?: string;
  constraint?: string;
  /** call-site frames, without the message line that precedes them in `stack` */
  frames?: string[];
  cause?: ErrorSummary;
}

type Loose = Record<string, unknown>;

const MAX_MESSAGE = 1000;
const MAX_FRAMES = 8;
const MAX_DEPTH = 3;
const SQLSTATE = /^[0-9A-Z]{5}$/;
// Classes whose messages name the trouble, not the data: connection (08), resources (53),
// operator intervention (57, "terminating connection due to administrator command"), system (58),
// internal (XX), and undefined objects / syntax (42, identifiers only).
const SAFE_SQL_CLASSES = new Set(['08', '42', '53', '57', '58', 'XX']);
const IDENTIFIER = /^[\w.$-]{1,128}$/;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The SQLSTATE of a database error, or of the driver error it wraps. */
export function sqlState(e: unknown): string | undefined {
  for (let cur = e, depth = 0; cur && typeof cur === 'object' && depth <= MAX_DEPTH; cur = (cur as Loose).cause, depth++) {
    const code = str((cur as Loose).code);
    if (code && SQLSTATE.test(code)) return code;
  }
  return undefined;
}

/** A failed statement (drizzle's wrapper) or an error PostgreSQL or PGlite raised. */
export function isDatabaseError(e: unknown): boolean {
  if (!e || typeof e !== 'object') return false;
  const o = e as Loose;
  return ('query' in o && 'params' in o) || sqlState(e) !== undefined;
}

/** `insert into access_events`, `select from proxy_tokens`: enough to tell statements apart. */
export function statementName(sql: string): string | undefined {
  const text = sql.slice(0, 2000).replace(/\s+/g, ' ').trim().toLowerCase();
  const verb = /^(select|insert|update|delete|with|create|alter|drop|truncate|begin|commit|rollback|set|lock|copy)\b/.exec(text)?.[1];
  if (!verb) return undefined;
  const table =
    verb === 'insert' ? /^insert into "?([\w.]+)"?/.exec(text)?.[1]
    : verb === 'update' ? /^update "?([\w.]+)"?/.exec(text)?.[1]
    : verb === 'delete' ? /^delete from "?([\w.]+)"?/.exec(text)?.[1]
    : verb === 'select' ? / from "?([\w.]+)"?/.exec(text)?.[1]
    : undefined;
  const joiner = { insert: ' into ', delete: ' from ', select: ' from ' }[verb as string] ?? ' ';
  return table ? `${verb}${joiner}${table}` : verb;
}

/** A message with anything from "Failed query:" on cut off, in case a caller wrapped one. */
function scrubbed(message: string): string {
  const cut = message.search(/Failed query:|\bparams:/);
  const kept = (cut >= 0 ? message.slice(0, cut) + '[query text omitted]' : message).replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return kept.length > MAX_MESSAGE ? `${kept.slice(0, MAX_MESSAGE)}…` : kept;
}

function frames(stack: unknown): string[] | undefined {
  if (typeof stack !== 'string') return undefined;
  const out = stack
    .split('\n')
    .filter((l) => /^\s+at \S/.test(l))
    .slice(0, MAX_FRAMES)
    .map((l) => l.trim().slice(0, 300));
  return out.length ? out : undefined;
}

function identifier(v: unknown): string | undefined {
  const s = str(v);
  return s && IDENTIFIER.test(s) ? s : undefined;
}

export function summarizeError(e: unknown, depth = 0): ErrorSummary {
  if (e === null || typeof e !== 'object') {
    // A thrown string or number: we threw it, or a library did; keep it short.
    return { type: typeof e, message: scrubbed(String(e)) };
  }
  const o = e as Loose;
  const type = str(o.constructor && (o.constructor as { name?: unknown }).name) ?? 'Object';
  const out: ErrorSummary = { type };
  // drizzle's wrapper carries `query` and `params`; so does PGlite's own error.
  const query = str(o.query);
  const ownCode = str(o.code);
  const state = ownCode && SQLSTATE.test(ownCode) ? ownCode : undefined;
  if (query !== undefined) out.statement = statementName(query);

  if (state) {
    out.code = state;
    if (SAFE_SQL_CLASSES.has(state.slice(0, 2))) out.message = scrubbed(str(o.message) ?? '');
    out.table = identifier(o.table);
    out.column = identifier(o.column);
    out.constraint = identifier(o.constraint);
  } else if (query === undefined) {
    if (ownCode) out.code = ownCode.slice(0, 64);
    out.message = scrubbed(str(o.message) ?? '');
    out.frames = frames(o.stack);
  }
  // A connection error from `pg` that tried several addresses arrives as an AggregateError.
  const inner = o.cause ?? (Array.isArray(o.errors) ? o.errors[0] : undefined);
  if (inner !== undefined && inner !== e && depth < MAX_DEPTH) out.cause = summarizeError(inner, depth + 1);
  for (const k of Object.keys(out) as (keyof ErrorSummary)[]) if (out[k] === undefined || out[k] === '') delete out[k];
  return out;
}

/** One line for a person: "DrizzleQueryError (insert into proxy_tokens): 23505 on proxy_tokens_token_hash_unique". */
export function describeError(e: unknown): string {
  const parts: string[] = [];
  for (let s: ErrorSummary | undefined = summarizeError(e); s; s = s.cause) {
    const where = [s.code, s.statement, s.constraint && `constraint ${s.constraint}`, s.table && `table ${s.table}`, s.column && `column ${s.column}`]
      .filter(Boolean)
      .join(', ');
    parts.push(`${s.type}${where ? ` (${where})` : ''}${s.message ? `: ${s.message}` : ''}`);
  }
  return parts.join(' ← ');
}
