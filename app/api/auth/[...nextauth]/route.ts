import { handlers } from '@/server/auth/authjs';

export const dynamic = 'force-dynamic';
export const { GET, POST } = handlers;
