import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { createdStaff, createStaffBody, resetResult, StaffMember, staffQuery, updateStaffBody } from '../../../../src/modules/staff/schema.ts';
import type { Page } from '../../../../src/core/pagination.ts';
import { api } from '../../lib/api.ts';

export type { StaffMember };
export type StaffQuery = Partial<z.infer<typeof staffQuery>>;
export type CreateStaffInput = z.input<typeof createStaffBody>;
export type UpdateStaffInput = z.infer<typeof updateStaffBody>;
export type CreatedStaff = z.infer<typeof createdStaff>;
export type ResetResult = z.infer<typeof resetResult>;

export const staffKeys = {
  all: ['staff'] as const,
  list: (q: StaffQuery) => ['staff', 'list', q] as const,
};

export function useStaffList(q: StaffQuery, enabled = true) {
  return useQuery({
    queryKey: staffKeys.list(q),
    queryFn: () => api.get<Page<StaffMember>>('/api/staff', q),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useCreateStaff() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateStaffInput) => api.post<CreatedStaff>('/api/staff', input),
    onSuccess: () => qc.invalidateQueries({ queryKey: staffKeys.all }),
  });
}

export function useUpdateStaff() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id: string; input: UpdateStaffInput }) => api.patch<StaffMember>(`/api/staff/${id}`, input),
    onSuccess: () => qc.invalidateQueries({ queryKey: staffKeys.all }),
  });
}

export function useResetStaffPassword() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<ResetResult>(`/api/staff/${id}/reset-password`),
    onSuccess: () => qc.invalidateQueries({ queryKey: staffKeys.all }),
  });
}
