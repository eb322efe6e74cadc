import type { Role } from '@/lib/enums';

const tone: Record<Role, string> = { admin: 'danger', analyst: 'info', viewer: '', auditor: '' };

export function RoleBadge({ role }: { role: Role }) {
  return <span className={`badge plain ${tone[role]}`}>{role}</span>;
}
