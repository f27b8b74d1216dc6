import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { OutboxMessage, outboxQuery } from '../../../../src/modules/sms/schema.ts';
import type { Page } from '../../../../src/core/pagination.ts';
import { api } from '../../lib/api.ts';

export type { OutboxMessage };
export type OutboxQuery = Partial<z.infer<typeof outboxQuery>>;

export const smsKeys = {
  list: (q: OutboxQuery) => ['sms', 'outbox', q] as const,
};

/** Polls while open: demo users wait here for an owner's login code to arrive. */
export function useOutbox(q: OutboxQuery) {
  return useQuery({
    queryKey: smsKeys.list(q),
    queryFn: () => api.get<Page<OutboxMessage>>('/api/sms/outbox', q),
    placeholderData: keepPreviousData,
    refetchInterval: 10_000,
    staleTime: 0,
  });
}
