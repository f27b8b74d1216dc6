import { sql } from 'kysely';
import type { Deps } from '../../deps.ts';
import { type RequestContext, can, communityScope, companyOf, requirePermission } from '../../core/context.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import { offsetOf, type Page } from '../../core/pagination.ts';
import { contains } from '../../core/validation.ts';
import type { EquipmentStatus } from '../../db/schema-equipment.ts';
import type { CreateEquipmentInput, EquipmentDetail, EquipmentQuery, EquipmentSummary, UpdateEquipmentInput } from './schema.ts';
import { type EquipmentRow, loadCommunity, loadEquipment, overdueSql, requireBuilding, requireFiles, requireStaff, todayIn } from './repo.ts';
import { transitionPermission, daysBetween } from './rules.ts';
import type { Category } from './catalogue.ts';

/** The equipment ledger (设备台账): items, their nameplate and people, status with history. */

type D = Pick<Deps, 'db'>;

function summaryQuery(db: D['db'], companyId: string) {
  return db
    .selectFrom('equipment as e')
    .innerJoin('communities as c', 'c.id', 'e.community_id')
    .leftJoin('buildings as b', 'b.id', 'e.building_id')
    .leftJoin('users as r', 'r.id', 'e.responsible_id')
    .where('e.company_id', '=', companyId)
    .select([
      'e.id', 'e.community_id', 'c.name as community_name', 'e.code', 'e.name', 'e.category', 'e.location', 'e.building_id', 'b.name as building_name', 'e.model', 'e.status',
      'e.status_changed_at', 'e.responsible_id', 'r.display_name as responsible_name',
    ])
    .select((eb) => [
      eb.selectFrom('equipment_inspections as i').select((x) => x.fn.min('i.next_due_on').as('d')).whereRef('i.equipment_id', '=', 'e.id').where('i.active', '=', true).as('next_inspection_on'),
      eb.selectFrom('maintenance_tasks as t').select((x) => x.fn.countAll<number>().as('n')).whereRef('t.equipment_id', '=', 'e.id').where('t.status', '=', 'open').as('open_tasks'),
      eb.selectFrom('maintenance_tasks as t').select((x) => x.fn.countAll<number>().as('n')).whereRef('t.equipment_id', '=', 'e.id').where('t.status', '=', 'open').where(overdueSql('t.due_on', 'c.time_zone')).as('overdue_tasks'),
    ]);
}
type SummaryRow = Awaited<ReturnType<ReturnType<typeof summaryQuery>['executeTakeFirstOrThrow']>>;

const toSummary = (r: SummaryRow): EquipmentSummary => ({
  id: r.id,
  communityId: r.community_id,
  communityName: r.community_name,
  code: r.code,
  name: r.name,
  category: r.category as Category,
  location: r.location,
  building: r.building_id ? { id: r.building_id, name: r.building_name ?? '' } : null,
  model: r.model,
  status: r.status,
  statusChangedAt: r.status_changed_at.toISOString(),
  responsible: r.responsible_id ? { id: r.responsible_id, name: r.responsible_name ?? '' } : null,
  nextInspectionOn: r.next_inspection_on ?? null,
  openTasks: Number(r.open_tasks ?? 0),
  overdueTasks: Number(r.overdue_tasks ?? 0),
});

function filtered(db: D['db'], ctx: RequestContext, q: Omit<EquipmentQuery, 'page' | 'pageSize'>) {
  const scope = communityScope(ctx.actor);
  return summaryQuery(db, companyOf(ctx.actor))
    .$if(scope !== null, (qb) => qb.where('e.community_id', 'in', scope!))
    .$if(Boolean(q.communityId), (qb) => qb.where('e.community_id', '=', q.communityId!))
    .$if(Boolean(q.category), (qb) => qb.where('e.category', '=', q.category!))
    .$if(Boolean(q.status), (qb) => qb.where('e.status', '=', q.status!))
    .$if(Boolean(q.buildingId), (qb) => qb.where('e.building_id', '=', q.buildingId!))
    .$if(Boolean(q.responsibleId), (qb) => qb.where('e.responsible_id', '=', q.responsibleId!))
    .$if(Boolean(q.q), (qb) =>
      qb.where((eb) => eb.or(['e.code', 'e.name', 'e.location', 'e.model', 'e.serial_no'].map((col) => eb(sql.ref(col), 'ilike', contains(q.q))))),
    );
}

