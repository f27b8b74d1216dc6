import type { Deps } from '../../deps.ts';
import type { Permission } from '../../core/permissions.ts';
import { type RequestContext, can, companyOf, requirePermission } from '../../core/context.ts';
import { ForbiddenError, ValidationError } from '../../core/errors.ts';
import { createTicket } from '../servicedesk/tickets.ts';
import { ensureDesk } from '../servicedesk/config.ts';
import { categoryInfo } from './catalogue.ts';
import { applyStatus, getEquipment } from './ledger.ts';
import { type EquipmentRow, loadEquipment } from './repo.ts';
import type { EquipmentDetail } from './schema.ts';

/**
 * Faults and repairs (故障报修): a fault reported from an item's page, or found during a maintenance task, becomes a
 * public-repair ticket of the service desk at the item's location, linked to the item, and the item goes to 故障.
 * The repair itself is worked on the service desk; staff set the item back to 正常 when it is fixed.
 */

type D = Pick<Deps, 'db' | 'sms' | 'log'>;

/** Who may report a fault: anyone who may file a ticket, and maintenance staff (who work tickets but do not file them at the desk). */
export function mayReportFault(ctx: RequestContext): boolean {
  return can(ctx.actor, 'equipment.read') && (can(ctx.actor, 'ticket.create') || can(ctx.actor, 'equipment.maintain'));
}

/**
 * The ticket is filed by the caller through the service desk's own use case. Maintenance staff without the desk's
 * ticket.create are allowed to file this one ticket: the equipment module has already checked they may report.
 */
function asReporter(ctx: RequestContext): RequestContext {
  const extra: Permission[] = ['ticket.create', 'ticket.read'];
  return { ...ctx, actor: { ...ctx.actor, permissions: new Set([...ctx.actor.permissions, ...extra]) } };
}

export async function fileFaultTicket(
  deps: D,
  ctx: RequestContext,
  e: EquipmentRow,
  input: { description: string; urgency: 'normal' | 'urgent'; photoFileIds: string[]; title?: string },
  source: { kind: 'report' | 'task'; taskId?: string },
) {
  const companyId = e.company_id;
  await ensureDesk(deps.db, companyId);
  const code = categoryInfo(e.category).ticketCategory;
  const category =
    (await deps.db.selectFrom('ticket_categories').select('id').where('company_id', '=', companyId).where('kind', '=', 'publicRepair').where('code', '=', code).where('active', '=', true).executeTakeFirst()) ??
    (await deps.db.selectFrom('ticket_categories').select('id').where('company_id', '=', companyId).where('kind', '=', 'publicRepair').where('active', '=', true).orderBy('sort').executeTakeFirst());
  if (!category) throw new ValidationError('categoryId', 'validation.categoryKind', { kind: 'publicRepair' });
  const building = e.building_id ? await deps.db.selectFrom('buildings').select('name').where('id', '=', e.building_id).executeTakeFirst() : undefined;
  const location = [building?.name, e.location].filter(Boolean).join(' ').trim() || e.name;
  const ticket = await createTicket(deps, asReporter(ctx), {
    communityId: e.community_id,
    kind: 'publicRepair',
    categoryId: category.id,
    urgency: input.urgency,
    severity: 'ordinary',
    location: location.slice(0, 200),
    title: (input.title ?? `${e.name}（${e.code}）故障`).slice(0, 100),
    description: input.description,
    channel: 'patrol',
    photoFileIds: input.photoFileIds,
  });
  await deps.db
    .insertInto('equipment_tickets')
    .values({ equipment_id: e.id, ticket_id: ticket.id, company_id: companyId, source: source.kind, task_id: source.taskId ?? null })
    .onConflict((oc) => oc.columns(['equipment_id', 'ticket_id']).doNothing())
    .execute();
  await applyStatus(deps, ctx, e, 'fault', input.description.slice(0, 200), ticket.id, { quietIfSame: true });
  return ticket;
}

export async function reportFault(deps: D, ctx: RequestContext, id: string, input: { description: string; urgency: 'normal' | 'urgent'; photoFileIds: string[] }) {
  requirePermission(ctx.actor, 'equipment.read');
  const e = await loadEquipment(deps.db, ctx.actor, id);
  if (!mayReportFault(ctx)) throw new ForbiddenError('ticket.create');
  if (e.status === 'stopped') throw new ValidationError('status', 'validation.invalid');
  const ticket = await fileFaultTicket(deps, ctx, e, input, { kind: 'report' });
  const equipment: EquipmentDetail = await getEquipment(deps, ctx, id);
  const [linked] = await equipmentTickets(deps, ctx, id, ticket.id);
  return { ticket: linked, equipment };
}

/** The tickets about an item, newest first: its faults and repairs. */
export async function equipmentTickets(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string, onlyTicketId?: string) {
  requirePermission(ctx.actor, 'equipment.read');
  const e = await loadEquipment(deps.db, ctx.actor, id);
  const rows = await deps.db
    .selectFrom('equipment_tickets as l')
    .innerJoin('tickets as t', 't.id', 'l.ticket_id')
    .leftJoin('users as u', 'u.id', 't.assignee_id')
    .select(['t.id', 't.no', 't.title', 't.status', 'l.source', 't.reported_at', 'u.display_name'])
    .where('l.equipment_id', '=', e.id)
    .where('t.company_id', '=', companyOf(ctx.actor))
    .$if(Boolean(onlyTicketId), (qb) => qb.where('t.id', '=', onlyTicketId!))
    .orderBy('t.reported_at', 'desc')
    .limit(200)
    .execute();
  return rows.map((r) => ({ id: r.id, no: r.no, title: r.title, status: r.status, source: r.source, reportedAt: r.reported_at.toISOString(), assigneeName: r.display_name }));
}
