import { sql } from 'kysely';
import type { Deps } from '../../deps.ts';
import { type Db, type RequestContext, can, canSeeCommunity, communityScope, companyOf, requirePermission } from '../../core/context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import { offsetOf, type Page } from '../../core/pagination.ts';
import { localDate } from '../servicedesk/deadlines.ts';
import { requireImages } from '../servicedesk/repo.ts';
import { notify, wake } from '../servicedesk/notify.ts';
import type { CreateFindingInput, CreateInspectionInput, InspectionDetail, InspectionQuery, InspectionSummary, ScoreItemsInput } from './schema.ts';
import { inspectionScore, noticeNo, percent } from './rules.ts';
import { communitiesOfUser, iso, loadCommunity, requireDepartment, requireReader, requireStaff } from './repo.ts';
import { copyItems } from './schedules.ts';
import { selectNotices, toNoticeSummary } from './notices.ts';

/** Inspections: planned by a schedule or ordered ad hoc / as a cross-inspection; scored item by item; findings become notices. */

function selectInspections(db: Db, companyId: string) {
  return db
    .selectFrom('quality_inspections as i')
    .innerJoin('communities as c', 'c.id', 'i.community_id')
    .innerJoin('quality_templates as t', 't.id', 'i.template_id')
    .innerJoin('users as u', 'u.id', 'i.inspector_id')
    .leftJoin('users as o', 'o.id', 'i.ordered_by')
    .where('i.company_id', '=', companyId)
    .select([
      'i.id', 'i.community_id', 'c.name as community_name', 'i.kind', 'i.title', 'i.template_id', 't.name as template_name', 'i.template_version', 'i.planned_on',
      'i.inspector_id', 'u.display_name as inspector_name', 'i.ordered_by', 'o.display_name as ordered_by_name', 'i.status', 'i.score', 'i.max_score', 'i.note',
      'i.started_at', 'i.submitted_at',
      (eb) => eb.selectFrom('quality_notices as n').select((e) => e.fn.countAll<number>().as('c')).whereRef('n.inspection_id', '=', 'i.id').where('n.status', '<>', 'cancelled').as('findings'),
    ]);
}
type Row = Awaited<ReturnType<ReturnType<typeof selectInspections>['executeTakeFirstOrThrow']>>;

const toSummary = (r: Row): InspectionSummary => ({
  id: r.id,
  communityId: r.community_id,
  communityName: r.community_name,
  kind: r.kind,
  title: r.title,
  templateName: r.template_name,
  templateVersion: r.template_version,
  plannedOn: r.planned_on,
  inspector: { id: r.inspector_id, name: r.inspector_name },
  status: r.status,
  score: r.score,
  maxScore: r.max_score,
  percent: r.score === null ? null : percent(r.score, r.max_score),
  findings: Number(r.findings ?? 0),
  submittedAt: iso(r.submitted_at),
});

/** Readers see the inspections of their communities; an inspector always sees their own (a cross-inspection is elsewhere). */
async function loadInspection(db: Db, ctx: RequestContext, id: string) {
  const row = await selectInspections(db, companyOf(ctx.actor)).where('i.id', '=', id).executeTakeFirst();
  const reader = (can(ctx.actor, 'quality.read') || can(ctx.actor, 'quality.manage')) && row && canSeeCommunity(ctx.actor, row.community_id);
  if (!row || (!reader && row.inspector_id !== ctx.actor.userId)) throw new NotFoundError('inspection');
  return row;
}

/** The inspector, or a quality manager of the community, while the inspection is open. */
function canEdit(ctx: RequestContext, r: Pick<Row, 'status' | 'inspector_id' | 'community_id'>): boolean {
  if (r.status !== 'planned' && r.status !== 'inProgress') return false;
  return r.inspector_id === ctx.actor.userId || (can(ctx.actor, 'quality.manage') && canSeeCommunity(ctx.actor, r.community_id));
}

async function requireEditable(db: Db, ctx: RequestContext, id: string) {
  const row = await loadInspection(db, ctx, id);
  requirePermission(ctx.actor, 'quality.manage');
  if (!canEdit(ctx, row)) {
    if (row.status === 'submitted' || row.status === 'cancelled') throw new ConflictError('conflict.inspectionState', { status: row.status }, { field: 'status', status: row.status });
    throw new NotFoundError('inspection');
  }
  return row;
}

