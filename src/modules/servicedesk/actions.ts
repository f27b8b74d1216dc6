import type { z } from 'zod';
import type { Transaction, Updateable } from 'kysely';
import type { Deps } from '../../deps.ts';
import type { DB } from '../../db/schema.ts';
import type { TicketStatus } from '../../db/schema-service-desk.ts';
import { type RequestContext, companyOf, requirePermission } from '../../core/context.ts';
import { AppError, ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import type { MessageKey } from '../../core/messages.ts';
import { CLOCK_STOPS, CLOCKS, clockState, mayAct, nextStatus, returnVisitFor, TRANSITIONS, type TicketAction } from './rules.ts';
import { loadTicketRow, requireImages, requireWorker, rolesOn, staffWith, stopClocks, type TicketRow } from './repo.ts';
import { deskConfig } from './config.ts';
import { notify, smsReporter, wake } from './notify.ts';
import { getTicket } from './tickets.ts';
import type * as s from './schema.ts';

const LIFECYCLE_ACTIONS = Object.keys(TRANSITIONS);

/** Reports and check-ins may be dated up to a minute ahead of the server clock (phones drift). */
const CLOCK_SKEW_MS = 60_000;

type TicketUpdate = Updateable<DB['tickets']>;

interface StepContext {
  trx: Transaction<DB>;
  t: TicketRow;
  at: Date;
  now: Date;
  to: TicketStatus;
  companyId: string;
  /** Added to the timeline event's payload (e.g. the assignee's name, for the owner's timeline). */
  payload: Record<string, unknown>;
  /** Users to notify once committed, and SMS to send. */
  after: { woken: string[]; sms: Array<{ template: MessageKey; params: Record<string, string> }> };
}

interface Step {
  action: TicketAction;
  clientActionId?: string;
  /** When it happened on the device (offline actions); defaults to now. */
  at?: string;
  note?: string | null;
  payload?: Record<string, unknown>;
  /** Extra checks and column changes for this step, inside the transaction with the ticket row locked. */
  apply?: (c: StepContext) => Promise<TicketUpdate | void> | TicketUpdate | void;
  /** Checks that explain a refusal better than the transition table would (e.g. "someone else took it"). */
  precheck?: (t: TicketRow) => void;
  /** Overrides the status the transition table gives (e.g. a pool dispatch keeps the ticket with the desk). */
  status?: (c: Omit<StepContext, 'to'> & { to: TicketStatus }) => TicketStatus;
}

/**
 * One lifecycle step: lock the ticket, check the transition table and the caller's role, stop the clocks the step
 * meets, apply the step's own changes, write the timeline event and the audit row — all in one transaction.
 * A step sent again with the same clientActionId (an offline queue replaying) changes nothing and returns the ticket.
 */
export async function step(deps: Pick<Deps, 'db' | 'sms' | 'log'>, ctx: RequestContext, id: string, st: Step) {
  const companyId = companyOf(ctx.actor);
  const now = new Date();
  const result = await deps.db.transaction().execute(async (trx) => {
    const t = await loadTicketRow(trx, ctx, id, { forUpdate: true });
    if (await alreadyDone(trx, id, st.clientActionId)) return null;
    const roles = rolesOn(ctx, t);
    if (!mayAct(st.action, roles)) throw new ForbiddenError(`ticket.${st.action}`);
    st.precheck?.(t);
    let to = nextStatus(st.action, t.status, t.kind, t.paused_from);
    if (to === null) throw new ConflictError('conflict.ticketState', { status: t.status, action: st.action }, { field: 'status', status: t.status, action: st.action });
    const at = await actedAt(trx, t, st.at, now);
    const c: StepContext = { trx, t, at, now, to, companyId, payload: { ...(st.payload ?? {}) }, after: { woken: [], sms: [] } };
    if (st.status) c.to = to = st.status(c);
    const extra = (await st.apply?.(c)) ?? {};
    const stops = stopClocks(t, CLOCK_STOPS[st.action] ?? [], at);
    await trx
      .updateTable('tickets')
      .set({ ...stops, ...extra, status: to, updated_at: now })
      .where('id', '=', id)
      .execute();
    await trx
      .insertInto('ticket_events')
      .values({
        company_id: companyId,
        ticket_id: id,
        at,
        actor_id: ctx.actor.userId,
        actor_name: ctx.actor.displayName,
        action: st.action,
        from_status: t.status,
        to_status: to,
        note: st.note ?? null,
        payload: JSON.stringify(c.payload),
        client_action_id: st.clientActionId ?? null,
      })
      .execute();
    await writeAudit(trx, ctx, { action: `ticket.${st.action}`, entityType: 'ticket', entityId: id, before: { status: t.status }, after: { status: to, ...c.payload, note: st.note ?? undefined } });
    return { t, after: c.after };
  });
  if (result) {
    wake(result.after.woken);
    if (result.after.sms.length) {
      const cfg = await deskConfig(deps.db, companyId);
      for (const m of result.after.sms) await smsReporter(deps, result.t, m.template, m.params, cfg.settings.notifyOwnerSms);
    }
  }
  return getTicket(deps, ctx, id);
}

/** A step sent again with the same clientActionId (an offline queue replaying) was already recorded. */
async function alreadyDone(trx: Transaction<DB>, ticketId: string, clientActionId: string | undefined): Promise<boolean> {
  if (!clientActionId) return false;
  const seen = await trx.selectFrom('ticket_events').select('id').where('ticket_id', '=', ticketId).where('client_action_id', '=', clientActionId).executeTakeFirst();
  return Boolean(seen);
}

/** The time a step happened: now, or the device's time for a queued offline step — never ahead, never before the last step. */
async function actedAt(trx: Transaction<DB>, t: TicketRow, sent: string | undefined, now: Date): Promise<Date> {
  if (!sent) return now;
  const at = new Date(sent);
  if (at.getTime() > now.getTime() + CLOCK_SKEW_MS) throw new ValidationError('at', 'validation.future');
  // Only lifecycle steps count: a deadline extension or a photo added since does not make a queued check-in "too early".
  const last = await trx
    .selectFrom('ticket_events')
    .select((eb) => eb.fn.max('at').as('at'))
    .where('ticket_id', '=', t.id)
    .where('action', 'in', ['create', 'pool', ...LIFECYCLE_ACTIONS])
    .executeTakeFirst();
  if (last?.at && at.getTime() < new Date(last.at as Date).getTime()) throw new ValidationError('at', 'validation.beforeTicket');
  return at.getTime() > now.getTime() ? now : at;
}

async function attach(c: StepContext, fileIds: readonly string[], stage: 'before' | 'progress' | 'after' | 'visit') {
  if (!fileIds.length) return;
  await c.trx
    .insertInto('ticket_attachments')
    .values(fileIds.map((file_id) => ({ company_id: c.companyId, ticket_id: c.t.id, file_id, stage })))
    .onConflict((oc) => oc.columns(['ticket_id', 'file_id']).doNothing())
    .execute();
}

async function tell(c: StepContext, userIds: readonly (string | null)[], kind: string, extra = '') {
  c.after.woken.push(...(await notify(c.trx, c.companyId, { userIds, ticketId: c.t.id, kind, title: `${c.t.no} ${c.t.title}`, body: extra })));
}

function approvalGuard(t: TicketRow) {
  if (t.approval_status === 'pending' || t.approval_status === 'rejected') throw new AppError(409, 'CONFLICT', 'conflict.approvalPending', {}, { field: 'approvalStatus' });
}

export const accept = (deps: Deps, ctx: RequestContext, id: string, b: z.infer<typeof s.acceptBody>) =>
  step(deps, ctx, id, { action: 'accept', note: b.note, apply: (c) => ({ accepted_at: c.at }) });

export async function dispatch(deps: Deps, ctx: RequestContext, id: string, b: z.infer<typeof s.dispatchBody>) {
  const companyId = companyOf(ctx.actor);
  let assigneeName = '';
  return step(deps, ctx, id, {
    action: 'dispatch',
    // Checked once the ticket is found, so another company's ticket is a 404 whatever the body says.
    precheck: () => {
      if ([b.assigneeId, b.poolGroupId, b.roundRobinGroupId].filter(Boolean).length !== 1) throw new ValidationError('assigneeId', 'validation.dispatchTarget');
    },
    note: b.note,
    payload: { assigneeId: b.assigneeId, poolGroupId: b.poolGroupId, roundRobinGroupId: b.roundRobinGroupId },
    status: (c) => (b.poolGroupId ? (c.t.status === 'submitted' ? 'submitted' : 'accepted') : 'dispatched'),
    apply: async (c) => {
      let assignee: string | null = null;
      if (b.assigneeId) {
        const w = await requireWorker(c.trx, companyId, c.t.community_id, b.assigneeId, 'assigneeId');
        assignee = w.id;
        assigneeName = w.name;
      } else {
        const field = b.poolGroupId ? 'poolGroupId' : 'roundRobinGroupId';
        const group = await c.trx.selectFrom('staff_groups').select(['id', 'community_id', 'rr_cursor']).where('id', '=', (b.poolGroupId ?? b.roundRobinGroupId)!).where('company_id', '=', companyId).forUpdate().executeTakeFirst();
        if (!group) throw new ValidationError(field, 'validation.unknownIds');
        if (group.community_id && group.community_id !== c.t.community_id) throw new ValidationError(field, 'validation.otherCommunity');
        const workers = await staffWith(c.trx, companyId, c.t.community_id, 'ticket.work');
        const members = (await c.trx.selectFrom('staff_group_members').select('user_id').where('group_id', '=', group.id).orderBy('position').orderBy('user_id').execute()).map((m) => m.user_id).filter((u) => workers.includes(u));
        if (!members.length) throw new ValidationError(field, 'validation.emptyGroup');
        if (b.poolGroupId) {
          await tell(c, members, 'pool');
          return { assignee_id: null, group_id: group.id, in_pool: true, acknowledged_at: null };
        }
        const i = group.rr_cursor % members.length;
        assignee = members[i]!;
        await c.trx.updateTable('staff_groups').set({ rr_cursor: i + 1 }).where('id', '=', group.id).execute();
        assigneeName = (await c.trx.selectFrom('users').select('display_name').where('id', '=', assignee).executeTakeFirstOrThrow()).display_name;
      }
      await tell(c, [assignee], 'assigned');
      c.payload.assigneeName = assigneeName;
      c.after.sms.push({ template: 'sms.ticketDispatched', params: { no: c.t.no, name: assigneeName } });
      return { assignee_id: assignee, in_pool: false, dispatched_at: c.at, acknowledged_at: null, group_id: b.roundRobinGroupId ?? null };
    },
  });
}

export const grab = (deps: Deps, ctx: RequestContext, id: string) =>
  step(deps, ctx, id, {
    action: 'grab',
    // The row is locked: a second taker waits for the first, then finds it gone from the pool.
    precheck: (t) => {
      if (!t.in_pool) throw new ConflictError(t.assignee_id ? 'conflict.ticketTaken' : 'conflict.notInPool', {}, { field: 'inPool' });
    },
    apply: async (c) => {
      if (c.t.group_id) {
        const member = await c.trx.selectFrom('staff_group_members').select('user_id').where('group_id', '=', c.t.group_id).where('user_id', '=', ctx.actor.userId).executeTakeFirst();
        if (!member) throw new ForbiddenError('ticket.grab');
      }
      c.payload.assigneeName = ctx.actor.displayName;
      c.after.sms.push({ template: 'sms.ticketDispatched', params: { no: c.t.no, name: ctx.actor.displayName } });
      return { assignee_id: ctx.actor.userId, in_pool: false, dispatched_at: c.at, acknowledged_at: c.at };
    },
  });

export const acknowledge = (deps: Deps, ctx: RequestContext, id: string, b: z.infer<typeof s.stepBody>) =>
  step(deps, ctx, id, { action: 'acknowledge', clientActionId: b.clientActionId, at: b.at, note: b.note, apply: (c) => ({ acknowledged_at: c.at }) });

export const transfer = (deps: Deps, ctx: RequestContext, id: string, b: z.infer<typeof s.transferBody>) =>
  step(deps, ctx, id, {
    action: 'transfer',
    note: b.reason,
    payload: { assigneeId: b.assigneeId },
    apply: async (c) => {
      const w = await requireWorker(c.trx, c.companyId, c.t.community_id, b.assigneeId, 'assigneeId');
      c.payload.assigneeName = w.name;
      await tell(c, [w.id], 'assigned');
      return { assignee_id: w.id, in_pool: false, acknowledged_at: null, dispatched_at: c.at };
    },
  });

export const handBack = (deps: Deps, ctx: RequestContext, id: string, b: z.infer<typeof s.reasonBody>) =>
  step(deps, ctx, id, {
    action: 'handBack',
    note: b.reason,
    clientActionId: b.clientActionId,
    at: b.at,
    apply: async (c) => {
      await tell(c, await staffWith(c.trx, c.companyId, c.t.community_id, 'ticket.dispatch'), 'handedBack', b.reason);
      return { assignee_id: null, acknowledged_at: null };
    },
  });

export const arrive = (deps: Deps, ctx: RequestContext, id: string, b: z.infer<typeof s.stepBody>) =>
  step(deps, ctx, id, {
    action: 'arrive',
    note: b.note,
    clientActionId: b.clientActionId,
    at: b.at,
    payload: { photos: b.photoFileIds.length },
    apply: async (c) => {
      await requireImages(c.trx, ctx, b.photoFileIds, 'photoFileIds');
      await attach(c, b.photoFileIds, 'before');
      return { arrived_at: c.at, acknowledged_at: c.t.acknowledged_at ?? c.at };
    },
  });

export const start = (deps: Deps, ctx: RequestContext, id: string, b: z.infer<typeof s.stepBody>) =>
  step(deps, ctx, id, {
    action: 'start',
    note: b.note,
    clientActionId: b.clientActionId,
    at: b.at,
    apply: async (c) => {
      approvalGuard(c.t);
      await requireImages(c.trx, ctx, b.photoFileIds, 'photoFileIds');
      await attach(c, b.photoFileIds, 'progress');
    },
  });

export const reply = (deps: Deps, ctx: RequestContext, id: string, b: z.infer<typeof s.replyBody>) =>
  step(deps, ctx, id, { action: 'reply', clientActionId: b.clientActionId, at: b.at, note: b.text, apply: () => ({ reply_text: b.text }) });

export const complete = async (deps: Deps, ctx: RequestContext, id: string, b: z.infer<typeof s.completeBody>) => {
  // Read before the transaction: with one connection (PGlite) a query outside it would wait for it forever.
  const cfg = await deskConfig(deps.db, companyOf(ctx.actor));
  return step(deps, ctx, id, {
    action: 'complete',
    note: b.note,
    clientActionId: b.clientActionId,
    at: b.at,
    payload: { photos: b.photoFileIds.length, chargeFen: b.chargeFen },
    apply: async (c) => {
      if (c.t.kind !== 'complaint' && c.t.kind !== 'inquiry') approvalGuard(c.t);
      await requireImages(c.trx, ctx, b.photoFileIds, 'photoFileIds');
      await attach(c, b.photoFileIds, 'after');
      const visit = returnVisitFor(c.t, cfg.settings.returnVisitSamplePercent);
      if (visit) {
        // Completed again after rework: the finished visit starts over, so the fix is checked too (its first
        // outcome stays in the timeline).
        await c.trx
          .insertInto('return_visits')
          .values({ company_id: c.companyId, community_id: c.t.community_id, ticket_id: c.t.id, reason: visit.reason, mandatory: visit.mandatory, next_attempt_at: c.now, answers: '{}' })
          .onConflict((oc) =>
            oc.column('ticket_id').doUpdateSet({ status: 'pending', attempts: 0, next_attempt_at: c.now, satisfaction: null, resolved: null, answers: '{}', note: null, channel: null, visited_by: null, visited_at: null, updated_at: c.now }),
          )
          .execute();
        await tell(c, await staffWith(c.trx, c.companyId, c.t.community_id, 'ticket.returnVisit'), 'returnVisitDue');
      }
      await tell(c, [c.t.reporter_user_id], 'completed');
      c.after.sms.push({ template: 'sms.ticketCompleted', params: { no: c.t.no } });
      return { completed_at: c.at, reply_text: b.replyText ?? c.t.reply_text, charge_fen: b.chargeFen ?? c.t.charge_fen, paused_at: null, paused_from: null };
    },
  });
};

/** Pending or retried return visits hold a confirmed ticket open; otherwise confirmation closes it. */
async function visitOpen(trx: Transaction<DB>, ticketId: string) {
  const v = await trx.selectFrom('return_visits').select('status').where('ticket_id', '=', ticketId).executeTakeFirst();
  return v?.status === 'pending' || v?.status === 'unreachable';
}

export async function closeAfter(trx: Transaction<DB>, ctx: RequestContext | null, t: { id: string; company_id: string }, from: TicketStatus, at: Date) {
  await trx.updateTable('tickets').set({ status: 'closed', closed_at: at, updated_at: at }).where('id', '=', t.id).execute();
  await trx
    .insertInto('ticket_events')
    .values({ company_id: t.company_id, ticket_id: t.id, at, actor_id: ctx?.actor.userId ?? null, actor_name: null, action: 'close', from_status: from, to_status: 'closed', payload: JSON.stringify({ auto: true }) })
    .execute();
}

/** The owner confirms the work and rates it (1–5, tags, comment). */
export async function rate(deps: Deps, ctx: RequestContext, id: string, b: z.infer<typeof s.rateBody>) {
  const t = await loadTicketRow(deps.db, ctx, id);
  if (t.reporter_user_id !== ctx.actor.userId) throw new NotFoundError('ticket');
  if (t.status !== 'completed') throw new AppError(409, 'CONFLICT', 'conflict.notRateable', {}, { field: 'status', status: t.status });
  await step(deps, ctx, id, {
    action: 'confirm',
    note: b.comment,
    payload: { rating: b.rating, tags: b.tags },
    apply: async (c) => {
      if (c.t.assignee_id) await tell(c, [c.t.assignee_id], 'rated', `${b.rating}★`);
      return { rating: b.rating, rating_tags: b.tags, rating_comment: b.comment ?? null, rated_at: c.at };
    },
  });
  await deps.db.transaction().execute(async (trx) => {
    const now = await trx.selectFrom('tickets').select(['id', 'company_id', 'status']).where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
    if (now.status === 'confirmed' && !(await visitOpen(trx, id))) await closeAfter(trx, ctx, now, 'confirmed', new Date());
  });
  return getTicket(deps, ctx, id);
}

/** The owner (or a return visit) finds the problem unsolved: the ticket goes back to its technician and counts as rework. */
export const rework = (deps: Deps, ctx: RequestContext, id: string, b: { reason: string }, also?: (c: StepContext) => Promise<void>) =>
  step(deps, ctx, id, {
    action: 'rework',
    note: b.reason,
    status: (c) => (c.t.assignee_id ? 'dispatched' : 'accepted'),
    apply: async (c) => {
      await also?.(c);
      await tell(c, [c.t.assignee_id, ...(await staffWith(c.trx, c.companyId, c.t.community_id, 'ticket.dispatch'))], 'rework', b.reason);
      // The resolve clock runs again against its original deadline.
      const reopened = c.t.resolve_due_at
        ? { resolve_done_at: null, resolve_state: clockState({ dueAt: c.t.resolve_due_at, warnAt: c.t.resolve_warn_at, doneAt: null }, c.now) }
        : {};
      return { ...reopened, rework_count: c.t.rework_count + 1, completed_at: null, rating: null, rated_at: null, acknowledged_at: null, arrived_at: null };
    },
  });

export const pause = (deps: Deps, ctx: RequestContext, id: string, b: z.infer<typeof s.reasonBody>) =>
  step(deps, ctx, id, { action: 'pause', note: b.reason, clientActionId: b.clientActionId, at: b.at, apply: (c) => ({ paused_from: c.t.status, paused_at: c.at }) });

/** Resuming a paused ticket: when the policy says a pause stops the clock, every running clock moves on by the pause. */
export const resume = (deps: Deps, ctx: RequestContext, id: string, b: z.infer<typeof s.stepBody>) =>
  step(deps, ctx, id, {
    action: 'resume',
    note: b.note,
    clientActionId: b.clientActionId,
    at: b.at,
    apply: (c) => {
      const out: TicketUpdate = { paused_from: null, paused_at: null };
      if (!c.t.pause_stops_clock || !c.t.paused_at) return out;
      const shift = Math.max(0, c.at.getTime() - c.t.paused_at.getTime());
      const row = out as Record<string, unknown>;
      for (const k of CLOCKS) {
        const due = c.t[`${k}_due_at`];
        if (!due || c.t[`${k}_done_at`]) continue;
        const warn = c.t[`${k}_warn_at`];
        const newDue = new Date(due.getTime() + shift);
        const newWarn = warn ? new Date(warn.getTime() + shift) : null;
        row[`${k}_due_at`] = newDue;
        row[`${k}_warn_at`] = newWarn;
        row[`${k}_state`] = clockState({ dueAt: newDue, warnAt: newWarn, doneAt: null }, c.now);
      }
      return out;
    },
  });

export async function cancel(deps: Deps, ctx: RequestContext, id: string, b: { reason: string }) {
  return step(deps, ctx, id, {
    action: 'cancel',
    note: b.reason,
    apply: async (c) => {
      const roles = rolesOn(ctx, c.t);
      if (!roles.includes('desk') && !['submitted', 'accepted'].includes(c.t.status)) {
        throw new ConflictError('conflict.ticketState', { status: c.t.status, action: 'cancel' }, { field: 'status' });
      }
      await tell(c, [c.t.assignee_id, c.t.reporter_user_id !== ctx.actor.userId ? c.t.reporter_user_id : null], 'cancelled', b.reason);
      if (c.t.reporter_user_id !== ctx.actor.userId) c.after.sms.push({ template: 'sms.ticketCancelled', params: { no: c.t.no, reason: b.reason } });
      // A cancelled ticket's unfinished clocks stop without an outcome: they count neither as met nor as overdue.
      const out: Record<string, unknown> = { cancel_reason: b.reason, in_pool: false, closed_at: c.at };
      for (const k of CLOCKS) if (c.t[`${k}_due_at`] && !c.t[`${k}_done_at`]) out[`${k}_state`] = null;
      return out as TicketUpdate;
    },
  });
}

export const close = (deps: Deps, ctx: RequestContext, id: string, b: z.infer<typeof s.acceptBody>) =>
  step(deps, ctx, id, {
    action: 'close',
    note: b.note,
    apply: async (c) => {
      // A mandatory return visit (major complaints) must be recorded first; an optional one still open is dropped.
      const visit = await c.trx.selectFrom('return_visits').select(['id', 'status', 'mandatory']).where('ticket_id', '=', c.t.id).executeTakeFirst();
      if (visit && (visit.status === 'pending' || visit.status === 'unreachable')) {
        if (visit.mandatory) throw new AppError(409, 'CONFLICT', 'conflict.visitPending', {}, { field: 'status' });
        await c.trx.updateTable('return_visits').set({ status: 'failed', note: b.note ?? '结单时取消', updated_at: c.now }).where('id', '=', visit.id).execute();
      }
      return { closed_at: c.at };
    },
  });

/** Only holders of ticket.extendDeadline (the 管理中心经理) move a deadline, later only, with a reason; audited. */
export async function extendDeadline(deps: Deps, ctx: RequestContext, id: string, b: z.infer<typeof s.extendBody>) {
  requirePermission(ctx.actor, 'ticket.extendDeadline');
  const companyId = companyOf(ctx.actor);
  const cfg = await deskConfig(deps.db, companyId);
  await deps.db.transaction().execute(async (trx) => {
    const t = await loadTicketRow(trx, ctx, id, { forUpdate: true });
    if (t.status === 'closed' || t.status === 'cancelled') throw new ConflictError('conflict.ticketState', { status: t.status, action: 'extend' }, { field: 'status' });
    const due = t[`${b.clock}_due_at`];
    if (!due) throw new ValidationError('clock', 'validation.noClock', { clock: b.clock });
    const newDue = new Date(b.dueAt);
    if (newDue.getTime() <= due.getTime()) throw new ValidationError('dueAt', 'validation.dueBefore');
    const start = t.reported_at.getTime();
    const warn = new Date(start + Math.floor(((newDue.getTime() - start) * cfg.settings.atRiskPercent) / 100));
    const done = t[`${b.clock}_done_at`];
    const state = t[`${b.clock}_state`] === null && !done ? null : clockState({ dueAt: newDue, warnAt: warn, doneAt: done }, new Date());
    await trx
      .updateTable('tickets')
      .set({ [`${b.clock}_due_at`]: newDue, [`${b.clock}_warn_at`]: warn, [`${b.clock}_state`]: state, updated_at: new Date() } as TicketUpdate)
      .where('id', '=', id)
      .execute();
    await trx
      .insertInto('ticket_events')
      .values({ company_id: companyId, ticket_id: id, actor_id: ctx.actor.userId, actor_name: ctx.actor.displayName, action: 'extend', from_status: t.status, to_status: t.status, note: b.reason, payload: JSON.stringify({ clock: b.clock, from: due.toISOString(), to: newDue.toISOString() }) })
      .execute();
    await writeAudit(trx, ctx, { action: 'ticket.extendDeadline', entityType: 'ticket', entityId: id, before: { clock: b.clock, dueAt: due.toISOString() }, after: { clock: b.clock, dueAt: newDue.toISOString(), reason: b.reason } });
  });
  return getTicket(deps, ctx, id);
}

/** While a ticket is being worked on, or just completed, materials and photos may be added. */
const WORKING: readonly TicketStatus[] = ['dispatched', 'arrived', 'inProgress', 'paused', 'completed'];

/** Materials used, recorded by the technician or the desk while the ticket is being worked on. */
export async function addMaterials(deps: Deps, ctx: RequestContext, id: string, b: z.infer<typeof s.materialsBody>) {
  const companyId = companyOf(ctx.actor);
  await deps.db.transaction().execute(async (trx) => {
    const t = await loadTicketRow(trx, ctx, id, { forUpdate: true });
    const roles = rolesOn(ctx, t);
    if (!roles.includes('assignee') && !roles.includes('desk')) throw new ForbiddenError('ticket.work');
    if (await alreadyDone(trx, id, b.clientActionId)) return;
    if (!WORKING.includes(t.status)) throw new ConflictError('conflict.ticketState', { status: t.status, action: 'materials' }, { field: 'status' });
    await trx.insertInto('ticket_materials').values(b.items.map((m) => ({ company_id: companyId, ticket_id: id, name: m.name, quantity: m.quantity.toFixed(2), unit: m.unit, price_fen: m.priceFen, added_by: ctx.actor.userId }))).execute();
    await trx
      .insertInto('ticket_events')
      .values({ company_id: companyId, ticket_id: id, actor_id: ctx.actor.userId, actor_name: ctx.actor.displayName, action: 'materials', from_status: t.status, to_status: t.status, payload: JSON.stringify({ items: b.items }), client_action_id: b.clientActionId ?? null })
      .execute();
    await writeAudit(trx, ctx, { action: 'ticket.materials', entityType: 'ticket', entityId: id, after: { items: b.items } });
  });
  return getTicket(deps, ctx, id);
}

/** Photos taken while working (before / during / after). */
export async function addPhotos(deps: Deps, ctx: RequestContext, id: string, b: z.infer<typeof s.photosBody>) {
  const companyId = companyOf(ctx.actor);
  await deps.db.transaction().execute(async (trx) => {
    const t = await loadTicketRow(trx, ctx, id, { forUpdate: true });
    const roles = rolesOn(ctx, t);
    if (!roles.includes('assignee') && !roles.includes('desk')) throw new ForbiddenError('ticket.work');
    if (await alreadyDone(trx, id, b.clientActionId)) return;
    if (!WORKING.includes(t.status)) throw new ConflictError('conflict.ticketState', { status: t.status, action: 'photos' }, { field: 'status' });
    await requireImages(trx, ctx, b.fileIds, 'fileIds');
    await trx
      .insertInto('ticket_attachments')
      .values(b.fileIds.map((file_id) => ({ company_id: companyId, ticket_id: id, file_id, stage: b.stage })))
      .onConflict((oc) => oc.columns(['ticket_id', 'file_id']).doNothing())
      .execute();
    await trx
      .insertInto('ticket_events')
      .values({ company_id: companyId, ticket_id: id, actor_id: ctx.actor.userId, actor_name: ctx.actor.displayName, action: 'photos', from_status: t.status, to_status: t.status, payload: JSON.stringify({ stage: b.stage, count: b.fileIds.length }), client_action_id: b.clientActionId ?? null })
      .execute();
  });
  return getTicket(deps, ctx, id);
}
