import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  assignees,
  createFindingBody,
  createInspectionBody,
  createRewardBody,
  createScheduleBody,
  createTemplateBody,
  inspectionDetail,
  inspectionQuery,
  inspectionSummary,
  noticeDetail,
  noticeQuery,
  noticeSummary,
  reward,
  schedule,
  scores,
  template,
  weeklyReport,
  DEPARTMENT_KINDS,
  INSPECTION_KINDS,
  INSPECTION_STATUS,
  NOTICE_ACTION,
  NOTICE_STATUS,
} from '../../../../src/modules/quality/schema.ts';
import type { Page } from '../../../../src/core/pagination.ts';
import { api, download } from '../../lib/api.ts';

export type Template = z.infer<typeof template>;
export type Schedule = z.infer<typeof schedule>;
export type InspectionSummary = z.infer<typeof inspectionSummary>;
export type InspectionDetail = z.infer<typeof inspectionDetail>;
export type NoticeSummary = z.infer<typeof noticeSummary>;
export type NoticeDetail = z.infer<typeof noticeDetail>;
export type Reward = z.infer<typeof reward>;
export type Scores = z.infer<typeof scores>;
export type WeeklyReport = z.infer<typeof weeklyReport>;
export type Assignees = z.infer<typeof assignees>;
export type DepartmentKind = (typeof DEPARTMENT_KINDS)[number];
export type InspectionKind = (typeof INSPECTION_KINDS)[number];
export type InspectionStatus = (typeof INSPECTION_STATUS)[number];
export type NoticeStatus = (typeof NOTICE_STATUS)[number];
export type NoticeAction = (typeof NOTICE_ACTION)[number];
export type CreateTemplateInput = z.input<typeof createTemplateBody>;
export type CreateScheduleInput = z.input<typeof createScheduleBody>;
export type CreateInspectionInput = z.input<typeof createInspectionBody>;
export type CreateFindingInput = z.input<typeof createFindingBody>;
export type CreateRewardInput = z.input<typeof createRewardBody>;
export type InspectionQuery = Partial<z.input<typeof inspectionQuery>>;
export type NoticeQuery = Partial<z.input<typeof noticeQuery>>;

type Query = Record<string, string | number | undefined>;

export const qualityKeys = {
  all: ['quality'] as const,
  templates: ['quality', 'templates'] as const,
  schedules: (communityId?: string) => ['quality', 'schedules', communityId] as const,
  inspections: (q: InspectionQuery) => ['quality', 'inspections', q] as const,
  inspection: (id: string) => ['quality', 'inspection', id] as const,
  notices: (q: NoticeQuery) => ['quality', 'notices', q] as const,
  notice: (id: string) => ['quality', 'notice', id] as const,
  rewards: (q: Query) => ['quality', 'rewards', q] as const,
  scores: (q: Query) => ['quality', 'scores', q] as const,
  report: (communityId: string, week?: string) => ['quality', 'report', communityId, week] as const,
  assignees: (communityId: string) => ['quality', 'assignees', communityId] as const,
};

export const useTemplates = () => useQuery({ queryKey: qualityKeys.templates, queryFn: () => api.get<Template[]>('/api/quality/templates') });
export const useSchedules = (communityId?: string) => useQuery({ queryKey: qualityKeys.schedules(communityId), queryFn: () => api.get<Schedule[]>('/api/quality/schedules', { communityId }) });
export const useInspections = (q: InspectionQuery) =>
  useQuery({ queryKey: qualityKeys.inspections(q), queryFn: () => api.get<Page<InspectionSummary>>('/api/quality/inspections', q as Query), placeholderData: keepPreviousData });
