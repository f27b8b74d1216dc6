import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  areaDetail,
  areaSchema,
  boardSchema,
  completeBody,
  createAreaBody,
  createItemBody,
  figuresSchema,
  itemSchema,
  myTasks,
  presetSchema,
  taskQuery,
  taskSchema,
  updateAreaBody,
  updateItemBody,
} from '../../../../src/modules/cleaning/schema.ts';
import type { Page } from '../../../../src/core/pagination.ts';
import type { StoredFile } from '../../../../src/modules/files/schema.ts';
import { api, upload } from '../../lib/api.ts';

// ── Types, all from the server's schemas ──────────────────────────────────────────────────────────────────────
export type CleaningArea = z.infer<typeof areaSchema>;
export type CleaningAreaDetail = z.infer<typeof areaDetail>;
export type CleaningItem = z.infer<typeof itemSchema>;
export type CleaningPreset = z.infer<typeof presetSchema>;
export type CleaningTask = z.infer<typeof taskSchema>;
export type CleaningBoard = z.infer<typeof boardSchema>;
export type CleaningFigures = z.infer<typeof figuresSchema>;
export type MyTasks = z.infer<typeof myTasks>;
export type CreateAreaInput = z.input<typeof createAreaBody>;
export type UpdateAreaInput = z.input<typeof updateAreaBody>;
export type CreateItemInput = z.input<typeof createItemBody>;
export type UpdateItemInput = z.input<typeof updateItemBody>;
export type CompleteInput = z.input<typeof completeBody>;
export type TaskQuery = Partial<z.input<typeof taskQuery>>;
export type TaskState = CleaningTask['state'];

export const cleaningKeys = {
  all: ['cleaning'] as const,
  presets: ['cleaning', 'presets'] as const,
  areas: (communityId: string | undefined, includeInactive: boolean) => ['cleaning', 'areas', communityId, includeInactive] as const,
  area: (id: string) => ['cleaning', 'area', id] as const,
  board: (communityId: string | undefined, day: string) => ['cleaning', 'board', communityId, day] as const,
  tasks: (q: TaskQuery) => ['cleaning', 'tasks', q] as const,
  figures: (communityId: string | undefined, from: string, to: string) => ['cleaning', 'figures', communityId, from, to] as const,
  mine: (day?: string) => ['cleaning', 'mine', day ?? 'today'] as const,
};

export function usePresets() {
  return useQuery({ queryKey: cleaningKeys.presets, queryFn: () => api.get<CleaningPreset[]>('/api/cleaning/presets'), staleTime: 3600_000 });
}

export function useAreas(communityId: string | undefined, includeInactive = false) {
  return useQuery({
    queryKey: cleaningKeys.areas(communityId, includeInactive),
    queryFn: () => api.get<CleaningArea[]>('/api/cleaning/areas', { communityId, includeInactive: includeInactive ? 'true' : undefined }),
    enabled: Boolean(communityId),
  });
}

export function useArea(id: string | undefined) {
  return useQuery({ queryKey: cleaningKeys.area(id ?? ''), queryFn: () => api.get<CleaningAreaDetail>(`/api/cleaning/areas/${id}`), enabled: Boolean(id) });
}

export function useAreaCode(id: string | undefined, enabled: boolean) {
  return useQuery({ queryKey: ['cleaning', 'code', id], queryFn: () => api.get<{ code: string; dataUrl: string }>(`/api/cleaning/areas/${id}/code`), enabled: Boolean(id) && enabled });
}

function useInvalidate() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: cleaningKeys.all });
}

export function useCreateArea() {
  const done = useInvalidate();
  return useMutation({ mutationFn: (b: CreateAreaInput) => api.post<CleaningArea>('/api/cleaning/areas', b), onSuccess: done });
}

export function useUpdateArea(id: string) {
  const done = useInvalidate();
  return useMutation({ mutationFn: (b: UpdateAreaInput) => api.patch<CleaningArea>(`/api/cleaning/areas/${id}`, b), onSuccess: done });
}

