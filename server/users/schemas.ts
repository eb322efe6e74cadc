import { z } from 'zod';
import { ROLES } from '@/db/schema';
import { MIN_PASSWORD_LENGTH } from '@/server/auth/password';

export const roleSchema = z.enum(ROLES);
export const emailSchema = z.string().trim().toLowerCase().email('Enter a valid email address').max(320);
export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Passwords need at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(1024);
export const reasonSchema = z.string().trim().min(3, 'Give a reason (at least 3 characters)').max(1000);

export const createUserInput = z.object({
  email: emailSchema,
  name: z.string().trim().max(200).default(''),
  role: roleSchema,
  /** omitted: a password is generated and returned once */
  password: passwordSchema.optional(),
});
export const setRoleInput = z.object({ userId: z.string().min(1).max(64), role: roleSchema, reason: reasonSchema });
export const setDisabledInput = z.object({ userId: z.string().min(1).max(64), disabled: z.boolean(), reason: reasonSchema });
export const resetPasswordInput = z.object({ userId: z.string().min(1).max(64), reason: reasonSchema });
export const changeOwnPasswordInput = z.object({ current: z.string().min(1).max(1024), next: passwordSchema });
