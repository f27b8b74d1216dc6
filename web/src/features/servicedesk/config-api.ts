import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  calendar,
  calendarDayBody,
  category,
  categoryQuery,
  createCategoryBody,
  createGroupBody,
  createPolicyBody,
  createRuleBody,
  createViewBody,
  dispatchMode,
  dispatchRule,
  policy,
  settings,
  settingsBody,
  staffGroup,
  ticketView,
  updateCategoryBody,
  updateGroupBody,
  updatePolicyBody,
  updateRuleBody,
} from '../../../../src/modules/servicedesk/config-schema.ts';
import type { Page } from '../../../../src/core/pagination.ts';
import { api, request } from '../../lib/api.ts';
import type { Role } from '../roles/api.ts';
import type { StaffMember } from '../staff/api.ts';

export type Category = z.infer<typeof category>;
export type Policy = z.infer<typeof policy>;
export type StaffGroup = z.infer<typeof staffGroup>;
export type DispatchRule = z.infer<typeof dispatchRule>;
export type DispatchMode = z.infer<typeof dispatchMode>;
export type DeskSettings = z.infer<typeof settings>;
export type WorkCalendar = z.infer<typeof calendar>;
export type TicketView = z.infer<typeof ticketView>;

export type CategoryQuery = Partial<z.infer<typeof categoryQuery>>;
export type CreateCategoryInput = z.infer<typeof createCategoryBody>;
export type UpdateCategoryInput = z.infer<typeof updateCategoryBody>;
export type CreatePolicyInput = z.input<typeof createPolicyBody>;
export type UpdatePolicyInput = z.infer<typeof updatePolicyBody>;
export type CreateGroupInput = z.infer<typeof createGroupBody>;
export type UpdateGroupInput = z.infer<typeof updateGroupBody>;
export type CreateRuleInput = z.input<typeof createRuleBody>;
export type UpdateRuleInput = z.infer<typeof updateRuleBody>;
export type SettingsInput = z.infer<typeof settingsBody>;
export type CalendarDayInput = z.input<typeof calendarDayBody>;
export type CreateViewInput = z.infer<typeof createViewBody>;

export const deskKeys = {
  all: ['serviceDesk'] as const,
  categories: (q: CategoryQuery) => ['serviceDesk', 'categories', q] as const,
  policies: ['serviceDesk', 'policies'] as const,
  groups: (communityId?: string) => ['serviceDesk', 'groups', communityId] as const,
  rules: ['serviceDesk', 'rules'] as const,
  settings: ['serviceDesk', 'settings'] as const,
  calendar: (year: number) => ['serviceDesk', 'calendar', year] as const,
  views: ['serviceDesk', 'views'] as const,
  workers: (communityId?: string) => ['serviceDesk', 'workers', communityId] as const,
};

/** Any configuration change may change what the other tabs show (a group in a rule, a category in a policy). */
function useConfigChanged() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: deskKeys.all });
}

export function useCategories(q: CategoryQuery = {}) {
  return useQuery({ queryKey: deskKeys.categories(q), queryFn: () => api.get<{ items: Category[] }>('/api/ticket-categories', q), staleTime: 60_000 });
}

export function useSaveCategory() {
  const done = useConfigChanged();
  return useMutation({
    mutationFn: ({ id, input }: { id?: string; input: CreateCategoryInput | UpdateCategoryInput }) =>
      id ? api.patch<Category>(`/api/ticket-categories/${id}`, input) : api.post<Category>('/api/ticket-categories', input),
    onSuccess: done,
  });
}

export function usePolicies() {
  return useQuery({ queryKey: deskKeys.policies, queryFn: () => api.get<{ items: Policy[] }>('/api/sla-policies') });
}

export function useSavePolicy() {
  const done = useConfigChanged();
  return useMutation({
    mutationFn: ({ id, input }: { id?: string; input: CreatePolicyInput | UpdatePolicyInput }) =>
      id ? api.patch<Policy>(`/api/sla-policies/${id}`, input) : api.post<Policy>('/api/sla-policies', input),
    onSuccess: done,
  });
}

