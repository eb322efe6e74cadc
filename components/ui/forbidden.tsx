import { rolesPhrase, type Permission } from '@/lib/permissions';

/** A page the signed-in person's role may not open, saying which roles may (lib/permissions.ts). */
export function Forbidden({ permission, title }: { permission: Permission; title: string }) {
  return (
    <div className="page stack">
      <div className="page-head">
        <div><h1>{title}</h1></div>
      </div>
      <div className="card">
        <div className="empty" role="alert">
          <strong>You do not have access to this page</strong>
          It needs {rolesPhrase(permission)}. Ask an administrator if you need it.
        </div>
      </div>
    </div>
  );
}
