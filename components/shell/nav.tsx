'use client';

import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { carryTimeParams } from '@/components/ui/time-range-url';
import type { Role } from '@/lib/enums';
import { can, type Permission } from '@/lib/permissions';

const icons = {
  overview: 'M4 13h6V4H4zM14 20h6v-9h-6zM4 20h6v-4H4zM14 4v4h6V4z',
  graph: 'M6 6m-2 0a2 2 0 1 0 4 0a2 2 0 1 0-4 0M18 6m-2 0a2 2 0 1 0 4 0a2 2 0 1 0-4 0M12 18m-2 0a2 2 0 1 0 4 0a2 2 0 1 0-4 0M7.5 7.5 11 16.5M16.5 7.5 13 16.5M8 6h8',
  data: 'M12 3 4 7v5c0 5 3.5 8 8 9 4.5-1 8-4 8-9V7zM9 12l2 2 4-4',
  fleet: 'M3 6h18M3 12h18M3 18h18M7 6v0M7 12v0M7 18v0',
  apis: 'M8 6 3 12l5 6M16 6l5 6-5 6M14 4l-4 16',
  policies: 'M12 3 4 6v6c0 4.5 3.4 8.3 8 9 4.6-.7 8-4.5 8-9V6zM9 12h6M12 9v6',
  users: 'M16 19v-1a4 4 0 0 0-4-4H7a4 4 0 0 0-4 4v1M9.5 10a3 3 0 1 0 0-6 3 3 0 0 0 0 6M21 19v-1a4 4 0 0 0-3-3.87M15.5 4.13a3 3 0 0 1 0 5.74',
  audit: 'M9 4h6l1 2h3v14H5V6h3zM9 12l2 2 4-4',
  account: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8M4 21v-1a6 6 0 0 1 6-6h4a6 6 0 0 1 6 6v1',
  detections: 'M12 3 2.5 20h19zM12 10v4.5M12 17.2v.3',
  search: 'M11 11m-7 0a7 7 0 1 0 14 0a7 7 0 1 0-14 0M16 16l5 5',
  reports: 'M7 3h7l5 5v13H7zM14 3v5h5M10 13h6M10 17h6',
  thresholds: 'M4 7h9M17 7h3M15 5v4M4 17h3M11 17h9M9 15v4',
  clusters: 'M12 3l7 4v8l-7 4-7-4V7zM12 11l7-4M12 11 5 7M12 11v8',
  classifiers: 'M5 4h9l5 5v11H5zM9 13h4M9 17h2M16.5 16.5l2.5 2.5M14 15.5a2.5 2.5 0 1 0 0-.01',
};

interface Item {
  href: string;
  label: string;
  icon: keyof typeof icons;
  /** who sees the entry (lib/permissions.ts); every signed-in person when absent */
  permission?: Permission;
}

// Only pages that exist are listed; each later area adds its entry here.
const sections: Array<{ title: string; items: Item[] }> = [
  {
    title: 'Observe',
    items: [
      { href: '/', label: 'Overview', icon: 'overview' },
      { href: '/graph', label: 'Service graph', icon: 'graph' },
      { href: '/data', label: 'Sensitive data', icon: 'data' },
      { href: '/search', label: 'Search', icon: 'search' },
    ],
  },
  {
    title: 'Detect',
    items: [
      { href: '/detections', label: 'Detections', icon: 'detections' },
      { href: '/settings/thresholds', label: 'Thresholds', icon: 'thresholds' },
    ],
  },
  {
    title: 'Operate',
    items: [
      { href: '/apis', label: 'APIs', icon: 'apis' },
      { href: '/policies', label: 'Policies', icon: 'policies' },
      { href: '/settings/clusters', label: 'Clusters', icon: 'clusters' },
      { href: '/data/classifiers', label: 'Classifiers', icon: 'classifiers' },
      { href: '/fleet', label: 'Fleet', icon: 'fleet' },
      { href: '/reports', label: 'Reports', icon: 'reports' },
    ],
  },
  {
    title: 'Administer',
    items: [
      { href: '/settings/users', label: 'Users', icon: 'users', permission: 'administer' },
      { href: '/audit', label: 'Audit log', icon: 'audit', permission: 'readAudit' },
      { href: '/settings/account', label: 'My account', icon: 'account' },
    ],
  },
];

export function Nav({ role }: { role: Role }) {
  const pathname = usePathname();
  // the time range, refresh and zone follow the analyst from page to page
  const params = useSearchParams();
  // the entry whose page this is: the longest href the path is under (/data/classifiers, not /data)
  const under = (href: string) => pathname === href || (href !== '/' && pathname.startsWith(`${href}/`));
  const current = sections.flatMap((s) => s.items).filter((i) => under(i.href)).sort((a, b) => b.href.length - a.href.length)[0]?.href;
  return (
    <nav className="nav" aria-label="Main">
      {sections.map((s) => {
        const items = s.items.filter((i) => !i.permission || can(role, i.permission));
        if (!items.length) return null;
        return (
          <div key={s.title}>
            <div className="nav-section">{s.title}</div>
            {items.map((i) => (
              <Link key={i.href} href={carryTimeParams(i.href, params)} aria-current={i.href === current ? 'page' : undefined}>
                <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
                  <path d={icons[i.icon]} />
                </svg>
                {i.label}
              </Link>
            ))}
          </div>
        );
      })}
    </nav>
  );
}
