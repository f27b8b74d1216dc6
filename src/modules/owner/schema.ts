import { z } from 'zod';
import { pageQuery } from '../../core/pagination.ts';
import { mobilePhone } from '../../core/validation.ts';
import { ownerRoom } from '../residents/schema.ts';

export const ownerAccount = z.object({
  id: z.string(),
  displayName: z.string(),
  phone: z.string(),
  status: z.enum(['active', 'disabled']),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
});

export const createOwnerBody = z.strictObject({
  displayName: z.string().trim().min(1).max(40),
  phone: mobilePhone,
});
export const ownerQuery = pageQuery.extend({ q: z.string().trim().max(40).optional() });

/** The owner's "my home" page. Rooms, household and vehicles are filled in by the estate and residents module. */
export const ownerHome = z.object({
  owner: z.object({ id: z.string(), displayName: z.string(), phone: z.string() }),
  company: z.object({ id: z.string(), name: z.string(), contactPhone: z.string().nullable() }),
  rooms: z.array(ownerRoom),
});
