import { createHash } from 'node:crypto';
import type { ClockName, ClockSpec, ClockState, Severity, TicketKind, TicketStatus, Urgency } from '../../db/schema-service-desk.ts';

/**
 * The service desk's pure rules: the lifecycle as a transition table, who may take each step, clock states,
 * which time-limit policy applies, and the return-visit sample. No I/O here; service code checks every step
 * against these tables on the server, whatever client sent it.
 */

export const TICKET_KINDS = ['homeRepair', 'publicRepair', 'complaint', 'inquiry', 'paidService'] as const satisfies readonly TicketKind[];
export const TICKET_STATUSES = ['submitted', 'accepted', 'dispatched', 'arrived', 'inProgress', 'paused', 'completed', 'confirmed', 'visited', 'closed', 'cancelled'] as const satisfies readonly TicketStatus[];
export const CLOCKS = ['respond', 'arrive', 'resolve', 'reply'] as const satisfies readonly ClockName[];
export const OPEN_STATUSES: readonly TicketStatus[] = ['submitted', 'accepted', 'dispatched', 'arrived', 'inProgress', 'paused'];

export type TicketAction =
  | 'accept'
  | 'dispatch'
  | 'grab'
  | 'acknowledge'
  | 'transfer'
  | 'handBack'
  | 'arrive'
  | 'start'
  | 'reply'
  | 'complete'
  | 'confirm'
  | 'rework'
  | 'returnVisit'
  | 'close'
  | 'pause'
  | 'resume'
  | 'cancel';

/** Who takes a step: the desk (dispatchers), the assigned technician, the owner who reported it, or the system. */
export type Role = 'desk' | 'assignee' | 'worker' | 'reporter' | 'visitor' | 'system';

interface Transition {
  from: readonly TicketStatus[];
  /** 'same' keeps the status; 'previous' returns to the status before a pause. */
  to: TicketStatus | 'same' | 'previous';
  by: readonly Role[];
  /** Kinds for which `from` differs (desk-handled complaints and inquiries need no site visit). */
  fromByKind?: Partial<Record<TicketKind, readonly TicketStatus[]>>;
}

const ACTIVE: readonly TicketStatus[] = ['accepted', 'dispatched', 'arrived', 'inProgress'];

export const TRANSITIONS: Record<TicketAction, Transition> = {
  accept: { from: ['submitted'], to: 'accepted', by: ['desk'] },
  dispatch: { from: ['submitted', 'accepted', 'dispatched'], to: 'dispatched', by: ['desk'] },
  grab: { from: ['submitted', 'accepted'], to: 'dispatched', by: ['worker'] },
  acknowledge: { from: ['dispatched'], to: 'same', by: ['assignee'] },
  transfer: { from: ['dispatched', 'arrived', 'inProgress'], to: 'dispatched', by: ['desk', 'assignee'] },
  handBack: { from: ['dispatched', 'arrived'], to: 'accepted', by: ['assignee'] },
  arrive: { from: ['dispatched'], to: 'arrived', by: ['assignee'] },
  start: { from: ['arrived'], to: 'inProgress', by: ['assignee'] },
  reply: { from: ['submitted', ...ACTIVE], to: 'same', by: ['desk', 'assignee'] },
  complete: {
    from: ['arrived', 'inProgress'],
    fromByKind: { complaint: ACTIVE, inquiry: ['submitted', ...ACTIVE] },
    to: 'completed',
    by: ['desk', 'assignee'],
  },
  confirm: { from: ['completed'], to: 'confirmed', by: ['reporter', 'system'] },
  rework: { from: ['completed', 'confirmed'], to: 'dispatched', by: ['reporter', 'visitor'] },
  returnVisit: { from: ['completed', 'confirmed'], to: 'visited', by: ['visitor', 'reporter'] },
  close: { from: ['confirmed', 'visited'], to: 'closed', by: ['desk', 'system'] },
  pause: { from: ACTIVE, to: 'paused', by: ['desk', 'assignee'] },
  resume: { from: ['paused'], to: 'previous', by: ['desk', 'assignee'] },
  cancel: { from: ['submitted', 'accepted', 'dispatched', 'arrived', 'paused'], to: 'cancelled', by: ['desk', 'reporter'] },
};

/** The status after `action`, or null when the step is not allowed from `status` for this kind of ticket. */
export function nextStatus(action: TicketAction, status: TicketStatus, kind: TicketKind, pausedFrom: TicketStatus | null = null): TicketStatus | null {
  const tr = TRANSITIONS[action];
  const from = tr.fromByKind?.[kind] ?? tr.from;
  if (!from.includes(status)) return null;
  if (tr.to === 'same') return status;
  if (tr.to === 'previous') return pausedFrom;
  return tr.to;
}

export function mayAct(action: TicketAction, roles: readonly Role[]): boolean {
  return TRANSITIONS[action].by.some((r) => roles.includes(r));
}

