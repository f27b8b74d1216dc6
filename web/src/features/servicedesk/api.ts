import { keepPreviousData, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  acceptBody,
  approvalBody,
  clock,
  completeBody,
  createTicketBody,
  dispatchBody,
  extendBody,
  notificationItem,
  reasonBody,
  replyBody,
  returnVisitBody,
  returnVisitItem,
  returnVisitQuery,
  stepBody,
  ticketDetail,
  ticketEvent,
  ticketQuery,
  ticketSummary,
  transferBody,
  channel,
  clockName,
  clockStateEnum,
  repairSize,
  severity,
  ticketAction,
  ticketKind,
  ticketStatus,
  urgency,
} from '../../../../src/modules/servicedesk/schema.ts';
import type { StoredFile } from '../../../../src/modules/files/schema.ts';
import type { Page } from '../../../../src/core/pagination.ts';
import { api, upload } from '../../lib/api.ts';

export type TicketSummary = z.infer<typeof ticketSummary>;
export type TicketDetail = z.infer<typeof ticketDetail>;
export type TicketEvent = z.infer<typeof ticketEvent>;
export type Clock = z.infer<typeof clock>;
export type ClockName = z.infer<typeof clockName>;
export type ClockState = z.infer<typeof clockStateEnum>;
export type TicketKind = z.infer<typeof ticketKind>;
export type TicketStatus = z.infer<typeof ticketStatus>;
export type TicketAction = z.infer<typeof ticketAction>;
export type Channel = z.infer<typeof channel>;
export type Urgency = z.infer<typeof urgency>;
export type Severity = z.infer<typeof severity>;
export type RepairSize = z.infer<typeof repairSize>;
export type ReturnVisitItem = z.infer<typeof returnVisitItem>;
export type NotificationItem = z.infer<typeof notificationItem>;

export type TicketQuery = Partial<z.infer<typeof ticketQuery>>;
export type ReturnVisitQuery = Partial<z.infer<typeof returnVisitQuery>>;
export type CreateTicketInput = z.input<typeof createTicketBody>;
export type AcceptInput = z.infer<typeof acceptBody>;
export type DispatchInput = z.infer<typeof dispatchBody>;
export type TransferInput = z.infer<typeof transferBody>;
export type ReasonInput = z.input<typeof reasonBody>;
export type StepInput = z.input<typeof stepBody>;
export type ReplyInput = z.input<typeof replyBody>;
export type CompleteInput = z.input<typeof completeBody>;
export type ExtendInput = z.infer<typeof extendBody>;
export type ApprovalInput = z.infer<typeof approvalBody>;
export type ReturnVisitInput = z.input<typeof returnVisitBody>;

/** One item of GET /api/ticket-approvals (the route declares its shape inline). */
export interface PendingApproval {
  id: string;
  no: string;
  title: string;
  description: string;
  repairSize: RepairSize | null;
  location: string | null;
  communityName: string;
  reportedAt: string;
  myDecision: string | null;
}

export const ticketKeys = {
  all: ['tickets'] as const,
  list: (q: TicketQuery) => ['tickets', 'list', q] as const,
  detail: (id: string) => ['tickets', 'detail', id] as const,
  approvals: ['tickets', 'approvals'] as const,
  visits: (q: ReturnVisitQuery) => ['tickets', 'visits', q] as const,
  visitQuestions: ['tickets', 'visitQuestions'] as const,
  notifications: ['notifications'] as const,
};

export function useTickets(q: TicketQuery, options: { refetchInterval?: number } = {}) {
  return useQuery({
    queryKey: ticketKeys.list(q),
    queryFn: () => api.get<Page<TicketSummary>>('/api/tickets', q as Record<string, string | number | undefined>),
    placeholderData: keepPreviousData,
    refetchInterval: options.refetchInterval,
  });
}

