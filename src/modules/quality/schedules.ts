import { sql } from 'kysely';
import type { Deps } from '../../deps.ts';
import { type Db, type RequestContext, communityScope, companyOf, requirePermission } from '../../core/context.ts';
import { NotFoundError, ValidationError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import type { CreateScheduleInput, Schedule, UpdateScheduleInput } from './schema.ts';
import { loadCommunity, requireReader, requireStaff } from './repo.ts';
import { scheduleDue } from './rules.ts';

/** Schedules plan inspections: weekly on a weekday (the Wednesday cleaning inspection), monthly on a day (the joint inspection). */

function selectSchedules(db: Db, companyId: string) {
  return db
    .selectFrom('quality_schedules as s')
    .innerJoin('communities as c', 'c.id', 's.community_id')
    .innerJoin('quality_templates as t', 't.id', 's.template_id')
    .innerJoin('users as u', 'u.id', 's.inspector_id')
    .where('s.company_id', '=', companyId)
    .select(['s.id', 's.community_id', 'c.name as community_name', 's.template_id', 't.name as template_name', 's.name', 's.frequency', 's.weekday', 's.month_day', 's.inspector_id', 'u.display_name as inspector_name', 's.active']);
}
type Row = Awaited<ReturnType<ReturnType<typeof selectSchedules>['executeTakeFirstOrThrow']>>;
const toSchedule = (r: Row): Schedule => ({
  id: r.id,
  communityId: r.community_id,
  communityName: r.community_name,
  template: { id: r.template_id, name: r.template_name },
  name: r.name,
  frequency: r.frequency,
  weekday: r.weekday,
  monthDay: r.month_day,
  inspector: { id: r.inspector_id, name: r.inspector_name },
  active: r.active,
});

export async function listSchedules(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: { communityId?: string }): Promise<Schedule[]> {
  requireReader(ctx.actor);
  const scope = communityScope(ctx.actor);
  const rows = await selectSchedules(deps.db, companyOf(ctx.actor))
    .$if(scope !== null, (qb) => qb.where('s.community_id', 'in', scope!))
    .$if(Boolean(q.communityId), (qb) => qb.where('s.community_id', '=', q.communityId!))
    .orderBy('c.name')
    .orderBy('s.name')
    .execute();
  return rows.map(toSchedule);
}

async function loadSchedule(db: Db, ctx: RequestContext, id: string) {
  const scope = communityScope(ctx.actor);
  const row = await selectSchedules(db, companyOf(ctx.actor))
    .where('s.id', '=', id)
    .$if(scope !== null, (qb) => qb.where('s.community_id', 'in', scope!))
    .executeTakeFirst();
  if (!row) throw new NotFoundError('schedule');
  return row;
}

export async function createSchedule(deps: Pick<Deps, 'db'>, ctx: RequestContext, input: CreateScheduleInput): Promise<Schedule> {
  requirePermission(ctx.actor, 'quality.manage');
  const companyId = companyOf(ctx.actor);
  const community = await loadCommunity(deps.db, ctx.actor, input.communityId, 'field');
  const template = await deps.db.selectFrom('quality_templates').select(['id', 'active']).where('id', '=', input.templateId).where('company_id', '=', companyId).executeTakeFirst();
  if (!template?.active) throw new ValidationError('templateId', 'validation.unknownIds');
  if (input.frequency === 'weekly' && !input.weekday) throw new ValidationError('weekday', 'validation.required');
  if (input.frequency === 'monthly' && !input.monthDay) throw new ValidationError('monthDay', 'validation.required');
  if (input.frequency === 'weekly' && input.monthDay) throw new ValidationError('monthDay', 'validation.invalid');
  if (input.frequency === 'monthly' && input.weekday) throw new ValidationError('weekday', 'validation.invalid');
  await requireStaff(deps.db, companyId, input.inspectorId, 'quality.manage', 'inspectorId');
  const id = await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('quality_schedules')
      .values({ company_id: companyId, community_id: community.id, template_id: template.id, name: input.name, frequency: input.frequency, weekday: input.weekday ?? null, month_day: input.monthDay ?? null, inspector_id: input.inspectorId, created_by: ctx.actor.userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'qualitySchedule.create', entityType: 'qualitySchedule', entityId: row.id, after: input });
    return row.id;
  });
  return toSchedule(await loadSchedule(deps.db, ctx, id));
}

