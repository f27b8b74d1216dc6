import { z } from 'zod';
import { pageQuery } from '../../core/pagination.ts';

export const outboxMessage = z.object({
  id: z.string(),
  phone: z.string(),
  template: z.string(),
  body: z.string(),
  provider: z.string(),
  status: z.enum(['queued', 'sent', 'failed', 'stored']),
  error: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});
export type OutboxMessage = z.infer<typeof outboxMessage>;

export const outboxQuery = pageQuery.extend({ phone: z.string().trim().max(20).optional() });
