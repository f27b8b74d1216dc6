import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  checkin,
  checkpoint,
  checkpointBody,
  checkpointPatch,
  checklistItemInput,
  figures,
  myTasks,
  plan,
  planBody,
  planPatch,
  planPreview,
  route,
  routeBody,
  routePatch,
  scanResult,
  setupOptions,
  task,
  checkinBody,
} from '../../../../src/modules/patrols/schema.ts';
import type { Page } from '../../../../src/core/pagination.ts';
import { api } from '../../lib/api.ts';

/** TanStack Query hooks of patrols (console and phone). */

export type Checkpoint = z.infer<typeof checkpoint>;
export type ChecklistItemInput = z.input<typeof checklistItemInput>;
export type CheckpointInput = z.input<typeof checkpointBody>;
export type CheckpointPatch = z.input<typeof checkpointPatch>;
export type Route = z.infer<typeof route>;
export type RouteInput = z.input<typeof routeBody>;
export type RoutePatch = z.input<typeof routePatch>;
export type Plan = z.infer<typeof plan>;
export type PlanInput = z.input<typeof planBody>;
export type PlanPatch = z.input<typeof planPatch>;
export type PlanPreview = z.infer<typeof planPreview>;
export type SetupOptions = z.infer<typeof setupOptions>;
export type Task = z.infer<typeof task>;
export type TaskPoint = Task['points'][number];
export type Checkin = z.infer<typeof checkin>;
export type CheckinInput = z.input<typeof checkinBody>;
export type MyTasks = z.infer<typeof myTasks>;
export type ScanResult = z.infer<typeof scanResult>;
export type Figures = z.infer<typeof figures>;

export const patrolKeys = {
  all: ['patrols'] as const,
  options: (c: string) => ['patrols', 'options', c] as const,
  checkpoints: (c: string) => ['patrols', 'checkpoints', c] as const,
  routes: (c: string) => ['patrols', 'routes', c] as const,
  plans: (c: string) => ['patrols', 'plans', c] as const,
  tasks: (c: string, day: string) => ['patrols', 'tasks', c, day] as const,
  checkins: (q: object) => ['patrols', 'checkins', q] as const,
  figures: (q: object) => ['patrols', 'figures', q] as const,
  mine: ['patrols', 'mine'] as const,
  scan: (code: string) => ['patrols', 'scan', code] as const,
};

const enabled = (c: string | undefined) => Boolean(c);

export function useSetupOptions(communityId: string | undefined) {
  return useQuery({ queryKey: patrolKeys.options(communityId ?? ''), queryFn: () => api.get<SetupOptions>('/api/patrol/setup-options', { communityId }), enabled: enabled(communityId) });
}
export function useCheckpoints(communityId: string | undefined) {
  return useQuery({ queryKey: patrolKeys.checkpoints(communityId ?? ''), queryFn: () => api.get<Checkpoint[]>('/api/patrol/checkpoints', { communityId }), enabled: enabled(communityId) });
}
export function useRoutes(communityId: string | undefined) {
  return useQuery({ queryKey: patrolKeys.routes(communityId ?? ''), queryFn: () => api.get<Route[]>('/api/patrol/routes', { communityId }), enabled: enabled(communityId) });
}
export function usePlans(communityId: string | undefined) {
  return useQuery({ queryKey: patrolKeys.plans(communityId ?? ''), queryFn: () => api.get<Plan[]>('/api/patrol/plans', { communityId }), enabled: enabled(communityId) });
}
export function useTasks(communityId: string | undefined, day: string) {
  return useQuery({ queryKey: patrolKeys.tasks(communityId ?? '', day), queryFn: () => api.get<Task[]>('/api/patrol/tasks', { communityId, day }), enabled: enabled(communityId), refetchInterval: 60_000, placeholderData: keepPreviousData });
}
export function useCheckins(q: { communityId?: string; from?: string; to?: string; abnormal?: 'true'; page: number; pageSize: number }) {
  return useQuery({ queryKey: patrolKeys.checkins(q), queryFn: () => api.get<Page<Checkin>>('/api/patrol/checkins', q), enabled: enabled(q.communityId), placeholderData: keepPreviousData });
}
export function useFigures(q: { communityId?: string; from: string; to: string }) {
  return useQuery({ queryKey: patrolKeys.figures(q), queryFn: () => api.get<Figures>('/api/patrol/figures', q), enabled: enabled(q.communityId), placeholderData: keepPreviousData });
}

/** A write that refreshes every patrol list afterwards. */
function useWrite<I, O>(fn: (input: I) => Promise<O>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: patrolKeys.all }) });
}
export const useCreateCheckpoint = () => useWrite((body: CheckpointInput) => api.post<Checkpoint>('/api/patrol/checkpoints', body));
export const useUpdateCheckpoint = () => useWrite(({ id, ...body }: CheckpointPatch & { id: string }) => api.patch<Checkpoint>(`/api/patrol/checkpoints/${id}`, body));
export const useCreateRoute = () => useWrite((body: RouteInput) => api.post<Route>('/api/patrol/routes', body));
export const useUpdateRoute = () => useWrite(({ id, ...body }: RoutePatch & { id: string }) => api.patch<Route>(`/api/patrol/routes/${id}`, body));
export const useCreatePlan = () => useWrite((body: PlanInput) => api.post<Plan>('/api/patrol/plans', body));
export const useUpdatePlan = () => useWrite(({ id, ...body }: PlanPatch & { id: string }) => api.patch<Plan>(`/api/patrol/plans/${id}`, body));
export const useGenerate = () => useWrite((body: { communityId: string; day: string }) => api.post<{ day: string; tasks: number; created: number }>('/api/patrol/tasks/generate', body));
export const previewPlan = (body: PlanInput) => api.post<PlanPreview>('/api/patrol/plans/preview', body);

// ── Phone ──
export function useMyPatrolTasks() {
  return useQuery({ queryKey: patrolKeys.mine, queryFn: () => api.get<MyTasks>('/api/patrol/my-tasks'), refetchInterval: 60_000, networkMode: 'always', retry: 1 });
}
export function useScan(code: string) {
  return useQuery({ queryKey: patrolKeys.scan(code), queryFn: () => api.get<ScanResult>(`/api/patrol/scan/${encodeURIComponent(code)}`), retry: false, networkMode: 'always' });
}
export const sendCheckin = (body: CheckinInput) => api.post<Checkin>('/api/patrol/checkins', body);
