import type { SensitiveMatch } from './record';

/** OTLP/JSON AnyValue builders, for senders that speak OTLP (the simulator, the ingest bench). */
export type AnyValue = Record<string, unknown>;
export const str = (s: string): AnyValue => ({ stringValue: s });
export const int = (n: number): AnyValue => ({ intValue: String(n) });
export const kv = (key: string, value: AnyValue) => ({ key, value });

/**
 * `meshward.sensitive` as a filter reports it: an array of kvlists, or (as some filters send
 * it) the same matches as one JSON string.
 */
export function otlpSensitive(matches: SensitiveMatch[], asString: boolean): AnyValue {
  if (asString) return str(JSON.stringify(matches));
  return {
    arrayValue: {
      values: matches.map((m) => ({
        kvlistValue: {
          values: [
            kv('class', str(m.class)), kv('direction', str(m.direction)), kv('count', int(m.count)),
            ...(m.path ? [kv('path', str(m.path))] : []), ...(m.partial ? [kv('partial', str(m.partial))] : []),
          ],
        },
      })),
    },
  };
}