export async function listInspections(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: InspectionQuery): Promise<Page<InspectionSummary>> {
  requireReader(ctx.actor);
  if (q.from && q.to && q.to < q.from) throw new ValidationError('to', 'validation.dateOrder');
  const scope = communityScope(ctx.actor);
  const me = ctx.actor.userId;
  const base = selectInspections(deps.db, companyOf(ctx.actor))
    .$if(q.mine === 'true', (qb) => qb.where('i.inspector_id', '=', me))
    .$if(q.mine !== 'true' && scope !== null, (qb) => qb.where((eb) => eb.or([eb('i.community_id', 'in', scope!), eb('i.inspector_id', '=', me)])))
    .$if(Boolean(q.communityId), (qb) => qb.where('i.community_id', '=', q.communityId!))
    .$if(Boolean(q.status), (qb) => qb.where('i.status', '=', q.status!))
    .$if(Boolean(q.kind), (qb) => qb.where('i.kind', '=', q.kind!))
    .$if(Boolean(q.from), (qb) => qb.where('i.planned_on', '>=', q.from!))
    .$if(Boolean(q.to), (qb) => qb.where('i.planned_on', '<=', q.to!));
  const [rows, count] = await Promise.all([
    base.orderBy('i.planned_on', 'desc').orderBy('i.created_at', 'desc').limit(q.pageSize).offset(offsetOf(q)).execute(),
    base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toSummary), total: Number(count.n), page: q.page, pageSize: q.pageSize };
}

export async function getInspection(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string): Promise<InspectionDetail> {
  const row = await loadInspection(deps.db, ctx, id);
  const [items, notices] = await Promise.all([
    deps.db.selectFrom('quality_inspection_items').selectAll().where('inspection_id', '=', id).orderBy('sort_order').execute(),
    selectNotices(deps.db, companyOf(ctx.actor)).where('n.inspection_id', '=', id).orderBy('n.created_at').execute(),
  ]);
  const live = notices.filter((n) => n.status !== 'cancelled');
  const { byItem } = inspectionScore(
    items.map((i) => ({ id: i.id, maxPoints: i.max_points, deducted: i.deducted })),
    live.map((n) => ({ itemId: n.item_id, deduction: n.deduction })),
  );
  return {
    ...toSummary(row),
    templateId: row.template_id,
    note: row.note,
    orderedBy: row.ordered_by ? { id: row.ordered_by, name: row.ordered_by_name ?? '' } : null,
    startedAt: iso(row.started_at),
    items: items.map((i) => ({ id: i.id, label: i.label, maxPoints: i.max_points, departmentKind: i.department_kind, guidance: i.guidance, deducted: i.deducted, note: i.note, points: byItem[i.id] ?? i.max_points })),
    notices: notices.map((n) => toNoticeSummary(n)),
    canEdit: can(ctx.actor, 'quality.manage') && canEdit(ctx, row),
  };
}

