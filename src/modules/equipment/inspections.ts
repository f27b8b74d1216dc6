import { type Kysely, sql } from 'kysely';
import type { Deps } from '../../deps.ts';
import type { DB } from '../../db/schema.ts';
import { type RequestContext, communityScope, companyOf, requirePermission } from '../../core/context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import { offsetOf, type Page } from '../../core/pagination.ts';
import { notify, wake } from '../servicedesk/notify.ts';
import { staffWith } from '../servicedesk/repo.ts';
import type { Category } from './catalogue.ts';
import { ALERT_DAYS, addDays, addMonths, daysBetween } from './rules.ts';
import { loadCommunity, loadEquipment, requireFiles, todayIn } from './repo.ts';
import type { CreateInspectionInput, Inspection, RecordInput } from './schema.ts';

/**
 * Statutory inspections and calibrations (电梯年检, 压力容器检验, 防雷检测, 安全工器具校验, 消防检测): the next due date of
 * each, the record of each one done (certificate no., result), and alerts 30 and 7 days before the due date.
 */

type D = Pick<Deps, 'db'>;

function inspectionQuery(db: D['db'], companyId: string) {
  return db
    .selectFrom('equipment_inspections as i')
    .innerJoin('equipment as e', 'e.id', 'i.equipment_id')
    .innerJoin('communities as c', 'c.id', 'i.community_id')
    .where('i.company_id', '=', companyId)
    .selectAll('i')
    .select(['e.code', 'e.name as equipment_name', 'e.category', 'c.time_zone'])
    .select((eb) =>
      eb
        .selectFrom('inspection_records as r')
        .leftJoin('users as u', 'u.id', 'r.recorded_by')
        .select(sql<unknown>`json_build_object('id', r.id, 'inspectedOn', r.inspected_on::text, 'certificateNo', r.certificate_no, 'result', r.result, 'agency', r.agency, 'nextDueOn', r.next_due_on::text, 'note', r.note, 'fileId', r.file_id, 'recordedBy', u.display_name, 'createdAt', r.created_at)`.as('j'))
        .whereRef('r.inspection_id', '=', 'i.id')
        .orderBy('r.inspected_on', 'desc')
        .orderBy('r.created_at', 'desc')
        .limit(1)
        .as('last_record'),
    );
}
type InspectionRow = Awaited<ReturnType<ReturnType<typeof inspectionQuery>['executeTakeFirstOrThrow']>>;

function toInspection(r: InspectionRow): Inspection {
  const last = r.last_record as (Inspection['lastRecord'] & { createdAt: string }) | null;
  return {
    id: r.id,
    communityId: r.community_id,
    equipment: { id: r.equipment_id, code: r.code, name: r.equipment_name, category: r.category as Category },
    kind: r.kind,
    name: r.name,
    cycleMonths: r.cycle_months,
    agency: r.agency,
    nextDueOn: r.next_due_on,
    daysLeft: daysBetween(todayIn(r.time_zone), r.next_due_on),
    active: r.active,
    lastRecord: last ? { ...last, createdAt: new Date(last.createdAt).toISOString() } : null,
  };
}

export async function listInspections(deps: D, ctx: RequestContext, q: { page: number; pageSize: number; communityId?: string; equipmentId?: string; dueWithin?: number }): Promise<Page<Inspection>> {
  requirePermission(ctx.actor, 'equipment.read');
  if (q.communityId) await loadCommunity(deps.db, ctx.actor, q.communityId, 'notFound');
  if (q.equipmentId) await loadEquipment(deps.db, ctx.actor, q.equipmentId);
  const scope = communityScope(ctx.actor);
  const base = inspectionQuery(deps.db, companyOf(ctx.actor))
    .where('i.active', '=', true)
    .$if(scope !== null, (qb) => qb.where('i.community_id', 'in', scope!))
    .$if(Boolean(q.communityId), (qb) => qb.where('i.community_id', '=', q.communityId!))
    .$if(Boolean(q.equipmentId), (qb) => qb.where('i.equipment_id', '=', q.equipmentId!))
    .$if(q.dueWithin !== undefined, (qb) => qb.where(sql<boolean>`i.next_due_on <= (now() AT TIME ZONE c.time_zone)::date + ${q.dueWithin!}::int`));
  const [rows, count] = await Promise.all([
    base.orderBy('i.next_due_on').orderBy('e.code').limit(q.pageSize).offset(offsetOf(q)).execute(),
    base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toInspection), total: Number(count.n), page: q.page, pageSize: q.pageSize };
}

async function loadInspection(db: D['db'], ctx: RequestContext, id: string) {
  const row = await inspectionQuery(db, companyOf(ctx.actor)).where('i.id', '=', id).executeTakeFirst();
  const scope = communityScope(ctx.actor);
  if (!row || (scope && !scope.includes(row.community_id))) throw new NotFoundError('inspection');
  return row;
}

export async function createInspection(deps: D, ctx: RequestContext, input: CreateInspectionInput): Promise<Inspection> {
  requirePermission(ctx.actor, 'equipment.manage');
  const e = await loadEquipment(deps.db, ctx.actor, input.equipmentId, 'field');
  const exists = await deps.db.selectFrom('equipment_inspections').select('id').where('equipment_id', '=', e.id).where('kind', '=', input.kind).executeTakeFirst();
  if (exists) throw new ConflictError('conflict.zoneName', { name: input.name }, { field: 'kind' });
  const id = await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('equipment_inspections')
      .values({ company_id: e.company_id, community_id: e.community_id, equipment_id: e.id, kind: input.kind, name: input.name, cycle_months: input.cycleMonths, agency: input.agency ?? null, next_due_on: input.nextDueOn, created_by: ctx.actor.userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'inspection.create', entityType: 'inspection', entityId: row.id, after: input });
    return row.id;
  });
  return toInspection(await loadInspection(deps.db, ctx, id));
}

