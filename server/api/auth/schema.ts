/** HTTP shapes of sign-in, first-run setup, accounts and the audit log (strict: unknown fields are refused). */
import { z } from 'zod';
import { ROLES } from '../../security/roles.ts';

const username = z.string().min(1).max(64);
const password = z.string().min(1).max(1024);

export const LoginInput = z.strictObject({ username, password });
export const SetupInput = z.strictObject({ username, password, name: z.string().max(200).optional() });
export const PasswordChangeInput = z.strictObject({ currentPassword: password, newPassword: password });
export const NewUserInput = z.strictObject({
  username, password, roles: z.array(z.enum(ROLES)).min(1).max(4), name: z.string().max(200).optional(),
});
export const UserChangeInput = z
  .strictObject({ roles: z.array(z.enum(ROLES)).min(1).max(4).optional(), disabled: z.boolean().optional(), password: password.optional() })
  .refine((v) => Object.keys(v).length > 0, { message: 'change roles, disabled or password' });
export const UserParams = z.strictObject({ id: username });
export const AuditQuery = z.strictObject({
  after: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});
export const EmptyQuery = z.strictObject({});
