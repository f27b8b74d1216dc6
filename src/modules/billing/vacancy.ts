import type { Deps } from '../../deps.ts';
import { type Db, type RequestContext, canSeeCommunity, communityScope, companyOf, requirePermission } from '../../core/context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import { offsetOf, type Page, type PageQuery } from '../../core/pagination.ts';
import { requireRoom } from '../estate/rooms.ts';
import type { VacancyApproval } from './schema.ts';

/**
 * 空置房认定: a vacant room approved for the vacancy discount over a date range. Bill runs charge the items' vacancy
 * percent for the approved days; the approval is made while the room is vacant and ended when it is occupied.
 */

function selectApprovals(db: Db, companyId: string) {
  return db
    .selectFrom('vacancy_approvals as v')
    .leftJoin('users as u', 'u.id', 'v.approved_by')
    .where('v.company_id', '=', companyId)
    .select(['v.id', 'v.room_id', 'v.community_id', 'v.start_date', 'v.end_date', 'v.note', 'u.display_name', 'v.created_at']);
}
type Row = Awaited<ReturnType<ReturnType<typeof selectApprovals>['executeTakeFirstOrThrow']>>;

const toApproval = (r: Row): VacancyApproval => ({
  id: r.id,
  roomId: r.room_id,
  communityId: r.community_id,
  startDate: r.start_date,
  endDate: r.end_date,
  note: r.note,
  approvedBy: r.display_name,
  createdAt: r.created_at.toISOString(),
});

async function loadApproval(db: Db, ctx: RequestContext, id: string) {
  const row = await selectApprovals(db, companyOf(ctx.actor)).where('v.id', '=', id).executeTakeFirst();
  if (!row || !canSeeCommunity(ctx.actor, row.community_id)) throw new NotFoundError('vacancyApproval');
  return row;
}

export async function listVacancyApprovals(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: PageQuery & { communityId?: string; roomId?: string }): Promise<Page<VacancyApproval>> {
  requirePermission(ctx.actor, 'billing.read');
  const scope = communityScope(ctx.actor);
  const base = selectApprovals(deps.db, companyOf(ctx.actor))
    .$if(scope !== null, (qb) => qb.where('v.community_id', 'in', scope!))
    .$if(Boolean(q.communityId), (qb) => qb.where('v.community_id', '=', q.communityId!))
    .$if(Boolean(q.roomId), (qb) => qb.where('v.room_id', '=', q.roomId!));
  const [rows, count] = await Promise.all([
    base.orderBy('v.start_date', 'desc').orderBy('v.id').limit(q.pageSize).offset(offsetOf(q)).execute(),
    base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toApproval), total: count.n, page: q.page, pageSize: q.pageSize };
}

async function assertNoOverlap(db: Db, companyId: string, roomId: string, from: string, to: string | null, exceptId?: string) {
  const clash = await db
    .selectFrom('vacancy_approvals')
    .select('start_date')
    .where('company_id', '=', companyId)
    .where('room_id', '=', roomId)
    .$if(to !== null, (qb) => qb.where('start_date', '<=', to!))
    .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>=', from)]))
    .$if(Boolean(exceptId), (qb) => qb.where('id', '<>', exceptId!))
    .forUpdate()
    .executeTakeFirst();
  if (clash) throw new ConflictError('conflict.vacancyOverlap', { from: clash.start_date }, { field: 'startDate' });
}

export async function approveVacancy(deps: Pick<Deps, 'db'>, ctx: RequestContext, input: { roomId: string; startDate: string; endDate?: string | null; note?: string }): Promise<VacancyApproval> {
  requirePermission(ctx.actor, 'billing.manage');
  const companyId = companyOf(ctx.actor);
  const room = await requireRoom(deps.db, ctx, input.roomId, 'roomId');
  const endDate = input.endDate ?? null;
  if (endDate !== null && endDate < input.startDate) throw new ValidationError('endDate', 'validation.dateOrder');
  if (room.status !== 'vacant') throw new ConflictError('conflict.notVacant', {}, { status: room.status });
  const id = await deps.db.transaction().execute(async (trx) => {
    await assertNoOverlap(trx, companyId, room.id, input.startDate, endDate);
    const row = await trx
      .insertInto('vacancy_approvals')
      .values({ company_id: companyId, community_id: room.communityId, room_id: room.id, start_date: input.startDate, end_date: endDate, note: input.note ?? null, approved_by: ctx.actor.userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'vacancy.approve', entityType: 'vacancyApproval', entityId: row.id, after: { ...input, endDate, room: room.label } });
    return row.id;
  });
  return toApproval(await loadApproval(deps.db, ctx, id));
}

/** Ends an approval when the room is occupied (or was approved too long). */
export async function endVacancy(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string, input: { endDate: string }): Promise<VacancyApproval> {
  requirePermission(ctx.actor, 'billing.manage');
  await deps.db.transaction().execute(async (trx) => {
    const before = await loadApproval(trx, ctx, id);
    if (input.endDate < before.start_date) throw new ValidationError('endDate', 'validation.dateOrder');
    await trx.updateTable('vacancy_approvals').set({ end_date: input.endDate }).where('id', '=', id).where('company_id', '=', companyOf(ctx.actor)).execute();
    await writeAudit(trx, ctx, { action: 'vacancy.end', entityType: 'vacancyApproval', entityId: id, before: { endDate: before.end_date }, after: input });
  });
  return toApproval(await loadApproval(deps.db, ctx, id));
}
