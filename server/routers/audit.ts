import { auditFilterSchema, listAudit } from '@/server/audit/list';
import { verifyAuditChain } from '@/server/audit/verify';
import { auditReaderProcedure, createRouter } from '@/server/trpc';

/** The audit log, for admins and auditors (SPEC "Roles": PCI-DSS 10.3.1 need-to-know). */
export const auditRouter = createRouter({
  list: auditReaderProcedure.input(auditFilterSchema).query(({ ctx, input }) => listAudit(ctx, input)),
  verify: auditReaderProcedure.query(({ ctx }) => verifyAuditChain(ctx)),
});
