export function Logo({ className = 'brand-mark' }: { className?: string }) {
  return (
    <svg className={className} viewBox="0 0 32 32" aria-hidden="true">
      <path d="M16 2 28 9v14l-12 7-12-7V9z" fill="none" stroke="var(--accent)" strokeWidth="2" strokeLinejoin="round" />
      <path d="M16 9v14M9.5 12.5 22.5 19.5M22.5 12.5 9.5 19.5" stroke="var(--accent)" strokeWidth="1.6" strokeLinecap="round" opacity=".55" />
      <circle cx="16" cy="16" r="3.2" fill="var(--accent)" />
    </svg>
  );
}

export function Brand() {
  return (
    <div className="brand">
      <Logo />
      <div>
        <div className="brand-name">Meshward</div>
        <div className="brand-sub">mesh security console</div>
      </div>
    </div>
  );
}