export async function createInspection(deps: Pick<Deps, 'db'>, ctx: RequestContext, input: CreateInspectionInput): Promise<InspectionDetail> {
  requirePermission(ctx.actor, 'quality.manage');
  const companyId = companyOf(ctx.actor);
  const community = await loadCommunity(deps.db, ctx.actor, input.communityId, 'field');
  const template = await deps.db.selectFrom('quality_templates').select(['id', 'name', 'version', 'active']).where('id', '=', input.templateId).where('company_id', '=', companyId).executeTakeFirst();
  if (!template?.active) throw new ValidationError('templateId', 'validation.unknownIds');
  if (input.plannedOn < localDate(new Date(), community.time_zone)) throw new ValidationError('plannedOn', 'validation.notPast');
  const inspector = await requireStaff(deps.db, companyId, input.inspectorId, 'quality.manage', 'inspectorId');
  // 交叉检查: the inspector comes from another community, so is not one of this community's own staff; an ad hoc
  // inspection is made by the community's own.
  const theirs = await communitiesOfUser(deps.db, inspector.id);
  const local = theirs === 'all' || theirs.includes(community.id);
  if (local === (input.kind === 'cross')) throw new ValidationError('inspectorId', 'validation.otherCommunity');
  const id = await deps.db.transaction().execute(async (trx) => {
    const max = await trx.selectFrom('quality_template_items').select((eb) => eb.fn.sum<number>('max_points').as('m')).where('template_id', '=', template.id).executeTakeFirstOrThrow();
    const row = await trx
      .insertInto('quality_inspections')
      .values({
        company_id: companyId,
        community_id: community.id,
        template_id: template.id,
        template_version: template.version,
        kind: input.kind,
        title: input.title ?? template.name,
        planned_on: input.plannedOn,
        inspector_id: inspector.id,
        ordered_by: ctx.actor.userId,
        max_score: Number(max.m ?? 0),
        note: input.note || null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await copyItems(trx, companyId, row.id, template.id);
    await writeAudit(trx, ctx, { action: 'qualityInspection.create', entityType: 'qualityInspection', entityId: row.id, after: input });
    const woken = await notify(trx, companyId, { userIds: inspector.id === ctx.actor.userId ? [] : [inspector.id], ticketId: null, kind: 'quality.inspection', title: `${input.plannedOn} ${input.title ?? template.name}` });
    return { id: row.id, woken };
  });
  wake(id.woken);
  return getInspection(deps, ctx, id.id);
}

const startIfPlanned = (trx: Db, id: string, now: Date) =>
  trx.updateTable('quality_inspections').set({ status: 'inProgress', started_at: now, updated_at: now }).where('id', '=', id).where('status', '=', 'planned').execute();

/** Points taken off item by item (0 = full marks); a finding on an item takes its own deduction off as well. */
export async function scoreItems(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string, input: ScoreItemsInput): Promise<InspectionDetail> {
  await requireEditable(deps.db, ctx, id);
  const items = await deps.db.selectFrom('quality_inspection_items').select(['id', 'max_points']).where('inspection_id', '=', id).execute();
  for (const [n, s] of input.items.entries()) {
    const item = items.find((i) => i.id === s.itemId);
    if (!item) throw new ValidationError(`items.${n}.itemId`, 'validation.unknownIds');
    if (s.deducted > item.max_points) throw new ValidationError(`items.${n}.deducted`, 'validation.overMaxPoints');
  }
  const now = new Date();
  await deps.db.transaction().execute(async (trx) => {
    for (const s of input.items) await trx.updateTable('quality_inspection_items').set({ deducted: s.deducted, note: s.note || null }).where('id', '=', s.itemId).where('inspection_id', '=', id).execute();
    await startIfPlanned(trx, id, now);
    await writeAudit(trx, ctx, { action: 'qualityInspection.score', entityType: 'qualityInspection', entityId: id, after: input.items });
  });
  return getInspection(deps, ctx, id);
}

/** A finding: recorded on the inspection and issued at once as a rectification notice, numbered per company and year. */
export async function addFinding(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string, input: CreateFindingInput): Promise<InspectionDetail> {
  const inspection = await requireEditable(deps.db, ctx, id);
  const companyId = companyOf(ctx.actor);
  const db = deps.db;
  if (!input.departmentId && !input.assigneeId) throw new ValidationError('departmentId', 'validation.required');
  let item: { id: string; max_points: number; deducted: number } | undefined;
  if (input.itemId) {
    item = await db.selectFrom('quality_inspection_items').select(['id', 'max_points', 'deducted']).where('id', '=', input.itemId).where('inspection_id', '=', id).executeTakeFirst();
    if (!item) throw new ValidationError('itemId', 'validation.unknownIds');
    const taken = await db.selectFrom('quality_notices').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('deduction'), sql<number>`0`).as('s')).where('item_id', '=', item.id).where('status', '<>', 'cancelled').executeTakeFirstOrThrow();
    if (item.deducted + Number(taken.s) + input.deduction > item.max_points) throw new ValidationError('deduction', 'validation.overMaxPoints');
  }
  if (input.buildingId) {
    const b = await db.selectFrom('buildings').select('community_id').where('id', '=', input.buildingId).where('company_id', '=', companyId).executeTakeFirst();
    if (!b) throw new ValidationError('buildingId', 'validation.unknownIds');
    if (b.community_id !== inspection.community_id) throw new ValidationError('buildingId', 'validation.otherCommunity');
  }
  const department = input.departmentId ? await requireDepartment(db, companyId, input.departmentId, 'departmentId') : null;
  if (input.assigneeId) await requireStaff(db, companyId, input.assigneeId, 'quality.rectify', 'assigneeId', inspection.community_id);
  const now = new Date();
  if (new Date(input.deadlineAt).getTime() <= now.getTime()) throw new ValidationError('deadlineAt', 'validation.notPast');
  await requireImages(db, ctx, input.photoFileIds, 'photoFileIds');
  const zone = (await db.selectFrom('communities').select('time_zone').where('id', '=', inspection.community_id).executeTakeFirstOrThrow()).time_zone;
  const year = Number(localDate(now, zone).slice(0, 4));

  const woken = await db.transaction().execute(async (trx) => {
    const counter = await trx
      .insertInto('quality_counters')
      .values({ company_id: companyId, year, last: 1 })
      .onConflict((oc) => oc.columns(['company_id', 'year']).doUpdateSet({ last: sql`quality_counters.last + 1` }))
      .returning('last')
      .executeTakeFirstOrThrow();
    const no = noticeNo(year, counter.last);
    const notice = await trx
      .insertInto('quality_notices')
      .values({
        company_id: companyId,
        community_id: inspection.community_id,
        no,
        inspection_id: id,
        item_id: item?.id ?? null,
        description: input.description,
        location: input.location || null,
        building_id: input.buildingId ?? null,
        deduction: input.deduction,
        department_id: department?.id ?? null,
        assignee_id: input.assigneeId ?? null,
        deadline_at: new Date(input.deadlineAt),
        created_by: ctx.actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (input.photoFileIds.length) {
      await trx.insertInto('quality_notice_photos').values([...new Set(input.photoFileIds)].map((file_id) => ({ notice_id: notice.id, file_id, company_id: companyId, stage: 'finding' as const }))).execute();
    }
    await trx
      .insertInto('quality_notice_events')
      .values({ company_id: companyId, notice_id: notice.id, at: now, actor_id: ctx.actor.userId, actor_name: ctx.actor.displayName, action: 'issue', to_status: 'open', note: input.description, payload: JSON.stringify({ deadlineAt: input.deadlineAt, departmentId: department?.id ?? null, assigneeId: input.assigneeId ?? null }) })
      .execute();
    await startIfPlanned(trx, id, now);
    await writeAudit(trx, ctx, { action: 'qualityNotice.issue', entityType: 'qualityNotice', entityId: notice.id, after: { no, inspectionId: id, ...input } });
    return notify(trx, companyId, { userIds: [input.assigneeId ?? department?.head_id].filter((u) => u !== ctx.actor.userId), ticketId: null, kind: 'quality.notice', title: `${no} ${input.description}` });
  });
  wake(woken);
  return getInspection(deps, ctx, id);
}

/** Submitting fixes the score: the items' points after every deduction. */
export async function submitInspection(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string, input: { note?: string }): Promise<InspectionDetail> {
  await requireEditable(deps.db, ctx, id);
  const now = new Date();
  await deps.db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('quality_inspections').select('status').where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
    if (current.status === 'submitted' || current.status === 'cancelled') throw new ConflictError('conflict.inspectionState', { status: current.status }, { field: 'status', status: current.status });
    const items = await trx.selectFrom('quality_inspection_items').select(['id', 'max_points', 'deducted']).where('inspection_id', '=', id).execute();
    const findings = await trx.selectFrom('quality_notices').select(['item_id', 'deduction']).where('inspection_id', '=', id).where('status', '<>', 'cancelled').execute();
    const { score, maxScore } = inspectionScore(
      items.map((i) => ({ id: i.id, maxPoints: i.max_points, deducted: i.deducted })),
      findings.map((f) => ({ itemId: f.item_id, deduction: f.deduction })),
    );
    await trx
      .updateTable('quality_inspections')
      .set({ status: 'submitted', score, max_score: maxScore, submitted_at: now, started_at: sql`COALESCE(started_at, ${now})`, updated_at: now, ...(input.note && { note: input.note }) })
      .where('id', '=', id)
      .execute();
    await writeAudit(trx, ctx, { action: 'qualityInspection.submit', entityType: 'qualityInspection', entityId: id, after: { score, maxScore } });
  });
  return getInspection(deps, ctx, id);
}
