import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { createOwnerBody, ownerAccount, ownerHome, ownerQuery } from '../../../../src/modules/owner/schema.ts';
import type { householdRequest, householdRequestBody } from '../../../../src/modules/residents/schema.ts';
import type { Page } from '../../../../src/core/pagination.ts';
import { api } from '../../lib/api.ts';

export type OwnerAccount = z.infer<typeof ownerAccount>;
export type OwnerHome = z.infer<typeof ownerHome>;
export type OwnerQuery = Partial<z.infer<typeof ownerQuery>>;
export type CreateOwnerInput = z.infer<typeof createOwnerBody>;

export const ownerKeys = {
  all: ['owners'] as const,
  list: (q: OwnerQuery) => ['owners', 'list', q] as const,
  home: ['owner', 'home'] as const,
};

export function useOwners(q: OwnerQuery) {
  return useQuery({ queryKey: ownerKeys.list(q), queryFn: () => api.get<Page<OwnerAccount>>('/api/owners', q), placeholderData: keepPreviousData });
}

export function useCreateOwner() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateOwnerInput) => api.post<OwnerAccount>('/api/owners', input),
    onSuccess: () => qc.invalidateQueries({ queryKey: ownerKeys.all }),
  });
}

/** The owner site's home page. */
export function useOwnerHome(enabled = true) {
  return useQuery({ queryKey: ownerKeys.home, queryFn: () => api.get<OwnerHome>('/api/owner/home'), enabled });
}

export type HouseholdRequest = z.infer<typeof householdRequest>;
export type HouseholdRequestInput = z.infer<typeof householdRequestBody>;

const myRequestsKey = ['owner', 'householdRequests'] as const;

/** My requests to add a family member or tenant, newest first. */
export function useMyHouseholdRequests() {
  return useQuery({ queryKey: myRequestsKey, queryFn: () => api.get<{ items: HouseholdRequest[] }>('/api/owner/household-requests') });
}

export function useSubmitHouseholdRequest() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: HouseholdRequestInput) => api.post<HouseholdRequest>('/api/owner/household-requests', input),
    onSuccess: () => qc.invalidateQueries({ queryKey: myRequestsKey }),
  });
}
