import { sql } from 'kysely';
import type { Deps } from '../../deps.ts';
import { type Db, type RequestContext, can, canSeeCommunity, communityScope, companyOf } from '../../core/context.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import { offsetOf, type Page } from '../../core/pagination.ts';
import { contains } from '../../core/validation.ts';
import type { NoticeStatus } from '../../db/schema-quality.ts';
import { requireImages } from '../servicedesk/repo.ts';
import { notify, wake } from '../servicedesk/notify.ts';
import type { NoticeDetail, NoticeQuery, NoticeSummary } from './schema.ts';
import { allowedNoticeActions, AWAITING_RECTIFICATION, isOverdue, mayActOnNotice, nextNoticeStatus, type NoticeAction, type NoticeRole } from './rules.ts';
import { departmentsOf, fileUrl, iso, requireQualityAccess } from './repo.ts';

/**
 * Rectification notices (整改通知): issued from an inspection's finding to a department and/or a person with a
 * deadline → rectified with photos → verified by the inspector and closed (消号), or sent back with a reason.
 * Every step is checked against NOTICE_TRANSITIONS and recorded in the notice's history.
 */

export function selectNotices(db: Db, companyId: string) {
  return db
    .selectFrom('quality_notices as n')
    .innerJoin('communities as c', 'c.id', 'n.community_id')
    .innerJoin('quality_inspections as i', 'i.id', 'n.inspection_id')
    .innerJoin('users as iu', 'iu.id', 'i.inspector_id')
    .leftJoin('quality_inspection_items as it', 'it.id', 'n.item_id')
    .leftJoin('buildings as b', 'b.id', 'n.building_id')
    .leftJoin('departments as d', 'd.id', 'n.department_id')
    .leftJoin('users as au', 'au.id', 'n.assignee_id')
    .where('n.company_id', '=', companyId)
    .select([
      'n.id', 'n.no', 'n.community_id', 'c.name as community_name', 'n.inspection_id', 'i.title as inspection_title', 'i.inspector_id', 'iu.display_name as inspector_name',
      'n.item_id', 'it.label as item_label', 'n.description', 'n.location', 'b.name as building_name', 'n.deduction', 'n.department_id', 'd.name as department_name',
      'n.assignee_id', 'au.display_name as assignee_name', 'n.deadline_at', 'n.status', 'n.escalation_level', 'n.rectified_at', 'n.rectify_note', 'n.closed_at', 'n.created_at',
    ]);
}
export type NoticeRow = Awaited<ReturnType<ReturnType<typeof selectNotices>['executeTakeFirstOrThrow']>>;

export const toNoticeSummary = (r: NoticeRow, now = new Date()): NoticeSummary => ({
  id: r.id,
  no: r.no,
  communityId: r.community_id,
  communityName: r.community_name,
  inspectionId: r.inspection_id,
  inspectionTitle: r.inspection_title,
  itemLabel: r.item_label,
  description: r.description,
  location: r.location,
  buildingName: r.building_name,
  deduction: r.deduction,
  department: r.department_id ? { id: r.department_id, name: r.department_name ?? '' } : null,
  assignee: r.assignee_id ? { id: r.assignee_id, name: r.assignee_name ?? '' } : null,
  inspector: { id: r.inspector_id, name: r.inspector_name },
  deadlineAt: r.deadline_at.toISOString(),
  status: r.status,
  overdue: isOverdue({ status: r.status, deadlineAt: r.deadline_at }, now),
  escalationLevel: r.escalation_level,
  rectifiedAt: iso(r.rectified_at),
  closedAt: iso(r.closed_at),
  createdAt: r.created_at.toISOString(),
});

/** The caller's roles on a notice (see rules.ts). */
export function rolesOnNotice(ctx: RequestContext, n: Pick<NoticeRow, 'assignee_id' | 'department_id' | 'inspector_id' | 'community_id'>, myDepartments: readonly string[]): NoticeRole[] {
  const a = ctx.actor;
  const roles: NoticeRole[] = [];
  if (can(a, 'quality.rectify') && (n.assignee_id === a.userId || (n.department_id !== null && myDepartments.includes(n.department_id)))) roles.push('rectifier');
  if (n.inspector_id === a.userId) roles.push('inspector');
  if (can(a, 'quality.manage') && canSeeCommunity(a, n.community_id)) roles.push('manager');
  return roles;
}