export async function listEquipment(deps: D, ctx: RequestContext, q: EquipmentQuery): Promise<Page<EquipmentSummary>> {
  requirePermission(ctx.actor, 'equipment.read');
  if (q.communityId) await loadCommunity(deps.db, ctx.actor, q.communityId, 'notFound');
  const base = filtered(deps.db, ctx, q);
  const [rows, count] = await Promise.all([
    base.orderBy('c.name').orderBy('e.code').limit(q.pageSize).offset(offsetOf(q)).execute(),
    base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toSummary), total: Number(count.n), page: q.page, pageSize: q.pageSize };
}

/** Every item matching the filters, for the .xlsx export (no paging; a community has hundreds, not millions). */
export async function allEquipment(deps: D, ctx: RequestContext, q: Omit<EquipmentQuery, 'page' | 'pageSize'>) {
  requirePermission(ctx.actor, 'equipment.read');
  if (q.communityId) await loadCommunity(deps.db, ctx.actor, q.communityId, 'notFound');
  const rows = await filtered(deps.db, ctx, q)
    .leftJoin('users as cu', 'cu.id', 'e.created_by')
    .select(['e.serial_no', 'e.manufacturer', 'e.made_on', 'e.installed_on', 'e.vendor', 'e.contractor_name', 'e.contractor_phone', 'e.specs'])
    .orderBy('c.name').orderBy('e.category').orderBy('e.code')
    .limit(20_000)
    .execute();
  return rows.map((r) => ({ ...toSummary(r), serialNo: r.serial_no, manufacturer: r.manufacturer, madeOn: r.made_on, installedOn: r.installed_on, vendor: r.vendor, contractorName: r.contractor_name, contractorPhone: r.contractor_phone, specs: r.specs }));
}

export async function getEquipment(deps: D, ctx: RequestContext, id: string): Promise<EquipmentDetail> {
  requirePermission(ctx.actor, 'equipment.read');
  const e = await loadEquipment(deps.db, ctx.actor, id);
  const db = deps.db;
  const today = todayIn(e.time_zone);
  const [summary, history, attachments, inspections, records] = await Promise.all([
    summaryQuery(db, e.company_id).where('e.id', '=', id).executeTakeFirstOrThrow(),
    db
      .selectFrom('equipment_status_history as h')
      .leftJoin('users as u', 'u.id', 'h.changed_by')
      .leftJoin('tickets as t', 't.id', 'h.ticket_id')
      .select(['h.id', 'h.from_status', 'h.to_status', 'h.reason', 'h.ticket_id', 't.no as ticket_no', 'u.display_name', 'h.changed_at'])
      .where('h.equipment_id', '=', id)
      .orderBy('h.changed_at', 'desc')
      .execute(),
    db.selectFrom('equipment_attachments as a').innerJoin('files as f', 'f.id', 'a.file_id').select(['a.file_id', 'f.original_name', 'f.mime_type']).where('a.equipment_id', '=', id).orderBy('a.created_at').execute(),
    db.selectFrom('equipment_inspections').selectAll().where('equipment_id', '=', id).orderBy('next_due_on').execute(),
    db.selectFrom('inspection_records as r').leftJoin('users as u', 'u.id', 'r.recorded_by').selectAll('r').select('u.display_name').where('r.equipment_id', '=', id).orderBy('r.inspected_on', 'desc').execute(),
  ]);
  const toRecord = (r: (typeof records)[number]) => ({
    id: r.id, inspectedOn: r.inspected_on, certificateNo: r.certificate_no, result: r.result, agency: r.agency, nextDueOn: r.next_due_on, note: r.note, fileId: r.file_id, recordedBy: r.display_name, createdAt: r.created_at.toISOString(),
  });
  return {
    ...toSummary(summary),
    buildingId: e.building_id,
    serialNo: e.serial_no,
    manufacturer: e.manufacturer,
    madeOn: e.made_on,
    installedOn: e.installed_on,
    specs: e.specs,
    vendor: e.vendor,
    contractorName: e.contractor_name,
    contractorPhone: e.contractor_phone,
    note: e.note,
    attachments: attachments.map((a) => ({ fileId: a.file_id, name: a.original_name, mimeType: a.mime_type })),
    history: history.map((h) => ({
      id: h.id, fromStatus: h.from_status, toStatus: h.to_status, reason: h.reason, ticket: h.ticket_id ? { id: h.ticket_id, no: h.ticket_no ?? '' } : null, changedBy: h.display_name, changedAt: h.changed_at.toISOString(),
    })),
    inspections: inspections.map((i) => {
      const own = records.filter((r) => r.inspection_id === i.id).map(toRecord);
      return {
        id: i.id, communityId: i.community_id, equipment: { id: e.id, code: e.code, name: e.name, category: e.category as Category }, kind: i.kind, name: i.name, cycleMonths: i.cycle_months, agency: i.agency,
        nextDueOn: i.next_due_on, daysLeft: daysBetween(today, i.next_due_on), active: i.active, lastRecord: own[0] ?? null, records: own,
      };
    }),
    createdAt: e.created_at.toISOString(),
    updatedAt: e.updated_at.toISOString(),
  };
}

