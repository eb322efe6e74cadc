'use client';

/** The browser's Back, as a button: for pages reached by a link that led nowhere. */
export function BackButton({ className = 'btn' }: { className?: string }) {
  return (
    <button type="button" className={className} onClick={() => window.history.back()}>
      Go back
    </button>
  );
}
