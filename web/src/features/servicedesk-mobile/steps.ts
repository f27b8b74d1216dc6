import type { QueuedStep, QueuedStepName } from './offlineQueue.ts';
import type { TicketDetail, TicketStatus } from './api.ts';

/** The server path of each queued step (`POST /api/tickets/:id/<path>`). */
export const STEP_PATH: Record<QueuedStepName, string> = {
  acknowledge: 'acknowledge',
  arrive: 'arrive',
  start: 'start',
  photos: 'photos',
  materials: 'materials',
  complete: 'complete',
  handBack: 'hand-back',
  pause: 'pause',
  resume: 'resume',
  reply: 'reply',
};

type Action = TicketDetail['actions'][number];

/**
 * What the assigned technician may do next from each status — the server's transition table seen from the
 * assignee, used only while steps wait to be synced (the server's own `actions` list is used otherwise).
 */
const NEXT: Partial<Record<TicketStatus, Action[]>> = {
  dispatched: ['acknowledge', 'arrive', 'handBack', 'pause'],
  arrived: ['start', 'complete', 'handBack', 'pause'],
  inProgress: ['complete', 'pause'],
  paused: ['resume'],
};

/**
 * The ticket as the technician sees it with the queued steps applied: the status each step leads to, and the
 * steps possible from there. The server still decides when the steps arrive; a refused one is reported.
 */
export function withPending(t: TicketDetail, pending: readonly QueuedStep[]): TicketDetail {
  if (!pending.length) return t;
  let { status, pausedFrom, acknowledgedAt, assigneeId, assigneeName } = t;
  for (const p of pending) {
    switch (p.step) {
      case 'acknowledge':
        acknowledgedAt ??= p.at;
        break;
      case 'arrive':
        status = 'arrived';
        acknowledgedAt ??= p.at;
        break;
      case 'start':
        status = 'inProgress';
        break;
      case 'complete':
        status = 'completed';
        break;
      case 'pause':
        pausedFrom = status;
        status = 'paused';
        break;
      case 'resume':
        status = pausedFrom ?? status;
        pausedFrom = null;
        break;
      case 'handBack':
        status = 'accepted';
        assigneeId = null;
        assigneeName = null;
        acknowledgedAt = null;
        break;
      default:
        break;
    }
  }
  const actions = assigneeId === null ? [] : (NEXT[status] ?? []);
  return { ...t, status, pausedFrom, acknowledgedAt, assigneeId, assigneeName, actions };
}
