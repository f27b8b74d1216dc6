import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { importJob, importJobSummary, jobQuery } from '../../../../src/modules/imports/schema.ts';
import type { ImportKind } from '../../../../src/modules/imports/columns.ts';
import type { Page } from '../../../../src/core/pagination.ts';
import { api, download, upload } from '../../lib/api.ts';
import { estateKeys } from '../estate/api.ts';
import { residentKeys } from '../residents/api.ts';

export type { ImportKind };
export type ImportJob = z.infer<typeof importJob>;
export type ImportJobSummary = z.infer<typeof importJobSummary>;
export type JobQuery = Partial<z.infer<typeof jobQuery>>;

export const importKeys = {
  all: ['imports'] as const,
  list: (q: JobQuery) => ['imports', 'list', q] as const,
  job: (id: string) => ['imports', 'job', id] as const,
};

export function useImportJobs(q: JobQuery, enabled = true) {
  return useQuery({ queryKey: importKeys.list(q), queryFn: () => api.get<Page<ImportJobSummary>>('/api/imports', q), placeholderData: keepPreviousData, enabled });
}

/** One job; polled every second while it is being applied. */
export function useImportJob(id: string | undefined, poll: boolean) {
  return useQuery({
    queryKey: importKeys.job(id ?? ''),
    queryFn: () => api.get<ImportJob>(`/api/imports/${id}`),
    enabled: Boolean(id),
    refetchInterval: (q) => (poll || q.state.data?.status === 'applying' ? 1000 : false),
  });
}

export function useUploadImport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ kind, file, communityId }: { kind: ImportKind; file: File; communityId?: string }) => upload<ImportJob>(`/api/imports/${kind}`, file, { communityId }),
    onSuccess: (job) => {
      qc.setQueryData(importKeys.job(job.id), job);
      return qc.invalidateQueries({ queryKey: importKeys.all });
    },
  });
}

export function useApplyImport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, skipErrors }: { id: string; skipErrors: boolean }) => api.post<ImportJob>(`/api/imports/${id}/apply`, undefined, { query: { skipErrors } }),
    onSettled: async (job) => {
      if (job) qc.setQueryData(importKeys.job(job.id), job);
      await qc.invalidateQueries({ queryKey: importKeys.all });
      // New rooms, spaces or residents: every list may have changed.
      await qc.invalidateQueries({ queryKey: estateKeys.all });
      await qc.invalidateQueries({ queryKey: residentKeys.all });
    },
  });
}

export function downloadTemplate(kind: ImportKind): Promise<string> {
  return download(`/api/imports/templates/${kind}`, undefined, `${kind}-template.xlsx`);
}

export function downloadExport(kind: ImportKind, communityId: string): Promise<string> {
  return download(`/api/exports/${kind}`, { communityId }, `${kind}.xlsx`);
}