async function checkRefs(deps: D, companyId: string, communityId: string, input: Partial<CreateEquipmentInput>) {
  if (input.buildingId) await requireBuilding(deps.db, companyId, communityId, input.buildingId);
  if (input.responsibleId) await requireStaff(deps.db, companyId, communityId, input.responsibleId, 'responsibleId');
  if (input.attachmentFileIds?.length) await requireFiles(deps.db, companyId, input.attachmentFileIds, 'attachmentFileIds');
}

async function codeTaken(deps: D, communityId: string, code: string, except?: string) {
  const row = await deps.db.selectFrom('equipment').select('id').where('community_id', '=', communityId).where('code', '=', code).$if(Boolean(except), (qb) => qb.where('id', '<>', except!)).executeTakeFirst();
  if (row) throw new ConflictError('conflict.codeTaken', { name: code, field: 'code' }, { field: 'code' });
}

function checkDates(madeOn: string | null | undefined, installedOn: string | null | undefined, today: string) {
  if (madeOn && madeOn > today) throw new ValidationError('madeOn', 'validation.future');
  if (installedOn && installedOn > today) throw new ValidationError('installedOn', 'validation.future');
  if (madeOn && installedOn && installedOn < madeOn) throw new ValidationError('installedOn', 'validation.dateOrder');
}

/** Postgres unique violation on the code: two people entered the same code at once. */
const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === '23505';

