import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { Company, companyQuery, CreateCompanyInput, createdCompany, updateCompanyBody } from '../../../../src/modules/platform/schema.ts';
import type { Page } from '../../../../src/core/pagination.ts';
import { api } from '../../lib/api.ts';

export type { Company, CreateCompanyInput };
export type CompanyQuery = Partial<z.infer<typeof companyQuery>>;
export type UpdateCompanyInput = z.infer<typeof updateCompanyBody>;
export type CreatedCompany = z.infer<typeof createdCompany>;

export const companyKeys = {
  all: ['companies'] as const,
  list: (q: CompanyQuery) => ['companies', 'list', q] as const,
};

export function useCompanies(q: CompanyQuery) {
  return useQuery({ queryKey: companyKeys.list(q), queryFn: () => api.get<Page<Company>>('/api/platform/companies', q), placeholderData: keepPreviousData });
}

export function useCreateCompany() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateCompanyInput) => api.post<CreatedCompany>('/api/platform/companies', input),
    onSuccess: () => qc.invalidateQueries({ queryKey: companyKeys.all }),
  });
}

export function useUpdateCompany() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id: string; input: UpdateCompanyInput }) => api.patch<Company>(`/api/platform/companies/${id}`, input),
    onSuccess: () => qc.invalidateQueries({ queryKey: companyKeys.all }),
  });
}
