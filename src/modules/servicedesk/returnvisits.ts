import type { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { type RequestContext, can, communityScope, companyOf, requirePermission } from '../../core/context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { offsetOf, type Page } from '../../core/pagination.ts';
import { maskPhone } from '../../core/validation.ts';
import { deskConfig } from './config.ts';
import { closeAfter, rework, step } from './actions.ts';
import { loadTicketRow } from './repo.ts';
import { getTicket } from './tickets.ts';
import { RETURN_VISIT_QUESTIONS } from './defaults.ts';
import type { ownerReturnVisitBody, returnVisitBody, returnVisitItem, returnVisitQuery } from './schema.ts';

/**
 * Return visits (回访): created when a ticket is completed (every complaint, major complaints mandatory, a sample of
 * repairs); customer service records the outcome by phone or visit, or the owner answers on the phone site. An owner
 * who cannot be reached is tried again the next day, up to the company's limit. A visit that finds the problem
 * unsolved sends the ticket back as rework; otherwise the ticket closes.
 */
export async function listReturnVisits(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: z.infer<typeof returnVisitQuery>): Promise<Page<z.infer<typeof returnVisitItem>>> {
  requirePermission(ctx.actor, 'ticket.returnVisit');
  const scope = communityScope(ctx.actor);
  let base = deps.db
    .selectFrom('return_visits as v')
    .innerJoin('tickets as t', 't.id', 'v.ticket_id')
    .innerJoin('communities as c', 'c.id', 'v.community_id')
    .where('v.company_id', '=', companyOf(ctx.actor));
  if (scope) base = base.where('v.community_id', 'in', scope);
  if (q.communityId) base = base.where('v.community_id', '=', q.communityId);
  if (q.status) base = base.where('v.status', '=', q.status);
  if (q.due === 'true') base = base.where('v.status', 'in', ['pending', 'unreachable']).where('v.next_attempt_at', '<=', new Date());
  const [rows, count] = await Promise.all([
    base
      .select(['v.id', 'v.ticket_id', 't.no', 't.title', 't.kind', 'c.name as community_name', 't.reporter_name', 't.reporter_phone', 'v.reason', 'v.mandatory', 'v.status', 'v.attempts', 'v.next_attempt_at', 'v.satisfaction', 'v.visited_at'])
      .orderBy('v.mandatory', 'desc')
      .orderBy('v.next_attempt_at')
      .limit(q.pageSize)
      .offset(offsetOf(q))
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  // Customer service calls the owner: the number is shown in full to whoever records return visits.
  const full = can(ctx.actor, 'ticket.returnVisit');
  return {
    items: rows.map((r) => ({
      id: r.id,
      ticketId: r.ticket_id,
      ticketNo: r.no,
      ticketTitle: r.title,
      kind: r.kind,
      communityName: r.community_name,
      reporterName: r.reporter_name,
      reporterPhone: full ? r.reporter_phone : maskPhone(r.reporter_phone),
      reason: r.reason,
      mandatory: r.mandatory,
      status: r.status,
      attempts: r.attempts,
      nextAttemptAt: r.next_attempt_at.toISOString(),
      satisfaction: r.satisfaction,
      visitedAt: r.visited_at?.toISOString() ?? null,
    })),
    total: count.n,
    page: q.page,
    pageSize: q.pageSize,
  };
}

async function loadVisit(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string) {
  const v = await deps.db.selectFrom('return_visits').selectAll().where('id', '=', id).where('company_id', '=', companyOf(ctx.actor)).executeTakeFirst();
  if (!v) throw new NotFoundError('returnVisit');
  await loadTicketRow(deps.db, ctx, v.ticket_id); // community visibility
  return v;
}

export async function recordReturnVisit(deps: Deps, ctx: RequestContext, id: string, b: z.infer<typeof returnVisitBody>) {
  requirePermission(ctx.actor, 'ticket.returnVisit');
  const v = await loadVisit(deps, ctx, id);
  if (v.status === 'done' || v.status === 'failed') throw new ConflictError('conflict.visitDone', {}, { field: 'outcome' });
  if (b.outcome === 'unreachable') return markUnreachable(deps, ctx, v);
  if (b.satisfaction === undefined) throw new ValidationError('satisfaction', 'validation.required');
  if (b.resolved === undefined) throw new ValidationError('resolved', 'validation.required');
  return finishVisit(deps, ctx, v.ticket_id, { ...b, satisfaction: b.satisfaction, resolved: b.resolved });
}

/** The owner answers the return-visit questions on the phone site. */
export async function ownerAnswerReturnVisit(deps: Deps, ctx: RequestContext, ticketId: string, b: z.infer<typeof ownerReturnVisitBody>) {
  requirePermission(ctx.actor, 'owner.self');
  const t = await loadTicketRow(deps.db, ctx, ticketId);
  if (t.reporter_user_id !== ctx.actor.userId) throw new NotFoundError('ticket');
  const v = await deps.db.selectFrom('return_visits').selectAll().where('ticket_id', '=', ticketId).executeTakeFirst();
  if (!v) throw new NotFoundError('returnVisit');
  if (v.status === 'done' || v.status === 'failed') throw new ConflictError('conflict.visitDone', {}, { field: 'satisfaction' });
  return finishVisit(deps, ctx, ticketId, { ...b, channel: 'online' });
}

export function returnVisitQuestions(lang: RequestContext['lang']) {
  return RETURN_VISIT_QUESTIONS.map((q) => ({ key: q.key, text: lang === 'en' ? q.en : q.zh }));
}

async function finishVisit(
  deps: Deps,
  ctx: RequestContext,
  ticketId: string,
  b: { satisfaction: number; resolved: boolean; answers: Record<string, unknown>; note?: string; channel: 'phone' | 'visit' | 'online' },
) {
  const record = {
    status: 'done' as const,
    satisfaction: b.satisfaction,
    resolved: b.resolved,
    answers: JSON.stringify(b.answers),
    note: b.note ?? null,
    channel: b.channel,
    visited_by: ctx.actor.userId,
    visited_at: new Date(),
    updated_at: new Date(),
  };
  if (!b.resolved) {
    // Not solved: the visit is recorded and the ticket goes back to work as rework, in one transaction.
    return rework(deps, ctx, ticketId, { reason: b.note ?? '回访：问题未解决' }, async (c) => {
      await c.trx.updateTable('return_visits').set({ ...record, attempts: (eb) => eb('attempts', '+', 1) }).where('ticket_id', '=', ticketId).execute();
    });
  }
  await step(deps, ctx, ticketId, {
    action: 'returnVisit',
    note: b.note,
    payload: { satisfaction: b.satisfaction, resolved: true, channel: b.channel },
    apply: async (c) => {
      await c.trx.updateTable('return_visits').set({ ...record, attempts: (eb) => eb('attempts', '+', 1) }).where('ticket_id', '=', ticketId).execute();
    },
  });
  await deps.db.transaction().execute(async (trx) => {
    const t = await trx.selectFrom('tickets').select(['id', 'company_id', 'status']).where('id', '=', ticketId).forUpdate().executeTakeFirstOrThrow();
    if (t.status === 'visited') await closeAfter(trx, ctx, t, 'visited', new Date());
  });
  return getTicket(deps, ctx, ticketId);
}

async function markUnreachable(deps: Deps, ctx: RequestContext, v: { id: string; ticket_id: string; attempts: number; company_id: string }) {
  const cfg = await deskConfig(deps.db, v.company_id);
  const attempts = v.attempts + 1;
  const failed = attempts >= cfg.settings.returnVisitMaxAttempts;
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('return_visits')
      .set({ status: failed ? 'failed' : 'unreachable', attempts, next_attempt_at: new Date(Date.now() + 24 * 3600_000), updated_at: new Date() })
      .where('id', '=', v.id)
      .execute();
    await trx
      .insertInto('ticket_events')
      .values({ company_id: v.company_id, ticket_id: v.ticket_id, actor_id: ctx.actor.userId, actor_name: ctx.actor.displayName, action: 'visitUnreachable', payload: JSON.stringify({ attempts, failed }) })
      .execute();
    // After the last try a confirmed ticket no longer waits for its visit.
    const t = await trx.selectFrom('tickets').select(['id', 'company_id', 'status']).where('id', '=', v.ticket_id).forUpdate().executeTakeFirstOrThrow();
    if (failed && t.status === 'confirmed') await closeAfter(trx, ctx, t, 'confirmed', new Date());
  });
  return getTicket(deps, ctx, v.ticket_id);
}