/** A notice the caller may see: readers of its community, and whoever has a role on it. Anything else is a 404. */
async function loadNotice(db: Db, ctx: RequestContext, id: string, opts: { forUpdate?: boolean } = {}) {
  const companyId = companyOf(ctx.actor);
  if (opts.forUpdate) await db.selectFrom('quality_notices').select('id').where('id', '=', id).where('company_id', '=', companyId).forUpdate().execute();
  const row = await selectNotices(db, companyId).where('n.id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('notice');
  const myDepartments = await departmentsOf(db, companyId, ctx.actor.userId);
  const roles = rolesOnNotice(ctx, row, myDepartments);
  const reader = (can(ctx.actor, 'quality.read') || can(ctx.actor, 'quality.manage')) && canSeeCommunity(ctx.actor, row.community_id);
  if (!reader && !roles.length) throw new NotFoundError('notice');
  return { row, roles };
}

export async function listNotices(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: NoticeQuery): Promise<Page<NoticeSummary>> {
  requireQualityAccess(ctx.actor);
  const companyId = companyOf(ctx.actor);
  const me = ctx.actor.userId;
  const reader = can(ctx.actor, 'quality.read') || can(ctx.actor, 'quality.manage');
  const myDepartments = await departmentsOf(deps.db, companyId, me);
  const deptIds = myDepartments.length ? myDepartments : ['00000000-0000-0000-0000-000000000000'];
  const scope = communityScope(ctx.actor);
  const now = new Date();
  const mine = q.mine === 'true' || !reader;
  const base = selectNotices(deps.db, companyId)
    .$if(mine, (qb) =>
      qb.where((eb) =>
        eb.or([
          // Mine to rectify (with quality.rectify), or mine to verify (my inspections).
          ...(can(ctx.actor, 'quality.rectify') ? [eb.and([eb.or([eb('n.assignee_id', '=', me), eb('n.department_id', 'in', deptIds)]), ...(q.mine === 'true' ? [eb('n.status', 'in', [...AWAITING_RECTIFICATION])] : [])])] : []),
          eb.and([eb('i.inspector_id', '=', me), ...(q.mine === 'true' ? [eb('n.status', '=', 'rectified' as NoticeStatus)] : [])]),
        ]),
      ),
    )
    .$if(!mine && scope !== null, (qb) => qb.where('n.community_id', 'in', scope!))
    .$if(Boolean(q.communityId), (qb) => qb.where('n.community_id', '=', q.communityId!))
    .$if(Boolean(q.status), (qb) => qb.where('n.status', '=', q.status!))
    .$if(Boolean(q.departmentId), (qb) => qb.where('n.department_id', '=', q.departmentId!))
    .$if(q.overdue === 'true', (qb) => qb.where('n.status', 'in', [...AWAITING_RECTIFICATION]).where('n.deadline_at', '<', now))
    .$if(Boolean(q.q), (qb) => qb.where((eb) => eb.or([eb('n.no', 'ilike', contains(q.q)), eb('n.description', 'ilike', contains(q.q)), eb('n.location', 'ilike', contains(q.q))])));
  const [rows, count] = await Promise.all([
    base
      .orderBy(sql`CASE WHEN n.status IN ('open', 'returned') AND n.deadline_at < ${now} THEN 0 WHEN n.status IN ('open', 'returned', 'rectified') THEN 1 ELSE 2 END`)
      .orderBy('n.deadline_at')
      .orderBy('n.id')
      .limit(q.pageSize)
      .offset(offsetOf(q))
      .execute(),
    base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map((r) => toNoticeSummary(r, now)), total: Number(count.n), page: q.page, pageSize: q.pageSize };
}

export async function getNotice(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string): Promise<NoticeDetail> {
  requireQualityAccess(ctx.actor);
  const { row, roles } = await loadNotice(deps.db, ctx, id);
  const [photos, events] = await Promise.all([
    deps.db.selectFrom('quality_notice_photos').select(['file_id', 'stage']).where('notice_id', '=', id).orderBy('created_at').execute(),
    deps.db.selectFrom('quality_notice_events').selectAll().where('notice_id', '=', id).orderBy('id').execute(),
  ]);
  return {
    ...toNoticeSummary(row),
    rectifyNote: row.rectify_note,
    photos: photos.map((p) => ({ fileId: p.file_id, stage: p.stage, url: fileUrl(p.file_id) })),
    events: events.map((e) => ({ id: Number(e.id), at: e.at.toISOString(), actorName: e.actor_name, action: e.action, fromStatus: e.from_status, toStatus: e.to_status, note: e.note, level: e.action === 'escalate' ? Number((e.payload as { level?: number }).level ?? 0) || null : null })),
    actions: allowedNoticeActions(row.status, roles),
  };
}

export type NoticeStep =
  | { action: 'rectify'; note: string; photoFileIds: string[] }
  | { action: 'verify'; note?: string }
  | { action: 'sendBack'; reason: string }
  | { action: 'extend'; deadlineAt: string; reason: string }
  | { action: 'cancel'; reason: string };

/** One step of the notice's lifecycle, checked against the transition table and the caller's roles. */
export async function actOnNotice(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string, step: NoticeStep): Promise<NoticeDetail> {
  requireQualityAccess(ctx.actor);
  const companyId = companyOf(ctx.actor);
  const action: NoticeAction = step.action;
  // Someone else's notice is a 404 before anything about the input is said.
  await loadNotice(deps.db, ctx, id);
  if (step.action === 'rectify') await requireImages(deps.db, ctx, step.photoFileIds, 'photoFileIds');
  const now = new Date();
  if (step.action === 'extend' && new Date(step.deadlineAt).getTime() <= now.getTime()) throw new ValidationError('deadlineAt', 'validation.notPast');
  const woken = await deps.db.transaction().execute(async (trx) => {
    const { row, roles } = await loadNotice(trx, ctx, id, { forUpdate: true });
    const to = nextNoticeStatus(action, row.status);
    if (!to) throw new ConflictError('conflict.noticeState', { status: row.status, action }, { field: 'status', status: row.status, action });
    if (!mayActOnNotice(action, roles)) throw new ForbiddenError(action === 'rectify' ? 'quality.rectify' : 'quality.manage');
    const note = step.action === 'rectify' || step.action === 'verify' ? (step.note ?? null) : step.reason;
    await trx
      .updateTable('quality_notices')
      .set({
        status: to,
        updated_at: now,
        ...(step.action === 'rectify' && { rectified_at: now, rectify_note: step.note }),
        ...(step.action === 'verify' && { closed_at: now }),
        // A new deadline starts the escalation over.
        ...(step.action === 'extend' && { deadline_at: new Date(step.deadlineAt), escalation_level: 0 }),
      })
      .where('id', '=', id)
      .execute();
    if (step.action === 'rectify' && step.photoFileIds.length) {
      await trx
        .insertInto('quality_notice_photos')
        .values(step.photoFileIds.map((file_id) => ({ notice_id: id, file_id, company_id: companyId, stage: 'rectify' as const })))
        .onConflict((oc) => oc.columns(['notice_id', 'file_id']).doNothing())
        .execute();
    }
    await trx
      .insertInto('quality_notice_events')
      .values({ company_id: companyId, notice_id: id, at: now, actor_id: ctx.actor.userId, actor_name: ctx.actor.displayName, action, from_status: row.status, to_status: to, note, payload: JSON.stringify(step.action === 'extend' ? { from: row.deadline_at.toISOString(), to: step.deadlineAt } : step.action === 'rectify' ? { photos: step.photoFileIds.length } : {}) })
      .execute();
    await writeAudit(trx, ctx, { action: `qualityNotice.${action}`, entityType: 'qualityNotice', entityId: id, before: { status: row.status }, after: { status: to, note } });
    // Rectified → the inspector verifies; sent back → the assignee (or the department head) rectifies again.
    const head = row.department_id ? (await trx.selectFrom('departments').select('head_id').where('id', '=', row.department_id).executeTakeFirst())?.head_id : null;
    const tell = action === 'rectify' ? [row.inspector_id] : action === 'sendBack' || action === 'extend' || action === 'cancel' ? [row.assignee_id ?? head] : [row.assignee_id];
    return notify(trx, companyId, { userIds: tell.filter((u) => u !== ctx.actor.userId), ticketId: null, kind: `quality.${action}`, title: `${row.no} ${row.description}` });
  });
  wake(woken);
  return getNotice(deps, ctx, id);
}