/** One query per status (the API takes one status in a query string), for the board's columns. */
export function useTicketsByStatus(statuses: readonly TicketStatus[], q: TicketQuery) {
  return useQueries({
    queries: statuses.map((status) => ({
      queryKey: ticketKeys.list({ ...q, status }),
      queryFn: () => api.get<Page<TicketSummary>>('/api/tickets', { ...q, status } as Record<string, string | number | undefined>),
      refetchInterval: 60_000,
    })),
  });
}

export function useTicket(id: string | undefined) {
  return useQuery({ queryKey: ticketKeys.detail(id ?? ''), queryFn: () => api.get<TicketDetail>(`/api/tickets/${id}`), enabled: Boolean(id), refetchInterval: 60_000 });
}

/** Every change to a ticket can move it between lists, so the lists go stale with it. */
function useTicketChanged() {
  const qc = useQueryClient();
  return (t: TicketDetail) => {
    qc.setQueryData(ticketKeys.detail(t.id), t);
    void qc.invalidateQueries({ queryKey: ticketKeys.all, predicate: (q) => !(q.queryKey[1] === 'detail' && q.queryKey[2] === t.id) });
  };
}

export function useCreateTicket() {
  const changed = useTicketChanged();
  return useMutation({ mutationFn: (input: CreateTicketInput) => api.post<TicketDetail>('/api/tickets', input), onSuccess: changed });
}

/** The ticket steps and the body each takes; the path is the step's URL segment. */
export interface StepBodies {
  accept: AcceptInput;
  dispatch: DispatchInput;
  acknowledge: StepInput;
  transfer: TransferInput;
  'hand-back': ReasonInput;
  arrive: StepInput;
  start: StepInput;
  reply: ReplyInput;
  complete: CompleteInput;
  pause: ReasonInput;
  resume: StepInput;
  cancel: { reason: string };
  close: AcceptInput;
  extend: ExtendInput;
  grab: Record<string, never>;
  vote: ApprovalInput;
}
export type StepPath = keyof StepBodies;

/** Any step on a ticket: POST /api/tickets/:id/<path> with that step's body; the answer is the ticket as it is now. */
export function useTicketStep() {
  const changed = useTicketChanged();
  return useMutation({
    mutationFn: ({ id, path, body }: { id: string; path: StepPath; body: StepBodies[StepPath] }) => api.post<TicketDetail>(`/api/tickets/${id}/${path}`, body),
    onSuccess: changed,
  });
}

export function usePendingApprovals() {
  return useQuery({ queryKey: ticketKeys.approvals, queryFn: () => api.get<{ items: PendingApproval[] }>('/api/ticket-approvals') });
}

export function useVote() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: ApprovalInput }) => api.post<TicketDetail>(`/api/tickets/${id}/vote`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ticketKeys.all }),
  });
}

export function useReturnVisits(q: ReturnVisitQuery) {
  return useQuery({ queryKey: ticketKeys.visits(q), queryFn: () => api.get<Page<ReturnVisitItem>>('/api/return-visits', q as Record<string, string | number | undefined>), placeholderData: keepPreviousData });
}

export function useReturnVisitQuestions() {
  return useQuery({ queryKey: ticketKeys.visitQuestions, queryFn: () => api.get<{ items: Array<{ key: string; text: string }> }>('/api/return-visit-questions'), staleTime: 10 * 60_000 });
}

export function useRecordReturnVisit() {
  const changed = useTicketChanged();
  return useMutation({ mutationFn: ({ id, body }: { id: string; body: ReturnVisitInput }) => api.post<TicketDetail>(`/api/return-visits/${id}`, body), onSuccess: changed });
}

export function useUploadPhoto() {
  return useMutation({ mutationFn: (file: File) => upload<StoredFile>('/api/files', file) });
}

export function useNotifications() {
  return useQuery({ queryKey: ticketKeys.notifications, queryFn: () => api.get<{ unread: number; items: NotificationItem[] }>('/api/notifications'), refetchInterval: 5 * 60_000 });
}

export function useMarkRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (ids: number[] | 'all') => api.post<{ marked: number }>('/api/notifications/read', { ids }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ticketKeys.notifications }),
  });
}
