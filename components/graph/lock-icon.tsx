/** A padlock, shut for mutual TLS and open without; drawn, since emoji fonts are not everywhere. */
export function LockIcon({ open = false }: { open?: boolean }) {
  return (
    <svg className="lock-icon" width="10" height="12" viewBox="0 0 10 12" aria-hidden="true">
      <path d={open ? 'M2.5 5V3.5a2.5 2.5 0 0 1 4.9-.7' : 'M2.5 5V3.5a2.5 2.5 0 0 1 5 0V5'} fill="none" stroke="currentColor" strokeWidth="1.4" />
      <rect x="1" y="5" width="8" height="6.5" rx="1.2" fill="currentColor" />
    </svg>
  );
}
