import { z } from 'zod';
import { pageQuery } from '../../core/pagination.ts';
import { mobilePhone, newPassword, username } from '../../core/validation.ts';

export const company = z.object({
  id: z.string(),
  name: z.string(),
  code: z.string(),
  status: z.enum(['active', 'suspended']),
  contactPhone: z.string().nullable(),
  communityCount: z.number().int(),
  staffCount: z.number().int(),
  createdAt: z.string(),
});
export type Company = z.infer<typeof company>;

export const createCompanyBody = z.strictObject({
  name: z.string().trim().min(2).max(80),
  code: z.string().trim().min(2).max(32).regex(/^[a-z0-9][a-z0-9-]*$/),
  contactPhone: mobilePhone.optional(),
  admin: z.strictObject({
    username,
    displayName: z.string().trim().min(1).max(40),
    password: newPassword.optional(),
  }),
});
export type CreateCompanyInput = z.infer<typeof createCompanyBody>;

export const updateCompanyBody = z.strictObject({
  name: z.string().trim().min(2).max(80).optional(),
  status: z.enum(['active', 'suspended']).optional(),
  contactPhone: mobilePhone.nullable().optional(),
});

export const companyQuery = pageQuery.extend({ q: z.string().trim().max(80).optional() });
export const createdCompany = z.object({ company, adminId: z.string(), temporaryPassword: z.string().nullable() });
