import type { ReactNode } from 'react';

/** The footer of a paged table: what is shown on the left, Previous / Page k of n / Next on the right. */
export function Pager({ summary, page, pages, onPage }: { summary: ReactNode; page: number; pages: number; onPage: (page: number) => void }) {
  return (
    <div className="pager">
      <span>{summary}</span>
      <span className="spacer" />
      <button className="btn small" disabled={page === 0} onClick={() => onPage(page - 1)}>Previous</button>
      <span>Page {page + 1} of {pages}</span>
      <button className="btn small" disabled={page + 1 >= pages} onClick={() => onPage(page + 1)}>Next</button>
    </div>
  );
}
