import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  certificate,
  compliance,
  CreateCertificateInput,
  CreateDepartmentInput,
  CreatePostInput,
  CreateShiftInput,
  CreateTrainingInput,
  department,
  myRoster,
  post,
  PutWeekInput,
  rosterWeek,
  shift,
  training,
  trainingSummary,
  UpdateCertificateInput,
  UpdateDepartmentInput,
  UpdatePostInput,
  UpdateShiftInput,
} from '../../../../src/modules/rosters/schema.ts';
import type { Page } from '../../../../src/core/pagination.ts';
import { api, download, request } from '../../lib/api.ts';

/** TanStack Query hooks of the staff structure, roster, certificates and training pages. */

export type Department = z.infer<typeof department>;
export type Post = z.infer<typeof post>;
export type Shift = z.infer<typeof shift>;
export type RosterWeek = z.infer<typeof rosterWeek>;
export type RosterEntry = RosterWeek['entries'][number];
export type Certificate = z.infer<typeof certificate>;
export type Compliance = z.infer<typeof compliance>;
export type Training = z.infer<typeof training>;
export type TrainingSummary = z.infer<typeof trainingSummary>;
export type MyRoster = z.infer<typeof myRoster>;

export const rosterKeys = {
  all: ['rosters'] as const,
  departments: ['rosters', 'departments'] as const,
  posts: (communityId: string) => ['rosters', 'posts', communityId] as const,
  shifts: (communityId: string) => ['rosters', 'shifts', communityId] as const,
  week: (communityId: string, monday: string) => ['rosters', 'week', communityId, monday] as const,
  certificates: (q: object) => ['rosters', 'certificates', q] as const,
  compliance: (communityId: string, asOf?: string) => ['rosters', 'compliance', communityId, asOf ?? ''] as const,
  training: (q: object) => ['rosters', 'training', q] as const,
  summary: (q: object) => ['rosters', 'summary', q] as const,
  mine: ['rosters', 'mine'] as const,
};

function useInvalidate() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: rosterKeys.all });
}

export const useDepartments = () => useQuery({ queryKey: rosterKeys.departments, queryFn: () => api.get<{ items: Department[] }>('/api/departments') });
export function useSaveDepartment() {
  const done = useInvalidate();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: CreateDepartmentInput | UpdateDepartmentInput }) => (id ? api.patch<Department>(`/api/departments/${id}`, body) : api.post<Department>('/api/departments', body)),
    onSuccess: done,
  });
}
export function useDeleteDepartment() {
  const done = useInvalidate();
  return useMutation({ mutationFn: (id: string) => api.delete(`/api/departments/${id}`), onSuccess: done });
}

export const usePosts = (communityId: string | undefined, includeInactive = false) =>
  useQuery({ queryKey: [...rosterKeys.posts(communityId ?? ''), includeInactive], queryFn: () => api.get<{ items: Post[] }>('/api/posts', { communityId, includeInactive: includeInactive || undefined }), enabled: Boolean(communityId) });
export function useSavePost() {
  const done = useInvalidate();
  return useMutation({ mutationFn: ({ id, body }: { id?: string; body: CreatePostInput | UpdatePostInput }) => (id ? api.patch<Post>(`/api/posts/${id}`, body) : api.post<Post>('/api/posts', body)), onSuccess: done });
}

export const useShifts = (communityId: string | undefined, includeInactive = false) =>
  useQuery({ queryKey: [...rosterKeys.shifts(communityId ?? ''), includeInactive], queryFn: () => api.get<{ items: Shift[] }>('/api/shifts', { communityId, includeInactive: includeInactive || undefined }), enabled: Boolean(communityId) });
export function useSaveShift() {
  const done = useInvalidate();
  return useMutation({ mutationFn: ({ id, body }: { id?: string; body: CreateShiftInput | UpdateShiftInput }) => (id ? api.patch<Shift>(`/api/shifts/${id}`, body) : api.post<Shift>('/api/shifts', body)), onSuccess: done });
}

export const useRosterWeek = (communityId: string | undefined, monday: string) =>
  useQuery({ queryKey: rosterKeys.week(communityId ?? '', monday), queryFn: () => api.get<RosterWeek>('/api/roster-weeks', { communityId, monday }), enabled: Boolean(communityId), placeholderData: keepPreviousData });
export function useSaveWeek(communityId: string, monday: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: PutWeekInput) => request<RosterWeek>('PUT', '/api/roster-weeks', { query: { communityId, monday }, body }),
    onSuccess: (week) => qc.setQueryData(rosterKeys.week(communityId, monday), week),
  });
}
export function useCopyWeek() {
  const done = useInvalidate();
  return useMutation({ mutationFn: (body: { communityId: string; monday: string; overwrite?: boolean }) => api.post<RosterWeek & { copied: number; skipped: number }>('/api/roster-weeks/copy', body), onSuccess: done });
}

export type CertificateQuery = { page: number; pageSize: number; userId?: string; kind?: string; status?: string; communityId?: string };
export const useCertificates = (q: CertificateQuery) => useQuery({ queryKey: rosterKeys.certificates(q), queryFn: () => api.get<Page<Certificate>>('/api/certificates', q), placeholderData: keepPreviousData });
export function useSaveCertificate() {
  const done = useInvalidate();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: CreateCertificateInput | UpdateCertificateInput }) => (id ? api.patch<Certificate>(`/api/certificates/${id}`, body) : api.post<Certificate>('/api/certificates', body)),
    onSuccess: done,
  });
}
export function useRevokeCertificate() {
  const done = useInvalidate();
  return useMutation({ mutationFn: (id: string) => api.post<Certificate>(`/api/certificates/${id}/revoke`), onSuccess: done });
}
export const useCompliance = (communityId: string | undefined, asOf?: string) =>
  useQuery({ queryKey: rosterKeys.compliance(communityId ?? '', asOf), queryFn: () => api.get<Compliance>('/api/certificate-compliance', { communityId, asOf }), enabled: Boolean(communityId) });

export type TrainingQuery = { page: number; pageSize: number; year?: number; communityId?: string; userId?: string; topic?: string };
export const useTraining = (q: TrainingQuery) => useQuery({ queryKey: rosterKeys.training(q), queryFn: () => api.get<Page<Training>>('/api/training-records', q), placeholderData: keepPreviousData });
export const useTrainingSummary = (q: { year: number; communityId?: string }) => useQuery({ queryKey: rosterKeys.summary(q), queryFn: () => api.get<TrainingSummary>('/api/training-summary', q) });
export function useCreateTraining() {
  const done = useInvalidate();
  return useMutation({ mutationFn: (body: CreateTrainingInput) => api.post<{ items: Training[] }>('/api/training-records', body), onSuccess: done });
}
export function useDeleteTraining() {
  const done = useInvalidate();
  return useMutation({ mutationFn: (id: string) => api.delete(`/api/training-records/${id}`), onSuccess: done });
}
export const downloadTraining = (q: { year: number; communityId?: string }) => download('/api/training-summary.xlsx', q, `培训台账-${q.year}.xlsx`);

export const useMyRoster = () => useQuery({ queryKey: rosterKeys.mine, queryFn: () => api.get<MyRoster>('/api/my-roster') });

export type StaffPerson = { id: string; name: string; roles: string[] };
export const useRosterStaff = (communityId: string | undefined) =>
  useQuery({ queryKey: ['rosters', 'staff', communityId ?? ''], queryFn: () => api.get<{ items: StaffPerson[] }>('/api/roster-staff', { communityId }), enabled: Boolean(communityId), staleTime: 60_000 });