export async function createEquipment(deps: D, ctx: RequestContext, input: CreateEquipmentInput): Promise<EquipmentDetail> {
  requirePermission(ctx.actor, 'equipment.manage');
  const companyId = companyOf(ctx.actor);
  const community = await loadCommunity(deps.db, ctx.actor, input.communityId, 'field');
  checkDates(input.madeOn, input.installedOn, todayIn(community.time_zone));
  await checkRefs(deps, companyId, community.id, input);
  await codeTaken(deps, community.id, input.code);
  const id = await deps.db
    .transaction()
    .execute(async (trx) => {
      const row = await trx
        .insertInto('equipment')
        .values({
          company_id: companyId, community_id: community.id, code: input.code, name: input.name, category: input.category, location: input.location, building_id: input.buildingId ?? null,
          model: input.model ?? null, serial_no: input.serialNo ?? null, manufacturer: input.manufacturer ?? null, made_on: input.madeOn ?? null, installed_on: input.installedOn ?? null,
          specs: JSON.stringify(input.specs), vendor: input.vendor ?? null, contractor_name: input.contractorName ?? null, contractor_phone: input.contractorPhone ?? null,
          responsible_id: input.responsibleId ?? null, note: input.note ?? null, created_by: ctx.actor.userId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.insertInto('equipment_status_history').values({ company_id: companyId, equipment_id: row.id, from_status: null, to_status: 'normal', reason: '', changed_by: ctx.actor.userId }).execute();
      if (input.attachmentFileIds.length) await trx.insertInto('equipment_attachments').values([...new Set(input.attachmentFileIds)].map((file_id) => ({ equipment_id: row.id, file_id, company_id: companyId }))).execute();
      await writeAudit(trx, ctx, { action: 'equipment.create', entityType: 'equipment', entityId: row.id, after: { ...input } });
      return row.id;
    })
    .catch((err) => {
      if (isUniqueViolation(err)) throw new ConflictError('conflict.codeTaken', { name: input.code, field: 'code' }, { field: 'code' });
      throw err;
    });
  return getEquipment(deps, ctx, id);
}

export async function updateEquipment(deps: D, ctx: RequestContext, id: string, input: UpdateEquipmentInput): Promise<EquipmentDetail> {
  requirePermission(ctx.actor, 'equipment.manage');
  const e = await loadEquipment(deps.db, ctx.actor, id);
  checkDates(input.madeOn === undefined ? e.made_on : input.madeOn, input.installedOn === undefined ? e.installed_on : input.installedOn, todayIn(e.time_zone));
  await checkRefs(deps, e.company_id, e.community_id, input);
  if (input.code && input.code !== e.code) await codeTaken(deps, e.community_id, input.code, id);
  const set = {
    ...(input.code !== undefined && { code: input.code }),
    ...(input.name !== undefined && { name: input.name }),
    ...(input.category !== undefined && { category: input.category }),
    ...(input.location !== undefined && { location: input.location }),
    ...(input.buildingId !== undefined && { building_id: input.buildingId }),
    ...(input.model !== undefined && { model: input.model }),
    ...(input.serialNo !== undefined && { serial_no: input.serialNo }),
    ...(input.manufacturer !== undefined && { manufacturer: input.manufacturer }),
    ...(input.madeOn !== undefined && { made_on: input.madeOn }),
    ...(input.installedOn !== undefined && { installed_on: input.installedOn }),
    ...(input.specs !== undefined && { specs: JSON.stringify(input.specs) }),
    ...(input.vendor !== undefined && { vendor: input.vendor }),
    ...(input.contractorName !== undefined && { contractor_name: input.contractorName }),
    ...(input.contractorPhone !== undefined && { contractor_phone: input.contractorPhone }),
    ...(input.responsibleId !== undefined && { responsible_id: input.responsibleId }),
    ...(input.note !== undefined && { note: input.note }),
  };
  await deps.db
    .transaction()
    .execute(async (trx) => {
      await trx.updateTable('equipment').set({ ...set, updated_at: new Date() }).where('id', '=', id).execute();
      if (input.attachmentFileIds) {
        await trx.deleteFrom('equipment_attachments').where('equipment_id', '=', id).execute();
        if (input.attachmentFileIds.length) await trx.insertInto('equipment_attachments').values([...new Set(input.attachmentFileIds)].map((file_id) => ({ equipment_id: id, file_id, company_id: e.company_id }))).execute();
      }
      const before = Object.fromEntries(Object.keys(set).map((k) => [k, (e as Record<string, unknown>)[k]]));
      await writeAudit(trx, ctx, { action: 'equipment.update', entityType: 'equipment', entityId: id, before, after: input });
    })
    .catch((err) => {
      if (isUniqueViolation(err)) throw new ConflictError('conflict.codeTaken', { name: input.code ?? '', field: 'code' }, { field: 'code' });
      throw err;
    });
  return getEquipment(deps, ctx, id);
}

/**
 * Moves an item to another status, with a history row. Used by the status endpoint and by fault reports (with the
 * ticket). The row is locked so two changes at once are applied one after the other.
 */
export async function applyStatus(
  deps: D,
  ctx: RequestContext,
  e: Pick<EquipmentRow, 'id' | 'company_id'>,
  to: EquipmentStatus,
  reason: string,
  ticketId: string | null,
  opts: { quietIfSame: boolean },
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('equipment').select('status').where('id', '=', e.id).forUpdate().executeTakeFirstOrThrow();
    if (current.status === to) {
      if (opts.quietIfSame) return;
      throw new ValidationError('status', 'validation.invalid');
    }
    const needed = transitionPermission(current.status, to);
    if (!needed) throw new ValidationError('status', 'validation.invalid');
    if (!can(ctx.actor, needed) && !can(ctx.actor, 'equipment.manage')) throw new ForbiddenError(needed);
    const now = new Date();
    await trx.updateTable('equipment').set({ status: to, status_changed_at: now, updated_at: now }).where('id', '=', e.id).execute();
    await trx.insertInto('equipment_status_history').values({ company_id: e.company_id, equipment_id: e.id, from_status: current.status, to_status: to, reason, ticket_id: ticketId, changed_by: ctx.actor.userId, changed_at: now }).execute();
    await writeAudit(trx, ctx, { action: 'equipment.status', entityType: 'equipment', entityId: e.id, before: { status: current.status }, after: { status: to, reason, ticketId } });
  });
}

export async function changeStatus(deps: D, ctx: RequestContext, id: string, input: { status: EquipmentStatus; reason: string }): Promise<EquipmentDetail> {
  if (!can(ctx.actor, 'equipment.maintain')) requirePermission(ctx.actor, 'equipment.manage');
  const e = await loadEquipment(deps.db, ctx.actor, id);
  await applyStatus(deps, ctx, e, input.status, input.reason, null, { quietIfSame: false });
  return getEquipment(deps, ctx, id);
}
