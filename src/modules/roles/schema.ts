import { z } from 'zod';
import { pageQuery } from '../../core/pagination.ts';

export const role = z.object({
  id: z.string(),
  name: z.string(),
  builtinKey: z.string().nullable(),
  description: z.string().nullable(),
  permissions: z.array(z.string()),
  userCount: z.number().int(),
  updatedAt: z.string(),
});
export type Role = z.infer<typeof role>;

const permissionList = z.array(z.string().max(64)).max(200);

export const createRoleBody = z.strictObject({
  name: z.string().trim().min(1).max(40),
  description: z.string().trim().max(200).optional(),
  permissions: permissionList,
});
export const updateRoleBody = z.strictObject({
  name: z.string().trim().min(1).max(40).optional(),
  description: z.string().trim().max(200).nullable().optional(),
  permissions: permissionList.optional(),
});
export const roleQuery = pageQuery.extend({ q: z.string().trim().max(40).optional() });

export const permissionInfo = z.object({ key: z.string(), group: z.string(), zh: z.string(), en: z.string() });
