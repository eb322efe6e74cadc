import { full } from '@/components/ui/format';
import { ruleSentence, type LiteralEvidence, type ParamEvidence, type SegmentEvidence } from '@/lib/segment-evidence';
import { parseTemplate } from '@/server/discovery/template';

/** How many names of one kind: `1 value`, `412 values`. */
const many = (n: number, one: string, more = `${one}s`) => `${full(n)} ${n === 1 ? one : more}`;
/** A per-value figure: 1.3, 12, 1,204. */
const figure = (n: number) => (n < 100 ? String(Math.round(n * 10) / 10) : full(n));
/** `1 request`, `1.3 requests`, `12 requests`. */
const perValue = (n: number) => `${figure(n)} ${figure(n) === '1' ? 'request' : 'requests'}`;

/** Each path parameter's evidence, in the order of the template's parameters (undefined where none was kept). */
export function paramEvidenceOf(template: string, evidence: SegmentEvidence[] | null): (ParamEvidence | undefined)[] {
  const byAt = new Map<number, ParamEvidence>();
  for (const x of evidence ?? []) if (x.kind === 'param') byAt.set(x.at, x);
  return parseTemplate(template).flatMap((s, at) => (s.kind === 'literal' ? [] : [byAt.get(at)]));
}

/** `412 values, 1.3 requests each (median); rule: many names requested rarely; kept literal beside it: trending (900)` */
export function ParamEvidenceLine({ evidence }: { evidence: ParamEvidence }) {
  const more = evidence.keptLiterals - evidence.literals.length;
  return (
    <span className="muted small" data-testid="param-evidence">
      {many(evidence.values, 'value')} with {many(evidence.requests, 'request')}, {perValue(evidence.median)} each (median)
      {evidence.rules.length ? (
        <>; {evidence.rules.length === 1 ? 'rule' : 'rules'}: {evidence.rules.map((r, i) => (
          <span key={r.code}>{i > 0 ? ', ' : null}{ruleSentence(r.code)}{evidence.rules.length > 1 ? ` (${full(r.keys)})` : null}</span>
        ))}</>
      ) : null}
      {evidence.literals.length ? (
        <>; kept literal beside it: {evidence.literals.map((l, i) => (
          <span key={l.name}>{i > 0 ? ', ' : null}<span className="mono">{l.name}</span> ({full(l.requests)})</span>
        ))}{more > 0 ? ` and ${full(more)} more` : null}</>
      ) : null}
    </span>
  );
}

/** Why one literal stayed: the rule's sentence, with the figures that make it checkable. */
function literalWhy(x: LiteralEvidence): string {
  const requests = many(x.requests, 'request');
  const names = `${many(x.siblings, 'other name')} here`;
  if (x.code === 'busy-beside-param' && x.beside) return `${requests}, busy beside {${x.beside.name}} whose values have ${perValue(x.beside.median)} each (median); ${names}`;
  const beside = x.beside ? `; beside {${x.beside.name}}, ${perValue(x.beside.median)} per value (median)` : '';
  return `${requests}, ${ruleSentence(x.code)}; ${names}${beside}`;
}

/**
 * The literal segments that had other names beside them, each with why it stayed literal;
 * an analyst's template, or one learned before evidence was kept, says so instead.
 */
export function SegmentEvidenceList({ template, origin, evidence }: { template: string; origin: 'learned' | 'manual'; evidence: SegmentEvidence[] | null }) {
  if (origin === 'manual' || evidence === null) {
    return (
      <div className="card-body muted">
        {origin === 'manual' ? 'Made by an analyst (a merge or a split): no learner evidence.' : 'No evidence kept yet: discovery records it when it next writes this endpoint.'}
      </div>
    );
  }
  const segs = parseTemplate(template);
  const literals = evidence.filter((x): x is LiteralEvidence => x.kind === 'literal' && segs[x.at]?.kind === 'literal').sort((a, b) => a.at - b.at);
  if (literals.length === 0) return <div className="card-body muted">Each literal segment was the only name at its position.</div>;
  return (
    <ul className="card-body segment-evidence" data-testid="segment-evidence">
      {literals.map((x) => {
        const s = segs[x.at];
        return (
          <li key={x.at}>
            <span className="mono">{s.kind === 'literal' ? s.text : ''}</span> kept literal: <span className="muted">{literalWhy(x)}</span>
          </li>
        );
      })}
    </ul>
  );
}
