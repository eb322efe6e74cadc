export function Forbidden({ role, title }: { role: string; title: string }) {
  return (
    <div className="page stack">
      <div className="page-head">
        <div><h1>{title}</h1></div>
      </div>
      <div className="card">
        <div className="empty" role="alert">
          <strong>You do not have access to this page</strong>
          It needs the {role} role. Ask an administrator if you need it.
        </div>
      </div>
    </div>
  );
}