/** Records an inspection done; its next due date becomes the inspection's (by default the date + the cycle). */
export async function recordInspection(deps: D, ctx: RequestContext, id: string, input: RecordInput): Promise<Inspection> {
  if (!ctx.actor.permissions.has('equipment.maintain')) requirePermission(ctx.actor, 'equipment.manage');
  const i = await loadInspection(deps.db, ctx, id);
  const today = todayIn(i.time_zone);
  if (input.inspectedOn > today) throw new ValidationError('inspectedOn', 'validation.future');
  const nextDue = input.nextDueOn ?? addMonths(input.inspectedOn, i.cycle_months);
  if (nextDue <= input.inspectedOn) throw new ValidationError('nextDueOn', 'validation.dateOrder');
  if (input.fileId) await requireFiles(deps.db, i.company_id, [input.fileId], 'fileId');
  await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('inspection_records')
      .values({
        company_id: i.company_id, inspection_id: i.id, equipment_id: i.equipment_id, inspected_on: input.inspectedOn, certificate_no: input.certificateNo ?? null, result: input.result,
        agency: input.agency ?? i.agency, next_due_on: nextDue, note: input.note ?? null, file_id: input.fileId ?? null, recorded_by: ctx.actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // Only the latest inspection moves the due date: a late entry of an older certificate does not.
    const latest = await trx.selectFrom('inspection_records').select('id').where('inspection_id', '=', i.id).orderBy('inspected_on', 'desc').orderBy('created_at', 'desc').limit(1).executeTakeFirstOrThrow();
    if (latest.id === row.id) await trx.updateTable('equipment_inspections').set({ next_due_on: nextDue, updated_at: new Date() }).where('id', '=', i.id).execute();
    await writeAudit(trx, ctx, { action: 'inspection.record', entityType: 'inspection', entityId: i.id, before: { nextDueOn: i.next_due_on }, after: { ...input, nextDueOn: nextDue } });
  });
  return toInspection(await loadInspection(deps.db, ctx, id));
}

/**
 * Alerts 30 and 7 days before an inspection falls due, to the item's responsible person and the community's equipment
 * managers. Each (inspection, due date, threshold) is written once to inspection_alerts — the insert that wins sends
 * the notification, so a second run, or another process running at once, sends nothing. An inspection first seen
 * 5 days before its date gets only the 7-day alert. Returns the number of alerts sent.
 */
export async function sendInspectionAlerts(db: Kysely<DB>, opts: { day: string; communityIds?: readonly string[] }): Promise<number> {
  if (opts.communityIds && !opts.communityIds.length) return 0;
  const horizon = addDays(opts.day, Math.max(...ALERT_DAYS));
  let sent = 0;
  const woken: string[] = [];
  await db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('equipment_inspections as i')
      .innerJoin('equipment as e', 'e.id', 'i.equipment_id')
      .innerJoin('companies as co', 'co.id', 'i.company_id')
      .select(['i.id', 'i.company_id', 'i.community_id', 'i.name', 'i.next_due_on', 'e.code', 'e.name as equipment_name', 'e.responsible_id'])
      .where('i.active', '=', true)
      .where('co.status', '=', 'active')
      .where('e.status', '<>', 'stopped')
      .where('i.next_due_on', '>=', opts.day)
      .where('i.next_due_on', '<=', horizon)
      .$if(Boolean(opts.communityIds), (qb) => qb.where('i.community_id', 'in', [...opts.communityIds!]))
      .execute();
    const candidates = due.map((d) => {
      const left = daysBetween(opts.day, d.next_due_on);
      return { ...d, left, threshold: Math.min(...ALERT_DAYS.filter((t) => left <= t)) };
    });
    if (!candidates.length) return;
    const inserted = await trx
      .insertInto('inspection_alerts')
      .values(candidates.map((c) => ({ inspection_id: c.id, due_on: c.next_due_on, days_before: c.threshold, company_id: c.company_id })))
      .onConflict((oc) => oc.columns(['inspection_id', 'due_on', 'days_before']).doNothing())
      .returning('inspection_id')
      .execute();
    const won = new Set(inserted.map((r) => r.inspection_id));
    const managers = new Map<string, string[]>();
    for (const c of candidates.filter((x) => won.has(x.id))) {
      const key = `${c.company_id}:${c.community_id}`;
      if (!managers.has(key)) managers.set(key, await staffWith(trx, c.company_id, c.community_id, 'equipment.manage'));
      const title = `${c.name}：${c.equipment_name}（${c.code}）将于 ${c.next_due_on} 到期（还有 ${c.left} 天）`;
      woken.push(...(await notify(trx, c.company_id, { userIds: [c.responsible_id, ...managers.get(key)!], ticketId: null, kind: 'equipmentInspectionDue', title, body: `equipment:${c.id}` })));
      sent += 1;
    }
  });
  wake([...new Set(woken)]);
  return sent;
}
