import { z } from 'zod';
import { ROLES } from '@/lib/enums';
import { MIN_PASSWORD_LENGTH } from '@/server/auth/password';

export const roleSchema = z.enum(ROLES);
export const emailSchema = z.string().trim().toLowerCase().email('Enter a valid email address').max(320);
export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Passwords need at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(1024);
export const reasonSchema = z.string().trim().min(3, 'Give a reason (at least 3 characters)').max(1000);
const userId = z.string().min(1).max(64);

/** No password: the account's owner sets it through the one-time link the admin hands over. */
export const createUserInput = z.object({
  email: emailSchema,
  name: z.string().trim().max(200).default(''),
  role: roleSchema,
  /** needed when the account is an admin and a second admin must approve it */
  reason: reasonSchema.optional(),
}).strict();
export const setRoleInput = z.object({ userId, role: roleSchema, reason: reasonSchema });
export const setDisabledInput = z.object({ userId, disabled: z.boolean(), reason: reasonSchema });
export const resetPasswordInput = z.object({ userId, reason: reasonSchema });
export const changeOwnPasswordInput = z.object({ current: z.string().min(1).max(1024), next: passwordSchema });
export const decideGrantInput = z.object({ grantId: z.string().min(1).max(64), decision: z.enum(['approve', 'deny']), reason: reasonSchema });
export const setPasswordWithLinkInput = z.object({ token: z.string().min(1).max(200), password: passwordSchema });
