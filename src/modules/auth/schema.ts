import { z } from 'zod';
import { mobilePhone, newPassword } from '../../core/validation.ts';

export const loginBody = z.strictObject({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(128),
});

export const otpRequestBody = z.strictObject({ phone: mobilePhone });
export const otpVerifyBody = z.strictObject({
  phone: mobilePhone,
  code: z.string().regex(/^\d{6}$/),
  companyId: z.uuid().optional(),
});

export const changePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(128),
  newPassword,
});

export const communityRef = z.object({ id: z.string(), name: z.string(), code: z.string() });

export const me = z.object({
  user: z.object({
    id: z.string(),
    kind: z.enum(['operator', 'staff', 'owner']),
    username: z.string().nullable(),
    displayName: z.string(),
    phone: z.string().nullable(),
    companyId: z.string().nullable(),
    companyName: z.string().nullable(),
    mustChangePassword: z.boolean(),
    /** builtinKey lets a client show a built-in role's name in its own language. */
    roles: z.array(z.object({ id: z.string(), name: z.string(), builtinKey: z.string().nullable() })),
  }),
  /** The permissions the caller holds; the UI hides what is not listed. */
  abilities: z.array(z.string()),
  /** Communities the caller may work in (the console's community switcher). */
  communities: z.array(communityRef),
  /** Send it back as the `x-csrf-token` header on every POST, PUT, PATCH and DELETE. */
  csrfToken: z.string(),
});
export type Me = z.infer<typeof me>;

export const otpRequestResult = z.object({ sent: z.literal(true), expiresInSeconds: z.number(), cooldownSeconds: z.number() });

export const sessionInfo = z.object({
  id: z.string(),
  current: z.boolean(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  expiresAt: z.string(),
});
