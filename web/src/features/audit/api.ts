import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { auditEntry, AuditQuery } from '../../../../src/modules/audit/schema.ts';
import type { Page } from '../../../../src/core/pagination.ts';
import { api } from '../../lib/api.ts';

export type AuditEntry = z.infer<typeof auditEntry>;
export type { AuditQuery };

export const auditKeys = {
  all: ['audit'] as const,
  list: (q: Partial<AuditQuery>) => ['audit', 'list', q] as const,
};

export function useAudit(q: Partial<AuditQuery>, enabled = true) {
  return useQuery({
    queryKey: auditKeys.list(q),
    queryFn: () => api.get<Page<AuditEntry>>('/api/audit', q),
    placeholderData: keepPreviousData,
    enabled,
  });
}
