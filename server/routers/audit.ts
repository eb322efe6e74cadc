import { auditFilterSchema, listAudit } from '@/server/audit/list';
import { verifyAuditChain } from '@/server/audit/verify';
import { adminProcedure, createRouter } from '@/server/trpc';

export const auditRouter = createRouter({
  list: adminProcedure.input(auditFilterSchema).query(({ ctx, input }) => listAudit(ctx, input)),
  verify: adminProcedure.query(({ ctx }) => verifyAuditChain(ctx)),
});
