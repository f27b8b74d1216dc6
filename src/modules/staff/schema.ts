import { z } from 'zod';
import { pageQuery } from '../../core/pagination.ts';
import { mobilePhone, newPassword, username } from '../../core/validation.ts';

const ref = z.object({ id: z.string(), name: z.string() });

export const staffMember = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  phone: z.string().nullable(),
  status: z.enum(['active', 'disabled']),
  allCommunities: z.boolean(),
  roles: z.array(ref.extend({ builtinKey: z.string().nullable() })),
  communities: z.array(ref),
  mustChangePassword: z.boolean(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
});
export type StaffMember = z.infer<typeof staffMember>;


export const createStaffBody = z.strictObject({
  username,
  displayName: z.string().trim().min(1).max(40),
  phone: mobilePhone.optional(),
  /** Omit to have a temporary password generated and returned once. */
  password: newPassword.optional(),
  roleIds: z.array(z.uuid()).min(1).max(20),
  communityIds: z.array(z.uuid()).max(500).default([]),
  allCommunities: z.boolean().default(false),
});

export const updateStaffBody = z.strictObject({
  displayName: z.string().trim().min(1).max(40).optional(),
  phone: mobilePhone.nullable().optional(),
  status: z.enum(['active', 'disabled']).optional(),
  roleIds: z.array(z.uuid()).min(1).max(20).optional(),
  communityIds: z.array(z.uuid()).max(500).optional(),
  allCommunities: z.boolean().optional(),
});

export const staffQuery = pageQuery.extend({
  q: z.string().trim().max(40).optional(),
  status: z.enum(['active', 'disabled']).optional(),
  roleId: z.uuid().optional(),
});

export const createdStaff = z.object({ staff: staffMember, temporaryPassword: z.string().nullable() });
export const resetResult = z.object({ temporaryPassword: z.string(), sentBySms: z.boolean() });
