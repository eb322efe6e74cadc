import type { ReactNode } from 'react';
import type { Actor } from '@/server/context';
import { Brand } from './logo';
import { Nav } from './nav';
import { SignOutButton } from './sign-out-button';
import { RoleBadge } from '@/components/ui/role-badge';
import { DisplayZoneProvider } from '@/components/ui/display-zone';

export function Shell({ actor, children }: { actor: Actor; children: ReactNode }) {
  return (
    <div className="shell">
      <aside className="sidebar">
        <Brand />
        <Nav role={actor.role} />
        <div className="sidebar-foot">
          <div className="who">
            <span className="who-email" title={actor.email}>{actor.email}</span>
            <span><RoleBadge role={actor.role} /></span>
          </div>
          <SignOutButton />
        </div>
      </aside>
      <main className="main" id="main"><DisplayZoneProvider>{children}</DisplayZoneProvider></main>
    </div>
  );
}
