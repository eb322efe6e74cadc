import { describe, expect, it } from 'vitest';
import { patternText, type Bound, type Node } from './ast';
import { parse } from './parser';

/** The AST as a compact string: (a and b), (a or b), !x, field=pattern, field[lo..hi]. */
function show(n: Node | null): string {
  if (!n) return 'all';
  switch (n.kind) {
    case 'and':
    case 'or':
      return `(${n.children.map(show).join(` ${n.kind} `)})`;
    case 'not':
      return `!${show(n.child)}`;
    case 'text':
      return `~${JSON.stringify(patternText(n.pattern))}`;
    case 'match':
      return `${n.field}=${JSON.stringify(patternText(n.pattern))}${n.pattern.wild ? '*' : ''}`;
    case 'numeric': {
      const b = (x: Bound | null, open: string, close: string) => (x ? `${x.inclusive ? close : open}${x.value}` : '');
      return `${n.field}${b(n.lo, '(', '[')}..${b(n.hi, ')', ']')}`.replace(/\.\.([\])])(.+)$/, '..$2$1');
    }
    case 'address':
      return `addr:${n.match.kind}(${n.match.kind === 'exact' ? n.match.address : n.match.kind === 'cidr' ? n.match.block : `${n.match.from}-${n.match.to}`})`;
    case 'class':
      return `class=${n.name}`;
    case 'detection':
      return `detection=${n.id}`;
  }
}

const p = (q: string) => show(parse(q).root);

describe('parser: terms', () => {
  it('parses the empty query as all events', () => {
    expect(p('')).toBe('all');
    expect(p('  \n\t ')).toBe('all');
  });

  it('maps every field, case-insensitively and by its OTel alias', () => {
    expect(p('service:shop/orders Caller:external METHOD:post path:/a endpoint:/accounts/{id} token:t1 user:u1')).toBe(
      '(service="shop/orders" and caller="external" and method="POST" and path="/a" and endpoint="/accounts/{id}" and token="t1" and user="u1")',
    );
    expect(p('user_agent:curl* proxy:p1 cluster:eu-1 namespace:shop class:credit_card detection:det_1')).toBe(
      '(user_agent="curl*"* and proxy="p1" and cluster="eu-1" and namespace="shop" and class=credit_card and detection=det_1)',
    );
    expect(p('url.path:/x http.response.status_code:404 k8s.namespace.name:shop http.request.method:get')).toBe(
      '(path="/x" and status[404..404] and namespace="shop" and method="GET")',
    );
  });

  it('reads numbers, classes, units, comparisons and ranges', () => {
    expect(p('status:404')).toBe('status[404..404]');
    expect(p('status:4xx')).toBe('status[400..499]');
    expect(p('status:5XX')).toBe('status[500..599]');
    expect(p('status>=500')).toBe('status[500..');
    expect(p('status:>499')).toBe('status(499..');
    expect(p('status<300')).toBe('status..300)');
    expect(p('status:<=299')).toBe('status..299]');
    expect(p('status:[200 TO 299]')).toBe('status[200..299]');
    expect(p('status:[4xx TO 5xx]')).toBe('status[400..599]');
    expect(p('bytes_out>50kb')).toBe('bytes_out(50000..');
    expect(p('bytes_in>=2KiB')).toBe('bytes_in[2048..');
    expect(p('bytes_out:[1.5mb TO *]')).toBe('bytes_out[1500000..');
    expect(p('bytes_out:[* TO 1gib]')).toBe(`bytes_out..${1024 ** 3}]`);
    expect(p('duration>250ms')).toBe('duration(250..');
    expect(p('duration>1.5s')).toBe('duration(1500..');
    expect(p('duration<=250')).toBe('duration..250]');
    expect(p('duration:[500us TO 2m]')).toBe('duration[0.5..120000]');
  });

  it('reads addresses: exact, CIDR, IPv6, ranges', () => {
    expect(p('client.address:10.2.3.4')).toBe('addr:exact(10.2.3.4)');
    expect(p('client.address:10.2.0.0/16')).toBe('addr:cidr(10.2.0.0/16)');
    expect(p('client.address:2001:db8::/32')).toBe('addr:cidr(2001:db8::/32)');
    expect(p('client.address:::ffff:10.0.0.1')).toBe('addr:exact(::ffff:10.0.0.1)');
    expect(p('CLIENT.ADDRESS:"fe80::1"')).toBe('addr:exact(fe80::1)');
    expect(p('client.address:[10.0.0.1 TO 10.0.0.9]')).toBe('addr:range(10.0.0.1-10.0.0.9)');
  });

  it('keeps wildcards in text values and literal text in quotes or escapes', () => {
    expect(p('path:/api/*/orders')).toBe('path="/api/*/orders"*');
    expect(p('path:/a?c')).toBe('path="/a?c"*');
    expect(p('path:"/a*"')).toBe('path="/a*"');
    expect(p('path:/a\\*')).toBe('path="/a*"');
    expect(p('method:P*')).toBe('method="P*"*');
  });

  it('reads bare words and quoted phrases as free text', () => {
    expect(p('sqlmap "python requests" /admin')).toBe('(~"sqlmap" and ~"python requests" and ~"/admin")');
    expect(p('"status:500"')).toBe('~"status:500"');
    expect(p('"a \\"quoted\\" \\\\ word"')).toBe('~"a \\"quoted\\" \\\\ word"');
  });

  it('negates with NOT, -, != and :!=, and cancels double negation', () => {
    expect(p('NOT status:500')).toBe('!status[500..500]');
    expect(p('-status:500')).toBe('!status[500..500]');
    expect(p('status!=500')).toBe('!status[500..500]');
    expect(p('status:!=5xx')).toBe('!status[500..599]');
    expect(p('-path:/health -bot')).toBe('(!path="/health" and !~"bot")');
    expect(p('not NOT a')).toBe('~"a"');
    expect(p('- -a')).toBe('(~"-" and !~"a")');
    expect(p('NOT -status!=1')).toBe('!status[1..1]');
    expect(p('NOT status!=1')).toBe('status[1..1]');
    expect(p('-(NOT a)')).toBe('~"a"');
    expect(p('status:!=[400 TO 499]')).toBe('!status[400..499]');
  });
});