export async function updateSchedule(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string, input: UpdateScheduleInput): Promise<Schedule> {
  requirePermission(ctx.actor, 'quality.manage');
  const companyId = companyOf(ctx.actor);
  const before = await loadSchedule(deps.db, ctx, id);
  if (input.inspectorId) await requireStaff(deps.db, companyId, input.inspectorId, 'quality.manage', 'inspectorId');
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('quality_schedules')
      .set({ ...(input.name && { name: input.name }), ...(input.inspectorId && { inspector_id: input.inspectorId }), ...(input.active !== undefined && { active: input.active }), updated_at: new Date() })
      .where('id', '=', id)
      .where('company_id', '=', companyId)
      .execute();
    await writeAudit(trx, ctx, { action: 'qualitySchedule.update', entityType: 'qualitySchedule', entityId: id, before: toSchedule(before), after: input });
  });
  return toSchedule(await loadSchedule(deps.db, ctx, id));
}

/**
 * Plans the inspections of the community's schedules due on `day`, each with a copy of its template's items. The
 * unique (schedule, date) key makes this exactly once, however many processes or reruns try.
 */
export async function planInspections(db: Db, communityId: string, day: string): Promise<number> {
  const schedules = await db
    .selectFrom('quality_schedules as s')
    .innerJoin('quality_templates as t', 't.id', 's.template_id')
    .select(['s.id', 's.company_id', 's.community_id', 's.template_id', 't.version', 's.name', 's.frequency', 's.weekday', 's.month_day', 's.inspector_id'])
    .where('s.community_id', '=', communityId)
    .where('s.active', '=', true)
    .where('t.active', '=', true)
    .execute();
  let planned = 0;
  for (const s of schedules.filter((s) => scheduleDue({ frequency: s.frequency, weekday: s.weekday, monthDay: s.month_day }, day))) {
    // One statement, so an inspection never exists without its items.
    const inserted = await sql<{ id: string }>`
      WITH ins AS (
        INSERT INTO quality_inspections (company_id, community_id, template_id, template_version, schedule_id, kind, title, planned_on, inspector_id, max_score)
        SELECT ${s.company_id}, ${s.community_id}, ${s.template_id}, ${s.version}, ${s.id}, 'scheduled', ${s.name}, ${day}, ${s.inspector_id},
               COALESCE((SELECT SUM(max_points) FROM quality_template_items WHERE template_id = ${s.template_id}), 0)
        ON CONFLICT (schedule_id, planned_on) WHERE schedule_id IS NOT NULL DO NOTHING
        RETURNING id
      ), items AS (
        INSERT INTO quality_inspection_items (company_id, inspection_id, sort_order, label, max_points, department_kind, guidance)
        SELECT ${s.company_id}, ins.id, ti.sort_order, ti.label, ti.max_points, ti.department_kind, ti.guidance
          FROM ins CROSS JOIN quality_template_items ti WHERE ti.template_id = ${s.template_id}
      )
      SELECT id FROM ins`.execute(db);
    if (!inserted.rows[0]) continue;
    planned++;
  }
  return planned;
}

/** The inspection's own copy of the template's items. */
export async function copyItems(db: Db, companyId: string, inspectionId: string, templateId: string): Promise<void> {
  await sql`
    INSERT INTO quality_inspection_items (company_id, inspection_id, sort_order, label, max_points, department_kind, guidance)
    SELECT ${companyId}, ${inspectionId}, sort_order, label, max_points, department_kind, guidance
      FROM quality_template_items WHERE template_id = ${templateId}`.execute(db);
}
