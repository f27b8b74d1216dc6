import { useEffect, useRef } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type * as s from '../../../../src/modules/servicedesk/schema.ts';
import type { category } from '../../../../src/modules/servicedesk/config-schema.ts';
import type { StoredFile } from '../../../../src/modules/files/schema.ts';
import type { Page } from '../../../../src/core/pagination.ts';
import { api, upload } from '../../lib/api.ts';

export type TicketKind = z.infer<typeof s.ticketKind>;
export type TicketStatus = z.infer<typeof s.ticketStatus>;
export type TicketSummary = z.infer<typeof s.ticketSummary>;
export type TicketDetail = z.infer<typeof s.ticketDetail>;
export type TicketEvent = z.infer<typeof s.ticketEvent>;
export type TicketClock = z.infer<typeof s.clock>;
export type Category = z.infer<typeof category>;
export type OwnerCreateTicketInput = z.input<typeof s.ownerCreateTicketBody>;
export type RateInput = z.input<typeof s.rateBody>;
export type OwnerReturnVisitInput = z.input<typeof s.ownerReturnVisitBody>;
export type ApprovalInput = z.infer<typeof s.approvalBody>;
export type NotificationItem = z.infer<typeof s.notificationItem>;

export interface PendingApproval {
  id: string;
  no: string;
  title: string;
  description: string;
  repairSize: TicketDetail['repairSize'];
  location: string | null;
  communityName: string;
  reportedAt: string;
  myDecision: string | null;
}

export const deskKeys = {
  all: ['servicedeskMobile'] as const,
  categories: (kind: TicketKind) => ['servicedeskMobile', 'categories', kind] as const,
  myTickets: ['servicedeskMobile', 'owner', 'tickets'] as const,
  myTicket: (id: string) => ['servicedeskMobile', 'owner', 'ticket', id] as const,
  questions: ['servicedeskMobile', 'visitQuestions'] as const,
  approvals: ['servicedeskMobile', 'approvals'] as const,
  tasks: ['servicedeskMobile', 'tasks'] as const,
  myTasks: ['servicedeskMobile', 'tasks', 'mine'] as const,
  pool: ['servicedeskMobile', 'tasks', 'pool'] as const,
  task: (id: string) => ['servicedeskMobile', 'task', id] as const,
};

/** Active categories of one kind (the reporting form's chips). */
export function useCategories(kind: TicketKind | undefined) {
  return useQuery({
    queryKey: deskKeys.categories(kind ?? 'homeRepair'),
    queryFn: () => api.get<{ items: Category[] }>('/api/ticket-categories', { kind, active: 'true' }),
    enabled: Boolean(kind),
    staleTime: 10 * 60_000,
  });
}

/** Uploads one photo (before it is attached to a ticket); resolves to the stored file. */
export function uploadPhoto(file: Blob, name: string) {
  return upload<StoredFile>('/api/files', file, undefined, name);
}

// ── Owner ────────────────────────────────────────────────────────────────────────────────────────────────────

export function useMyTickets() {
  return useQuery({ queryKey: deskKeys.myTickets, queryFn: () => api.get<{ items: TicketSummary[] }>('/api/owner/tickets') });
}

export function useMyTicket(id: string) {
  return useQuery({ queryKey: deskKeys.myTicket(id), queryFn: () => api.get<TicketDetail>(`/api/owner/tickets/${id}`) });
}

export function useCreateTicket() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: OwnerCreateTicketInput) => api.post<TicketDetail>('/api/owner/tickets', input),
    onSuccess: (t) => {
      qc.setQueryData(deskKeys.myTicket(t.id), t);
      return qc.invalidateQueries({ queryKey: deskKeys.myTickets });
    },
  });
}

type OwnerStep = 'rate' | 'rework' | 'cancel' | 'return-visit';

/** The owner's own steps on a ticket; each answers with the ticket, which replaces the cached one. */
export function useOwnerStep(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ step, body }: { step: OwnerStep; body: unknown }) => api.post<TicketDetail>(`/api/owner/tickets/${id}/${step}`, body),
    onSuccess: (t) => {
      qc.setQueryData(deskKeys.myTicket(id), t);
      return qc.invalidateQueries({ queryKey: deskKeys.myTickets });
    },
  });
}

export function useReturnVisitQuestions(enabled: boolean) {
  return useQuery({
    queryKey: deskKeys.questions,
    queryFn: () => api.get<{ items: Array<{ key: string; text: string }> }>('/api/return-visit-questions'),
    enabled,
    staleTime: 30 * 60_000,
  });
}

/** Medium and major repairs waiting for the owners' committee; only current members get any. */
export function useApprovals() {
  return useQuery({ queryKey: deskKeys.approvals, queryFn: () => api.get<{ items: PendingApproval[] }>('/api/ticket-approvals') });
}

export function useVote() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: ApprovalInput & { id: string }) => api.post<TicketDetail>(`/api/tickets/${id}/vote`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: deskKeys.approvals }),
  });
}

// ── Field staff ──────────────────────────────────────────────────────────────────────────────────────────────

export function useMyTasks() {
  return useQuery({
    queryKey: deskKeys.myTasks,
    queryFn: () => api.get<Page<TicketSummary>>('/api/tickets', { assigneeId: 'me', open: 'true', pageSize: 100 }),
  });
}

export function usePool() {
  return useQuery({ queryKey: deskKeys.pool, queryFn: () => api.get<{ items: TicketSummary[] }>('/api/tickets/pool') });
}

export function useTask(id: string) {
  return useQuery({ queryKey: deskKeys.task(id), queryFn: () => api.get<TicketDetail>(`/api/tickets/${id}`) });
}

/** 抢单: the first taker wins; a second gets 409. */
export function useGrab() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<TicketDetail>(`/api/tickets/${id}/grab`),
    onSuccess: (t) => qc.setQueryData(deskKeys.task(t.id), t),
    onSettled: () => qc.invalidateQueries({ queryKey: deskKeys.tasks }),
  });
}

/**
 * Listens to the server's notification stream while mounted (new task, pool, rework, rating) and calls `onEvent`
 * for each. The browser reconnects by itself, resuming after the last event id.
 */
export function useNotificationStream(onEvent: (n: NotificationItem) => void) {
  const handler = useRef(onEvent);
  useEffect(() => {
    handler.current = onEvent;
  });
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/notifications/stream');
    const listener = (e: MessageEvent<string>) => {
      try {
        handler.current(JSON.parse(e.data) as NotificationItem);
      } catch {
        // A malformed event is ignored; the next refresh shows the truth.
      }
    };
    source.addEventListener('notification', listener);
    return () => {
      source.removeEventListener('notification', listener);
      source.close();
    };
  }, []);
}
