import { describe, expect, it } from 'vitest';
import { QueryError } from './errors';
import { parse } from './parser';

const FIELDS = 'fields are service, caller, method, path, endpoint, status, token, user, client.address, user_agent, class, bytes_out, bytes_in, duration, proxy, cluster, namespace, detection; to search for the text itself, put it in quotes';

function error(input: string): { column: number; detail: string } {
  try {
    parse(input);
  } catch (e) {
    if (!(e instanceof QueryError)) throw e;
    expect(e.message).toBe(`col ${e.column}: ${e.detail}`);
    return { column: e.column, detail: e.detail };
  }
  throw new Error(`${JSON.stringify(input)} parsed without an error`);
}

describe('parser: errors point at the column to fix', () => {
  it.each([
    // structure
    ['service:shop status:', 21, 'expected a value after "status:"'],
    ['status: 200', 8, 'expected a value after "status:" (remove the space after ":")'],
    ['bytes_out:>= 5', 13, 'expected a value after "bytes_out:>=" (remove the space after ":>=")'],
    ['path:(a OR b)', 6, 'expected a value after "path:" (a field takes one value: write path:a OR path:b)'],
    ['(status:500 OR (path:/a)', 25, 'unclosed parenthesis opened at col 1'],
    ['a AND (b OR (c)', 16, 'unclosed parenthesis opened at col 7'],
    ['(', 2, 'unclosed parenthesis opened at col 1'],
    [')', 1, 'unexpected ")" without a matching "("'],
    ['(a))', 4, 'unexpected ")" without a matching "("'],
    ['a ()', 3, 'empty parentheses: put a term inside or remove them'],
    ['OR a', 1, 'OR needs a term before it'],
    ['and a', 1, 'AND needs a term before it'],
    ['a OR', 5, 'expected a term after OR'],
    ['a AND', 6, 'expected a term after AND'],
    ['a OR AND b', 6, 'expected a term after OR, found AND'],
    ['NOT', 4, 'expected a term after NOT'],
    ['NOT )', 5, 'expected a term after NOT, found ")"'],
    ['(a OR )', 7, 'expected a term after OR, found ")"'],
    ['""', 1, 'empty quotes search for nothing: put text inside or remove them'],
    // fields
    ['method:GET stauts:200', 12, `unknown field "stauts" (did you mean "status"?); ${FIELDS}`],
    ['client.adress:1.2.3.4', 1, `unknown field "client.adress" (did you mean "client.address"?); ${FIELDS}`],
    ['zzzzzz:1', 1, `unknown field "zzzzzz"; ${FIELDS}`],
    // ranges
    ['status:[400 TO', 15, 'expected the end of the range opened at col 8'],
    ['status:[400 499]', 13, 'expected "TO" in the range opened at col 8 ([A TO B])'],
    ['status:[400 TO 499', 19, 'expected "]" to close the range opened at col 8'],
    ['status:[400 TO 499 500]', 20, 'expected "]" to close the range opened at col 8'],
    ['status:[TO 5]', 9, 'expected the start of the range opened at col 8, found TO'],
    ['status:[500 TO 400]', 9, 'the range starts at 500, after its end 400'],
    ['status:[5xx TO 2xx]', 9, 'the range starts at 5xx, after its end 2xx'],
    ['status:[* TO *]', 8, '[* TO *] matches everything; give at least one end of the range'],
    ['status>[1 TO 2]', 8, 'a range follows ":" (status:[A TO B]), not ">"'],
    ['path:[a TO b]', 6, 'ranges work on numbers and addresses, and path is text (use wildcards: path:/api/*/orders)'],
    ['class:[a TO b]', 7, 'ranges work on numbers and addresses, and class is not one'],
    ['client.address:[10.0.0.1 TO *]', 16, 'an address range needs both ends (client.address:[10.0.0.1 TO 10.0.0.9])'],
    ['client.address:[10.0.0.1 TO ::1]', 29, 'both ends of an address range must be IPv4, or both IPv6'],
    ['client.address:[10.0.0.1 TO x]', 29, '"x" is not an address'],
    // numbers
    ['status:abc', 8, '"abc" is not a number (status takes an integer, or 2xx/4xx/5xx)'],
    ['status:1e3', 8, '"1e3" is not a number (status takes an integer, or 2xx/4xx/5xx)'],
    ['status:-1', 8, '"-1" is not a number (status takes an integer, or 2xx/4xx/5xx)'],
    ['status:2.5', 8, '"2.5" is not a number (status takes an integer, or 2xx/4xx/5xx)'],
    ['status:1000', 8, '1000 is not an HTTP status (0 to 999)'],
    ['status:4*', 8, 'wildcards work on text fields only; for a status class write status:4xx'],
    ['status:*', 8, 'wildcards work on text fields only; status takes an integer, or 2xx/4xx/5xx'],
    ['status>4xx', 8, 'compare status with a number (status>=500), or match a class with status:4xx'],
    ['bytes_out>10zb', 13, 'unknown unit "zb" for bytes_out (use b, kb, kib, mb, mib, gb, gib, tb, tib)'],
    ['bytes_out:1.5', 11, '1.5 is not a whole number of bytes'],
    ['bytes_in:9999999999999999gb', 10, '9999999999999999gb is too large for bytes_in'],
    ['bytes_in:12345678901234567', 10, '"12345678901234567" is not a number (bytes_in takes a whole number of bytes, optionally with a unit: 50kb, 2MiB)'],
    ['duration>abc', 10, '"abc" is not a number (duration takes milliseconds, or a number with a unit: 250ms, 1.5s)'],
    ['duration>5d', 11, 'unknown unit "d" for duration (use us, µs, ms, s, m, min, h)'],
    ['duration>9999999999999999h', 10, '9999999999999999h is too long for a duration'],
    // text and other kinds
    ['path>5', 5, '">" compares numbers, and path is text (to match text that starts with ">", quote it: path:">5")'],
    ['service:<=x', 8, '"<=" compares numbers, and service is text (to match text that starts with "<=", quote it: service:"<=x")'],
    ['method:"GE T"', 8, '"GE T" is not an HTTP method (letters, digits and !#$%&\'*+-.^_`|~ only, e.g. method:POST)'],
    ['method:""', 8, 'expected an HTTP method, e.g. method:POST'],
    ['client.address:10.2.0.0/33', 16, '"10.2.0.0/33" is not an address or a CIDR block (e.g. 10.2.0.0/16, 2001:db8::/32)'],
    ['client.address:010.0.0.1', 16, '"010.0.0.1" is not an address or a CIDR block (e.g. 10.2.0.0/16, 2001:db8::/32)'],
    ['client.address:fe80::1%eth0', 16, '"fe80::1%eth0" is not an address or a CIDR block (e.g. 10.2.0.0/16, 2001:db8::/32)'],
    ['client.address:10.2.*', 16, 'wildcards work on text fields only; client.address takes an address or a CIDR block such as 10.2.0.0/16'],
    ['client.address>10.0.0.1', 15, '">" compares numbers; for a span of addresses use a CIDR block (client.address:10.2.0.0/16) or a range (client.address:[10.0.0.1 TO 10.0.0.9])'],
    ['class:credit*', 7, 'wildcards work on text fields only; class takes a class name such as credit_card'],
    ['class:"credit card"', 7, '"credit card" is not a sensitive-data class name (letters, digits, _ . - only, e.g. class:credit_card)'],
    ['class>1', 6, '">" compares numbers; class takes a class name (class:credit_card)'],
    ['detection:""', 11, '"" is not a detection id'],
    ['detection<1', 10, '"<" compares numbers; detection takes a detection id (detection:det_01HV…)'],
    // lexical
    ['path:"abc', 10, 'unclosed quote opened at col 6'],
    ['a\u0000b', 2, 'control character U+0000 is not allowed in a query'],
  ])('%j → col %i', (input, column, detail) => {
    expect(error(input)).toEqual({ column, detail });
  });

  it('shortens a long value in a message', () => {
    expect(error(`status:${'a'.repeat(100)}`).detail).toBe(`"${'a'.repeat(40)}…" is not a number (status takes an integer, or 2xx/4xx/5xx)`);
  });
});

describe('parser: limits', () => {
  it('accepts 2,000 characters and refuses 2,001', () => {
    expect(() => parse(`"${'a'.repeat(1998)}"`)).not.toThrow();
    expect(error('a'.repeat(2001))).toEqual({ column: 2001, detail: 'the query is 2,001 characters long; the limit is 2,000' });
  });

  it('accepts 64 terms and refuses the 65th where it starts', () => {
    expect(() => parse('a '.repeat(64))).not.toThrow();
    expect(error('a '.repeat(64) + 'status:500')).toEqual({ column: 129, detail: 'too many terms: the limit is 64' });
  });

  it('accepts 32 levels of parentheses and refuses the 33rd', () => {
    expect(error(`${'('.repeat(33)}a${')'.repeat(33)}`)).toEqual({ column: 33, detail: 'parentheses are nested more than 32 deep' });
    expect(error(`a ${'(b '.repeat(40)}`)).toEqual({ column: 99, detail: 'parentheses are nested more than 32 deep' });
  });

  it('takes any run of negations without nesting', () => {
    expect(parse('NOT '.repeat(400) + '-'.repeat(399) + 'a').root?.kind).toBe('not');
  });
});