export function useDeletePolicy() {
  const done = useConfigChanged();
  return useMutation({ mutationFn: (id: string) => api.delete(`/api/sla-policies/${id}`), onSuccess: done });
}

export function useGroups(communityId?: string) {
  return useQuery({ queryKey: deskKeys.groups(communityId), queryFn: () => api.get<{ items: StaffGroup[] }>('/api/staff-groups', { communityId }) });
}

export function useSaveGroup() {
  const done = useConfigChanged();
  return useMutation({
    mutationFn: ({ id, input }: { id?: string; input: CreateGroupInput | UpdateGroupInput }) =>
      id ? api.patch<StaffGroup>(`/api/staff-groups/${id}`, input) : api.post<StaffGroup>('/api/staff-groups', input),
    onSuccess: done,
  });
}

export function useDeleteGroup() {
  const done = useConfigChanged();
  return useMutation({ mutationFn: (id: string) => api.delete(`/api/staff-groups/${id}`), onSuccess: done });
}

export function useRules() {
  return useQuery({ queryKey: deskKeys.rules, queryFn: () => api.get<{ items: DispatchRule[] }>('/api/dispatch-rules') });
}

export function useSaveRule() {
  const done = useConfigChanged();
  return useMutation({
    mutationFn: ({ id, input }: { id?: string; input: CreateRuleInput | UpdateRuleInput }) =>
      id ? api.patch<DispatchRule>(`/api/dispatch-rules/${id}`, input) : api.post<DispatchRule>('/api/dispatch-rules', input),
    onSuccess: done,
  });
}

export function useDeleteRule() {
  const done = useConfigChanged();
  return useMutation({ mutationFn: (id: string) => api.delete(`/api/dispatch-rules/${id}`), onSuccess: done });
}

export function useDeskSettings() {
  return useQuery({ queryKey: deskKeys.settings, queryFn: () => api.get<DeskSettings>('/api/service-desk/settings') });
}

export function useSaveSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: SettingsInput) => request<DeskSettings>('PUT', '/api/service-desk/settings', { body: input }),
    onSuccess: (s) => qc.setQueryData(deskKeys.settings, s),
  });
}

export function useCalendar(year: number) {
  return useQuery({ queryKey: deskKeys.calendar(year), queryFn: () => api.get<WorkCalendar>('/api/work-calendar', { year }) });
}

export function useSetCalendarDay() {
  const done = useConfigChanged();
  return useMutation({ mutationFn: ({ day, input }: { day: string; input: CalendarDayInput }) => request<WorkCalendar>('PUT', `/api/work-calendar/days/${day}`, { body: input }), onSuccess: done });
}

export function useRemoveCalendarDay() {
  const done = useConfigChanged();
  return useMutation({ mutationFn: (day: string) => api.delete(`/api/work-calendar/days/${day}`), onSuccess: done });
}

export function useAddCalendarYear() {
  const done = useConfigChanged();
  return useMutation({ mutationFn: (year: number) => api.post<WorkCalendar>('/api/work-calendar/years', { year }), onSuccess: done });
}

export function useViews() {
  return useQuery({ queryKey: deskKeys.views, queryFn: () => api.get<{ items: TicketView[] }>('/api/ticket-views') });
}

export function useCreateView() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: (input: CreateViewInput) => api.post<TicketView>('/api/ticket-views', input), onSuccess: () => qc.invalidateQueries({ queryKey: deskKeys.views }) });
}

export function useDeleteView() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: (id: string) => api.delete(`/api/ticket-views/${id}`), onSuccess: () => qc.invalidateQueries({ queryKey: deskKeys.views }) });
}

export interface Worker {
  id: string;
  name: string;
}

/** The people a ticket of this community can go to: active staff holding ticket.work there (the server checks again). */
export function useWorkers(communityId: string | undefined) {
  return useQuery({
    queryKey: deskKeys.workers(communityId),
    staleTime: 60_000,
    queryFn: async (): Promise<Worker[]> => (await api.get<{ items: Worker[] }>('/api/tickets/workers', communityId ? { communityId } : {})).items,
  });
}
