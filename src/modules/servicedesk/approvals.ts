import type { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { type Db, type RequestContext, can, communityScope, companyOf } from '../../core/context.ts';
import { AppError, ConflictError, ForbiddenError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import { deskConfig } from './config.ts';
import { isCommitteeVoter, loadTicketRow } from './repo.ts';
import { notify, wake } from './notify.ts';
import { getTicket } from './tickets.ts';
import type { approvalBody } from './schema.ts';

/**
 * 中修/大修 wait for the owners' committee (业委会). A current committee member votes from the owner site; a
 * committee account in the console (ticket.approveMajor) records a vote too. The ticket is approved when the
 * approvals reach the company's quorum, rejected when the rejections do; work cannot start before.
 */
async function mayVote(db: Db, ctx: RequestContext, communityId: string) {
  if (ctx.actor.kind === 'owner') return isCommitteeVoter(db, ctx, communityId);
  return can(ctx.actor, 'ticket.approveMajor');
}

export async function listPendingApprovals(deps: Pick<Deps, 'db'>, ctx: RequestContext) {
  const companyId = companyOf(ctx.actor);
  let communities: string[] | null;
  if (ctx.actor.kind === 'owner') {
    const rows = await deps.db
      .selectFrom('tickets')
      .select('community_id')
      .distinct()
      .where('company_id', '=', companyId)
      .where('approval_status', '=', 'pending')
      .execute();
    communities = [];
    for (const r of rows) if (await isCommitteeVoter(deps.db, ctx, r.community_id)) communities.push(r.community_id);
  } else {
    if (!can(ctx.actor, 'ticket.approveMajor')) throw new ForbiddenError('ticket.approveMajor');
    communities = communityScope(ctx.actor);
  }
  if (communities && !communities.length) return { items: [] };
  const rows = await deps.db
    .selectFrom('tickets as t')
    .innerJoin('communities as c', 'c.id', 't.community_id')
    .leftJoin('ticket_approvals as v', (j) => j.onRef('v.ticket_id', '=', 't.id').on('v.voter_user_id', '=', ctx.actor.userId))
    .select(['t.id', 't.no', 't.title', 't.description', 't.repair_size', 't.location', 'c.name as community_name', 't.reported_at', 'v.decision as my_decision'])
    .where('t.company_id', '=', companyId)
    .where('t.approval_status', '=', 'pending')
    .$if(communities !== null, (qb) => qb.where('t.community_id', 'in', communities!))
    .orderBy('t.reported_at')
    .limit(200)
    .execute();
  return {
    items: rows.map((r) => ({
      id: r.id,
      no: r.no,
      title: r.title,
      description: r.description,
      repairSize: r.repair_size,
      location: r.location,
      communityName: r.community_name,
      reportedAt: r.reported_at.toISOString(),
      myDecision: r.my_decision,
    })),
  };
}

export async function vote(deps: Pick<Deps, 'db' | 'sms' | 'log'>, ctx: RequestContext, id: string, b: z.infer<typeof approvalBody>) {
  const companyId = companyOf(ctx.actor);
  const cfg = await deskConfig(deps.db, companyId);
  const woken = await deps.db.transaction().execute(async (trx) => {
    const t = await loadTicketRow(trx, ctx, id, { forUpdate: true });
    if (!(await mayVote(trx, ctx, t.community_id))) throw new ForbiddenError('ticket.approveMajor');
    if (t.approval_status !== 'pending') throw new AppError(409, 'CONFLICT', 'conflict.approvalNotPending', {}, { field: 'approvalStatus' });
    const inserted = await trx
      .insertInto('ticket_approvals')
      .values({ company_id: companyId, ticket_id: id, voter_user_id: ctx.actor.userId, voter_name: ctx.actor.displayName, decision: b.decision, note: b.note ?? null })
      .onConflict((oc) => oc.columns(['ticket_id', 'voter_user_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) throw new ConflictError('conflict.alreadyVoted', {}, { field: 'decision' });
    const tally = await trx.selectFrom('ticket_approvals').select(['decision']).where('ticket_id', '=', id).execute();
    const yes = tally.filter((v) => v.decision === 'approve').length;
    const no = tally.length - yes;
    const outcome = yes >= cfg.settings.committeeQuorum ? 'approved' : no >= cfg.settings.committeeQuorum ? 'rejected' : null;
    await trx
      .insertInto('ticket_events')
      .values({ company_id: companyId, ticket_id: id, actor_id: ctx.actor.userId, actor_name: ctx.actor.displayName, action: 'vote', from_status: t.status, to_status: t.status, note: b.note ?? null, payload: JSON.stringify({ decision: b.decision, outcome }) })
      .execute();
    await writeAudit(trx, ctx, { action: 'ticket.vote', entityType: 'ticket', entityId: id, after: { decision: b.decision, outcome } });
    if (!outcome) return [];
    await trx.updateTable('tickets').set({ approval_status: outcome, updated_at: new Date() }).where('id', '=', id).execute();
    return notify(trx, companyId, { userIds: [t.assignee_id, t.created_by, t.reporter_user_id], ticketId: id, kind: outcome, title: `${t.no} ${t.title}` });
  });
  wake(woken);
  return getTicket(deps, ctx, id);
}
