// Which identifier shape a path parameter gets. The schema decides when it is specific (enum,
// boolean, integer, number, uuid/date/date-time/email formats); otherwise the words of the
// parameter's name pick a family of shapes, and a draw per service and name picks a main shape
// and a second one mixed in, so the same name does not always get the same shape. Each service
// also favours one id shape (its convention).
import type { Shape } from './id-shapes';
import type { ParamSchema } from './api-model';
import type { Prng, Weighted } from './prng';

/** `resourceGroupName` → resource group name; `customer_ID` → customer id */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

type Family = 'vocab' | 'phone' | 'email' | 'version' | 'date' | 'time' | 'code' | 'sku' | 'product' | 'person' | 'container' | 'label' | 'ticket' | 'secret' | 'id' | 'number' | 'other';

const FAMILY_WORDS: [Family, string][] = [
  ['vocab', 'type kind status state category format mode scope sort level action view section grade tier'],
  ['phone', 'phone msisdn mobile tel cell sms'],
  ['email', 'email mail mailbox'],
  ['version', 'version release semver tag build revision'],
  ['time', 'time timestamp datetime instant epoch'],
  ['date', 'date day from to since until start end month week birthday period'],
  ['code', 'code country lang language locale airport iata icao symbol ticker station port market exchange iso currency unit'],
  ['sku', 'sku upc ean barcode gtin part'],
  ['product', 'product products item items article variant model offer listing catalog design style recipe'],
  ['person', 'user users username owner author member customer employee person contact login handle assignee agent player patient driver creator actor profile subscriber recipient sender seller buyer admin teacher student athlete artist guest reviewer nickname'],
  ['container', 'org organization organisation team workspace project repo repository group tenant company site space board channel folder bucket cluster namespace vault environment env app application store shop pipeline queue topic stream database db server instance zone resource service function job lab league brand account registry gateway network vm'],
  ['label', 'name title label slug alias'],
  ['ticket', 'issue ticket case incident story task bug key'],
  ['secret', 'token secret apikey signature nonce session cursor hash sha digest checksum etag fingerprint commit'],
  ['id', 'id ids uid guid uuid ref reference identifier pk oid'],
  ['number', 'number num no index seq sequence count year'],
];
const FAMILY_OF = new Map<string, Family>();
for (const [f, list] of FAMILY_WORDS) for (const w of list.split(' ')) FAMILY_OF.set(w, f);

const FAMILY_SHAPES: Record<Family, Weighted<Shape>> = {
  vocab: [['vocab', 17], ['word-slug', 2], ['upper-code', 1]],
  phone: [['e164', 9], ['integer', 1]],
  email: [['email', 17], ['person-login', 3]],
  version: [['semver', 14], ['integer', 3], ['word-slug', 3]],
  time: [['timestamp', 8], ['date', 2]],
  date: [['date', 17], ['timestamp', 3]],
  code: [['upper-code', 17], ['ticket-key', 1], ['mixed-case', 2]],
  sku: [['sku', 15], ['integer', 5]],
  product: [['product', 9], ['sku', 4], ['word-slug', 3], ['integer', 2], ['prefixed', 2]],
  person: [['person-pascal', 7], ['person-login', 6], ['email', 2], ['prefixed', 2], ['integer', 2], ['uuid', 1]],
  container: [['word-slug', 8], ['pascal-words', 4], ['person-pascal', 2], ['mixed-case', 2], ['prefixed', 2], ['integer', 2]],
  label: [['word-slug', 9], ['pascal-words', 5], ['person-pascal', 3], ['product', 3]],
  ticket: [['ticket-key', 11], ['integer', 6], ['prefixed', 3]],
  secret: [['base62', 8], ['hex', 7], ['mixed-case', 3], ['ksuid', 2]],
  id: [['integer', 12], ['uuid', 8], ['ulid', 5], ['ksuid', 3], ['prefixed', 9], ['base62', 5], ['mixed-case', 3], ['word-slug', 2], ['upper-code', 2]],
  number: [['integer', 14], ['ticket-key', 3], ['upper-code', 3]],
  other: [['word-slug', 4], ['pascal-words', 3], ['person-pascal', 2], ['mixed-case', 2], ['base62', 2], ['prefixed', 2], ['integer', 3], ['uuid', 2], ['upper-code', 1]],
};

/** Shapes a service may use as its id convention. */
const CONVENTIONS: Weighted<Shape> = [['integer', 4], ['uuid', 3], ['ulid', 2], ['ksuid', 1], ['prefixed', 3], ['base62', 1], ['mixed-case', 1]];

export function serviceConvention(rng: Prng): Shape {
  return rng.byWeight(CONVENTIONS);
}

/** The family of a name: its last word that names one; an `id` after a noun takes the noun's family, slightly. */
export function familyOf(words: string[]): { family: Family; noun?: string } {
  for (let i = words.length - 1; i >= 0; i--) {
    const f = FAMILY_OF.get(words[i]) ?? FAMILY_OF.get(words[i].replace(/s$/, ''));
    if (!f) continue;
    const noun = i > 0 ? words[i - 1] : undefined;
    if ((f === 'id' || f === 'number') && noun) {
      const nf = FAMILY_OF.get(noun) ?? FAMILY_OF.get(noun.replace(/s$/, ''));
      if (nf === 'person' || nf === 'product' || nf === 'ticket' || nf === 'sku' || nf === 'phone') return { family: nf, noun };
    }
    return { family: f, noun: f === 'id' || f === 'number' ? noun : words[i] };
  }
  return { family: 'other', noun: words[0] };
}

export type ValuePlan =
  | { kind: 'enum'; values: string[] }
  | { kind: 'shape'; main: Shape; second: Shape; secondShare: number; noun?: string };

/** The plan for one parameter of one service. */
export function planParam(name: string, schema: ParamSchema, convention: Shape, rng: Prng): ValuePlan {
  const words = nameWords(name);
  if (schema.enum?.length) return { kind: 'enum', values: schema.enum };
  if (schema.type === 'boolean') return { kind: 'enum', values: ['true', 'false'] };
  const fixed = (s: Shape): ValuePlan => ({ kind: 'shape', main: s, second: s, secondShare: 0, noun: words[0] });
  const fmt = schema.format ?? '';
  if (fmt === 'uuid' || fmt === 'guid') return fixed('uuid');
  if (fmt === 'date') return fixed('date');
  if (fmt === 'date-time') return fixed('timestamp');
  if (fmt === 'email') return fixed('email');
  if (schema.type === 'integer' || /^u?int(32|64)?$/.test(fmt)) return fixed('integer');
  if (schema.type === 'number') return fixed(rng.chance(0.7) ? 'integer' : 'decimal');
  if (schema.pattern && /^\^?(\[0-9\]|\\d)[+*]?(\{\d+(,\d*)?\})?\$?$/.test(schema.pattern)) return fixed('integer');
  const { family, noun } = familyOf(words);
  let table: Weighted<Shape> = FAMILY_SHAPES[family];
  if (family === 'id' || family === 'other') table = table.map(([s, w]) => [s, s === convention ? w * 3 : w] as const);
  const main = rng.byWeight(table);
  const second = rng.byWeight(table);
  const secondShare = second === main || rng.chance(0.5) ? 0 : 0.05 + rng.unit() * 0.2;
  return { kind: 'shape', main, second, secondShare, noun };
}
