import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { expect, it } from 'vitest';
import { ErrorPanel } from './error-panel';

const render = (error: unknown, standalone = false) => renderToStaticMarkup(createElement(ErrorPanel, { error, retry: () => undefined, standalone }));

it('says the page failed and offers Try again and the overview, never the error\'s own message', () => {
  const server = Object.assign(new Error('connect ECONNREFUSED 10.20.0.5:5432 (relation "users" in /srv/meshward/db)'), { digest: '2718281828' });
  const html = render(server);
  expect(html).toContain('Something went wrong');
  expect(html).toContain('Try again');
  expect(html).toContain('href="/"');
  expect(html).toContain('2718281828'); // the reference the console log carries
  for (const secret of ['ECONNREFUSED', '10.20.0.5', 'users', '/srv/meshward']) expect(html).not.toContain(secret);
});

it('a client-side error (no digest) or a thrown non-error still gets the panel, without a reference', () => {
  for (const thrown of [new TypeError("Cannot read properties of undefined (reading 'rows')"), 'a string', null, { digest: 42 }]) {
    const html = render(thrown);
    expect(html).toContain('Something went wrong');
    expect(html).not.toContain('data-testid="error-digest"');
    expect(html).not.toContain('rows');
  }
  expect(render(new Error('x'), true)).toContain('auth-card');
});
