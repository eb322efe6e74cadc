export function Forbidden({ role }: { role: string }) {
  return (
    <div className="page">
      <div className="card">
        <div className="empty" role="alert">
          <strong>You do not have access to this page</strong>
          It needs the {role} role. Ask an administrator if you need it.
        </div>
      </div>
    </div>
  );
}