describe('parser: precedence', () => {
  it('binds NOT tighter than AND, and AND tighter than OR', () => {
    expect(p('a OR b AND c')).toBe('(~"a" or (~"b" and ~"c"))');
    expect(p('a AND b OR c')).toBe('((~"a" and ~"b") or ~"c")');
    expect(p('NOT a AND b')).toBe('(!~"a" and ~"b")');
    expect(p('NOT a OR b')).toBe('(!~"a" or ~"b")');
    expect(p('a or b c or d')).toBe('(~"a" or (~"b" and ~"c") or ~"d")');
  });

  it('reads juxtaposition as AND', () => {
    expect(p('a b AND c d')).toBe('(~"a" and ~"b" and ~"c" and ~"d")');
    expect(p('service:x status:5xx OR status:429')).toBe('((service="x" and status[500..599]) or status[429..429])');
  });

  it('groups with parentheses, at any depth', () => {
    expect(p('(a OR b) c')).toBe('((~"a" or ~"b") and ~"c")');
    expect(p('NOT (a OR b)')).toBe('!(~"a" or ~"b")');
    expect(p('-(a b)')).toBe('!(~"a" and ~"b")');
    expect(p('((a))')).toBe('~"a"');
    expect(p('a AND (b OR (c AND NOT d))')).toBe('(~"a" and (~"b" or (~"c" and !~"d")))');
    expect(p(`${'('.repeat(32)}a${')'.repeat(32)}`)).toBe('~"a"');
  });

  it('treats keywords as values after a field, and in quotes', () => {
    expect(p('path:OR "AND"')).toBe('(path="OR" and ~"AND")');
  });

  it('records where each term starts', () => {
    const root = parse('a  status:5xx').root;
    expect(root?.kind === 'and' && root.children.map((c) => ('col' in c ? c.col : 0))).toEqual([1, 4]);
  });
});