/** The clocks a step stops: the first of these steps meets the clock. */
export const CLOCK_STOPS: Partial<Record<TicketAction, readonly ClockName[]>> = {
  accept: ['respond'],
  dispatch: ['respond'],
  grab: ['respond'],
  acknowledge: ['respond'],
  arrive: ['respond', 'arrive'],
  reply: ['respond', 'reply'],
  complete: ['respond', 'arrive', 'resolve', 'reply'],
};

export interface ClockTimes {
  dueAt: Date | null;
  warnAt: Date | null;
  doneAt: Date | null;
}

/** A clock's state at `now`: met / met late once stopped; else running, at risk past the warning point, overdue past due. */
export function clockState(c: ClockTimes, now: Date): ClockState | null {
  if (!c.dueAt) return null;
  if (c.doneAt) return c.doneAt.getTime() <= c.dueAt.getTime() ? 'met' : 'metLate';
  if (now.getTime() > c.dueAt.getTime()) return 'overdue';
  if (c.warnAt && now.getTime() >= c.warnAt.getTime()) return 'atRisk';
  return 'running';
}

export interface PolicyCandidate {
  id: string;
  communityId: string | null;
  kind: TicketKind;
  categoryId: string | null;
  urgency: Urgency | null;
  severity: Severity | null;
  clocks: ClockSpec;
}

/**
 * The policy for a ticket: among those matching its kind (and category / urgency / severity where the policy names
 * one), the most specific wins — a community's own policy over the company's, then category, urgency, severity.
 */
export function pickPolicy<P extends PolicyCandidate>(
  policies: readonly P[],
  t: { communityId: string; kind: TicketKind; categoryId: string; urgency: Urgency; severity: Severity },
): P | null {
  let best: P | null = null;
  let bestScore = -1;
  for (const p of policies) {
    if (p.kind !== t.kind) continue;
    if (p.communityId !== null && p.communityId !== t.communityId) continue;
    if (p.categoryId !== null && p.categoryId !== t.categoryId) continue;
    if (p.urgency !== null && p.urgency !== t.urgency) continue;
    if (p.severity !== null && p.severity !== t.severity) continue;
    const score = (p.communityId ? 8 : 0) + (p.categoryId ? 4 : 0) + (p.urgency ? 2 : 0) + (p.severity ? 1 : 0);
    if (score > bestScore) {
      best = p;
      bestScore = score;
    }
  }
  return best;
}

export interface DispatchRuleCandidate {
  id: string;
  kind: TicketKind | null;
  categoryId: string | null;
  buildingId: string | null;
  zoneId: string | null;
  priority: number;
}

/** The first active rule by priority whose conditions all hold (a rule without a condition matches any value). */
export function pickDispatchRule<R extends DispatchRuleCandidate>(
  rules: readonly R[],
  t: { kind: TicketKind; categoryId: string; buildingId: string | null; zoneId: string | null },
): R | null {
  const sorted = [...rules].sort((a, b) => a.priority - b.priority || a.id.localeCompare(b.id));
  return (
    sorted.find(
      (r) =>
        (r.kind === null || r.kind === t.kind) &&
        (r.categoryId === null || r.categoryId === t.categoryId) &&
        (r.buildingId === null || r.buildingId === t.buildingId) &&
        (r.zoneId === null || r.zoneId === t.zoneId),
    ) ?? null
  );
}

/** Round-robin: the member after the one who got the last ticket. */
export function roundRobinPick<T>(members: readonly T[], cursor: number): { member: T; next: number } | null {
  if (members.length === 0) return null;
  const i = ((cursor % members.length) + members.length) % members.length;
  return { member: members[i]!, next: i + 1 };
}

export type ReturnVisitReason = 'complaint' | 'majorComplaint' | 'sample';

/**
 * Which completed tickets get a return visit (回访): every complaint, every major complaint as mandatory, and a
 * sample of repairs. The sample is decided by a hash of the ticket id, so it is stable and cannot be steered.
 */
export function returnVisitFor(t: { id: string; kind: TicketKind; severity: Severity }, samplePercent: number): { reason: ReturnVisitReason; mandatory: boolean } | null {
  if (t.kind === 'complaint') return t.severity === 'major' ? { reason: 'majorComplaint', mandatory: true } : { reason: 'complaint', mandatory: false };
  if (t.kind === 'homeRepair' || t.kind === 'publicRepair' || t.kind === 'paidService') {
    return sampleBucket(t.id) < samplePercent ? { reason: 'sample', mandatory: false } : null;
  }
  return null;
}

/** 0–99 from the ticket id. */
export function sampleBucket(id: string): number {
  return createHash('sha256').update(id).digest().readUInt16BE(0) % 100;
}

/** 中修/大修 need the owners' committee before work starts. */
export function needsApproval(repairSize: string | null): boolean {
  return repairSize === 'medium' || repairSize === 'major';
}