export const useInspection = (id: string | undefined) => useQuery({ queryKey: qualityKeys.inspection(id ?? ''), queryFn: () => api.get<InspectionDetail>(`/api/quality/inspections/${id}`), enabled: Boolean(id) });
export const useNotices = (q: NoticeQuery) => useQuery({ queryKey: qualityKeys.notices(q), queryFn: () => api.get<Page<NoticeSummary>>('/api/quality/notices', q as Query), placeholderData: keepPreviousData });
export const useNotice = (id: string | undefined) => useQuery({ queryKey: qualityKeys.notice(id ?? ''), queryFn: () => api.get<NoticeDetail>(`/api/quality/notices/${id}`), enabled: Boolean(id) });
export const useRewards = (q: Query) => useQuery({ queryKey: qualityKeys.rewards(q), queryFn: () => api.get<Page<Reward>>('/api/quality/rewards', q), placeholderData: keepPreviousData });
export const useScores = (q: { communityId: string; from: string; to: string; period: 'week' | 'month' }) => useQuery({ queryKey: qualityKeys.scores(q), queryFn: () => api.get<Scores>('/api/quality/scores', q) });
export const useWeeklyReport = (communityId: string, week?: string) => useQuery({ queryKey: qualityKeys.report(communityId, week), queryFn: () => api.get<WeeklyReport>('/api/quality/reports/weekly', { communityId, week }) });
export const useAssignees = (communityId: string | undefined) =>
  useQuery({ queryKey: qualityKeys.assignees(communityId ?? ''), queryFn: () => api.get<Assignees>('/api/quality/assignees', { communityId }), enabled: Boolean(communityId), staleTime: 60_000 });

/** A write that refreshes every quality query afterwards. */
function useWrite<I, O>(fn: (input: I) => Promise<O>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: qualityKeys.all }) });
}

export const useCreateTemplate = () => useWrite((b: CreateTemplateInput) => api.post<Template>('/api/quality/templates', b));
export const useUpdateTemplate = () => useWrite(({ id, ...b }: Partial<CreateTemplateInput> & { id: string; active?: boolean }) => api.patch<Template>(`/api/quality/templates/${id}`, b));
export const useCreateSchedule = () => useWrite((b: CreateScheduleInput) => api.post<Schedule>('/api/quality/schedules', b));
export const useUpdateSchedule = () => useWrite(({ id, ...b }: { id: string; active?: boolean; inspectorId?: string; name?: string }) => api.patch<Schedule>(`/api/quality/schedules/${id}`, b));
export const useCreateInspection = () => useWrite((b: CreateInspectionInput) => api.post<InspectionDetail>('/api/quality/inspections', b));
export const useScoreItems = (id: string) => useWrite((items: Array<{ itemId: string; deducted: number; note?: string }>) => api.post<InspectionDetail>(`/api/quality/inspections/${id}/scores`, { items }));
export const useAddFinding = (id: string) => useWrite((b: CreateFindingInput) => api.post<InspectionDetail>(`/api/quality/inspections/${id}/findings`, b));
export const useSubmitInspection = (id: string) => useWrite((b: { note?: string }) => api.post<InspectionDetail>(`/api/quality/inspections/${id}/submit`, b));
export const useCreateReward = () => useWrite((b: CreateRewardInput) => api.post<Reward>('/api/quality/rewards', b));
export const useCompileReport = () => useWrite((b: { communityId: string; week?: string }) => api.post<WeeklyReport>('/api/quality/reports/weekly', b));

const ACTION_PATH: Record<NoticeAction, string> = { rectify: 'rectify', verify: 'verify', sendBack: 'send-back', extend: 'extend', cancel: 'cancel' };
export const useNoticeAction = (id: string) =>
  useWrite(({ action, ...body }: { action: NoticeAction; note?: string; reason?: string; deadlineAt?: string; photoFileIds?: string[] }) => api.post<NoticeDetail>(`/api/quality/notices/${id}/${ACTION_PATH[action]}`, body));

export const downloadReport = (communityId: string, week: string, kind: 'xlsx' | 'pdf') => download(`/api/quality/reports/weekly.${kind}`, { communityId, week }, `supervision-report.${kind}`);
