import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { Community, communityQuery, createCommunityBody, updateCommunityBody } from '../../../../src/modules/communities/schema.ts';
import type { Page } from '../../../../src/core/pagination.ts';
import { api } from '../../lib/api.ts';
import { authKeys } from '../auth/api.ts';

export type { Community };
export type CommunityQuery = Partial<z.infer<typeof communityQuery>>;
export type CreateCommunityInput = z.input<typeof createCommunityBody>;
export type UpdateCommunityInput = z.infer<typeof updateCommunityBody>;

export const communityKeys = {
  all: ['communities'] as const,
  list: (q: CommunityQuery) => ['communities', 'list', q] as const,
};

export function useCommunities(q: CommunityQuery, enabled = true) {
  return useQuery({
    queryKey: communityKeys.list(q),
    queryFn: () => api.get<Page<Community>>('/api/communities', q),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** A new or renamed community changes the header's switcher, which comes from /api/auth/me. */
async function refresh(qc: ReturnType<typeof useQueryClient>) {
  await qc.invalidateQueries({ queryKey: communityKeys.all });
  await qc.invalidateQueries({ queryKey: authKeys.me });
}

export function useCreateCommunity() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateCommunityInput) => api.post<Community>('/api/communities', input),
    onSuccess: () => refresh(qc),
  });
}

export function useUpdateCommunity() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id: string; input: UpdateCommunityInput }) => api.patch<Community>(`/api/communities/${id}`, input),
    onSuccess: () => refresh(qc),
  });
}