export function useCreateItem() {
  const done = useInvalidate();
  return useMutation({ mutationFn: (b: CreateItemInput) => api.post<CleaningItem>('/api/cleaning/items', b), onSuccess: done });
}

export function useUpdateItem() {
  const done = useInvalidate();
  return useMutation({ mutationFn: ({ id, ...b }: UpdateItemInput & { id: string }) => api.patch<CleaningItem>(`/api/cleaning/items/${id}`, b), onSuccess: done });
}

export function useBoard(communityId: string | undefined, day: string) {
  return useQuery({
    queryKey: cleaningKeys.board(communityId, day),
    queryFn: () => api.get<CleaningBoard>('/api/cleaning/board', { communityId, day }),
    enabled: Boolean(communityId),
    refetchInterval: 60_000,
  });
}

export function useTasks(q: TaskQuery, enabled = true) {
  return useQuery({
    queryKey: cleaningKeys.tasks(q),
    queryFn: () => api.get<Page<CleaningTask>>('/api/cleaning/tasks', q as Record<string, string | number | undefined>),
    enabled,
    placeholderData: keepPreviousData,
  });
}

export function useFigures(communityId: string | undefined, from: string, to: string) {
  return useQuery({
    queryKey: cleaningKeys.figures(communityId, from, to),
    queryFn: () => api.get<CleaningFigures>('/api/cleaning/figures', { communityId, from, to }),
    enabled: Boolean(communityId),
    placeholderData: keepPreviousData,
  });
}

export function useGenerate() {
  const done = useInvalidate();
  return useMutation({ mutationFn: (b: { communityId: string; day: string }) => api.post<{ created: number; assigned: number }>('/api/cleaning/generate', b), onSuccess: done });
}

export function useMyTasks(day?: string) {
  return useQuery({ queryKey: cleaningKeys.mine(day), queryFn: () => api.get<MyTasks>('/api/cleaning/my-tasks', { day }), refetchInterval: 120_000 });
}

export function uploadPhoto(file: Blob, name: string) {
  return upload<StoredFile>('/api/files', file, undefined, name);
}

export function completeTask(id: string, body: CompleteInput) {
  return api.post<CleaningTask>(`/api/cleaning/tasks/${id}/complete`, body);
}

export const thumbUrl = (fileId: string) => `/api/files/${fileId}/thumb`;
export const fileUrl = (fileId: string) => `/api/files/${fileId}`;

// ── Pickers: the roster's departments, posts and shifts, and the community's buildings ─────────────────────────
type Named = { id: string; name: string };

export function useTeamOptions(communityId: string | undefined) {
  const departments = useQuery({ queryKey: ['cleaning', 'pick', 'departments'], queryFn: () => api.get<{ items: Named[] }>('/api/departments'), staleTime: 300_000 });
  const posts = useQuery({ queryKey: ['cleaning', 'pick', 'posts', communityId], queryFn: () => api.get<{ items: Array<Named & { departmentId?: string }> }>('/api/posts', { communityId }), enabled: Boolean(communityId), staleTime: 300_000 });
  const shifts = useQuery({ queryKey: ['cleaning', 'pick', 'shifts', communityId], queryFn: () => api.get<{ items: Array<Named & { startTime?: string; endTime?: string }> }>('/api/shifts', { communityId }), enabled: Boolean(communityId), staleTime: 300_000 });
  const buildings = useQuery({ queryKey: ['cleaning', 'pick', 'buildings', communityId], queryFn: () => api.get<{ items: Named[] }>('/api/buildings', { communityId, pageSize: 200 }), enabled: Boolean(communityId), staleTime: 300_000 });
  return { departments: departments.data?.items ?? [], posts: posts.data?.items ?? [], shifts: shifts.data?.items ?? [], buildings: buildings.data?.items ?? [] };
}
