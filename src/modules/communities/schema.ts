import { z } from 'zod';
import { pageQuery } from '../../core/pagination.ts';

export const community = z.object({
  id: z.string(),
  name: z.string(),
  code: z.string(),
  address: z.string().nullable(),
  timeZone: z.string(),
  createdAt: z.string(),
});
export type Community = z.infer<typeof community>;

export const createCommunityBody = z.strictObject({
  name: z.string().trim().min(2).max(60),
  code: z.string().trim().min(1).max(32).regex(/^[A-Za-z0-9-]+$/),
  address: z.string().trim().max(200).optional(),
  timeZone: z.string().trim().max(40).default('Asia/Shanghai'),
});
export const updateCommunityBody = z.strictObject({
  name: z.string().trim().min(2).max(60).optional(),
  address: z.string().trim().max(200).nullable().optional(),
});
export const communityQuery = pageQuery.extend({ q: z.string().trim().max(60).optional() });
