import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { createRoleBody, permissionInfo, Role, updateRoleBody } from '../../../../src/modules/roles/schema.ts';
import type { Page } from '../../../../src/core/pagination.ts';
import { api } from '../../lib/api.ts';

export type { Role };
export type PermissionInfo = z.infer<typeof permissionInfo>;
export type CreateRoleInput = z.infer<typeof createRoleBody>;
export type UpdateRoleInput = z.infer<typeof updateRoleBody>;

export const roleKeys = {
  all: ['roles'] as const,
  list: (q: string) => ['roles', 'list', q] as const,
  permissions: ['permissions'] as const,
};

/** A company has a handful of roles, so one page of 200 is all of them (also feeds the role pickers). */
export function useRoles(q = '') {
  return useQuery({
    queryKey: roleKeys.list(q),
    queryFn: () => api.get<Page<Role>>('/api/roles', { pageSize: 200, q }),
  });
}

export function usePermissions() {
  return useQuery({
    queryKey: roleKeys.permissions,
    queryFn: () => api.get<{ items: PermissionInfo[] }>('/api/permissions'),
    staleTime: Infinity,
  });
}

export function useCreateRole() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateRoleInput) => api.post<Role>('/api/roles', input),
    onSuccess: () => qc.invalidateQueries({ queryKey: roleKeys.all }),
  });
}

export function useUpdateRole() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id: string; input: UpdateRoleInput }) => api.patch<Role>(`/api/roles/${id}`, input),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: roleKeys.all });
      // Staff rows show role names.
      await qc.invalidateQueries({ queryKey: ['staff'] });
    },
  });
}

export function useDeleteRole() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/roles/${id}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: roleKeys.all }),
  });
}
