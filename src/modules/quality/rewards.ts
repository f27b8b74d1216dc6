import type { Deps } from '../../deps.ts';
import { type Db, type RequestContext, communityScope, companyOf, requirePermission } from '../../core/context.ts';
import { ValidationError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import { offsetOf, type Page } from '../../core/pagination.ts';
import { localDate } from '../servicedesk/deadlines.ts';
import type { CreateRewardInput, Reward } from './schema.ts';
import { loadCommunity, requireDepartment, requireReader, requireStaff } from './repo.ts';

/** 奖优罚劣: reward and penalty records, to a person or a department, linked to the inspection or notice behind them. */

function selectRewards(db: Db, companyId: string) {
  return db
    .selectFrom('quality_rewards as r')
    .leftJoin('users as u', 'u.id', 'r.user_id')
    .leftJoin('departments as d', 'd.id', 'r.department_id')
    .leftJoin('quality_notices as n', 'n.id', 'r.notice_id')
    .leftJoin('users as cb', 'cb.id', 'r.created_by')
    .where('r.company_id', '=', companyId)
    .select(['r.id', 'r.community_id', 'r.kind', 'r.user_id', 'u.display_name as user_name', 'r.department_id', 'd.name as department_name', 'r.points', 'r.amount_fen', 'r.reason', 'r.inspection_id', 'n.no as notice_no', 'r.occurred_on', 'cb.display_name as created_by', 'r.created_at']);
}
type Row = Awaited<ReturnType<ReturnType<typeof selectRewards>['executeTakeFirstOrThrow']>>;
const toReward = (r: Row): Reward => ({
  id: r.id,
  communityId: r.community_id,
  kind: r.kind,
  user: r.user_id ? { id: r.user_id, name: r.user_name ?? '' } : null,
  department: r.department_id ? { id: r.department_id, name: r.department_name ?? '' } : null,
  points: r.points,
  amountFen: r.amount_fen,
  reason: r.reason,
  inspectionId: r.inspection_id,
  noticeNo: r.notice_no,
  occurredOn: r.occurred_on,
  createdBy: r.created_by,
  createdAt: r.created_at.toISOString(),
});

export async function listRewards(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: { page: number; pageSize: number; communityId?: string; kind?: 'reward' | 'penalty'; from?: string; to?: string }): Promise<Page<Reward>> {
  requireReader(ctx.actor);
  if (q.from && q.to && q.to < q.from) throw new ValidationError('to', 'validation.dateOrder');
  const scope = communityScope(ctx.actor);
  const base = selectRewards(deps.db, companyOf(ctx.actor))
    .$if(scope !== null, (qb) => qb.where('r.community_id', 'in', scope!))
    .$if(Boolean(q.communityId), (qb) => qb.where('r.community_id', '=', q.communityId!))
    .$if(Boolean(q.kind), (qb) => qb.where('r.kind', '=', q.kind!))
    .$if(Boolean(q.from), (qb) => qb.where('r.occurred_on', '>=', q.from!))
    .$if(Boolean(q.to), (qb) => qb.where('r.occurred_on', '<=', q.to!));
  const [rows, count] = await Promise.all([
    base.orderBy('r.occurred_on', 'desc').orderBy('r.created_at', 'desc').limit(q.pageSize).offset(offsetOf(q)).execute(),
    base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toReward), total: Number(count.n), page: q.page, pageSize: q.pageSize };
}

export async function createReward(deps: Pick<Deps, 'db'>, ctx: RequestContext, input: CreateRewardInput): Promise<Reward> {
  requirePermission(ctx.actor, 'quality.manage');
  const companyId = companyOf(ctx.actor);
  const db = deps.db;
  const community = await loadCommunity(db, ctx.actor, input.communityId, 'field');
  if (!input.userId && !input.departmentId) throw new ValidationError('userId', 'validation.required');
  if (input.points === undefined && input.amountFen === undefined) throw new ValidationError('points', 'validation.required');
  if (input.occurredOn > localDate(new Date(), community.time_zone)) throw new ValidationError('occurredOn', 'validation.future');
  if (input.userId) await requireStaff(db, companyId, input.userId, 'community.read', 'userId', community.id);
  if (input.departmentId) await requireDepartment(db, companyId, input.departmentId, 'departmentId');
  if (input.inspectionId) {
    const i = await db.selectFrom('quality_inspections').select('community_id').where('id', '=', input.inspectionId).where('company_id', '=', companyId).executeTakeFirst();
    if (!i) throw new ValidationError('inspectionId', 'validation.unknownIds');
    if (i.community_id !== community.id) throw new ValidationError('inspectionId', 'validation.otherCommunity');
  }
  if (input.noticeId) {
    const n = await db.selectFrom('quality_notices').select('community_id').where('id', '=', input.noticeId).where('company_id', '=', companyId).executeTakeFirst();
    if (!n) throw new ValidationError('noticeId', 'validation.unknownIds');
    if (n.community_id !== community.id) throw new ValidationError('noticeId', 'validation.otherCommunity');
  }
  const id = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('quality_rewards')
      .values({
        company_id: companyId,
        community_id: community.id,
        kind: input.kind,
        user_id: input.userId ?? null,
        department_id: input.departmentId ?? null,
        points: input.points ?? null,
        amount_fen: input.amountFen ?? null,
        reason: input.reason,
        inspection_id: input.inspectionId ?? null,
        notice_id: input.noticeId ?? null,
        occurred_on: input.occurredOn,
        created_by: ctx.actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'qualityReward.create', entityType: 'qualityReward', entityId: row.id, after: input });
    return row.id;
  });
  return toReward(await selectRewards(db, companyId).where('r.id', '=', id).executeTakeFirstOrThrow());
}
