import type { z } from 'zod';
import { sql, type Transaction } from 'kysely';
import type { Deps } from '../../deps.ts';
import type { DB } from '../../db/schema.ts';
import { type RequestContext, can, canSeeCommunity, communityScope, companyOf, requirePermission } from '../../core/context.ts';
import { NotFoundError, ValidationError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import { offsetOf, type Page } from '../../core/pagination.ts';
import { contains, maskPhone } from '../../core/validation.ts';
import { roomLabel } from '../estate/repo.ts';
import { requireRoom } from '../estate/rooms.ts';
import { loadResident } from '../residents/service.ts';
import { ownerRooms } from '../residents/household.ts';
import type { TicketChannel, TicketKind } from '../../db/schema-service-desk.ts';
import { deskConfig } from './config.ts';
import { needsApproval, nextStatus, pickDispatchRule, pickPolicy, roundRobinPick, TICKET_STATUSES, TRANSITIONS, mayAct, OPEN_STATUSES, type TicketAction } from './rules.ts';
import { clocksOf, computeClocks, loadTicketRow, requireImages, rolesOn, staffWith, worstOf, type TicketRow } from './repo.ts';
import { notify, smsReporter, wake } from './notify.ts';
import type { createTicketBody, ownerCreateTicketBody, ticketDetail, ticketQuery, ticketSummary } from './schema.ts';

type Summary = z.infer<typeof ticketSummary>;
type Detail = z.infer<typeof ticketDetail>;

const PREFIX: Record<TicketKind, string> = { homeRepair: 'WX', publicRepair: 'GW', complaint: 'TS', inquiry: 'ZX', paidService: 'TY' };
/** Reports may be dated up to a minute ahead of the server clock (phones drift). */
const CLOCK_SKEW_MS = 60_000;

interface NewTicket {
  communityId: string;
  kind: TicketKind;
  categoryId: string;
  urgency: 'normal' | 'urgent';
  severity: 'ordinary' | 'major';
  repairSize?: 'small' | 'medium' | 'major';
  roomId?: string;
  location?: string;
  title: string;
  description: string;
  channel: TicketChannel;
  reporterResidentId?: string | null;
  reporterName?: string | null;
  reporterPhone?: string | null;
  reportedAt?: string;
  photoFileIds: string[];
  clientActionId?: string;
}

/** Registers a ticket from the desk (phone, paper, walk-in, patrol, monitoring). */
export async function createTicket(deps: Pick<Deps, 'db' | 'sms' | 'log'>, ctx: RequestContext, input: z.infer<typeof createTicketBody>) {
  requirePermission(ctx.actor, 'ticket.create');
  return insertTicket(deps, ctx, input);
}

/** An owner reports from the phone site: the room must be one of theirs; the reporter is the owner. */
export async function ownerCreateTicket(deps: Pick<Deps, 'db' | 'sms' | 'log'>, ctx: RequestContext, input: z.infer<typeof ownerCreateTicketBody>) {
  requirePermission(ctx.actor, 'owner.self');
  const rooms = await ownerRooms(deps, ctx);
  if (!rooms.some((r) => r.id === input.roomId)) throw new ValidationError('roomId', 'validation.unknownIds');
  const room = await deps.db.selectFrom('rooms').select('community_id').where('id', '=', input.roomId).executeTakeFirstOrThrow();
  const me = await deps.db.selectFrom('users').select(['display_name', 'phone', 'resident_id']).where('id', '=', ctx.actor.userId).executeTakeFirstOrThrow();
  return insertTicket(deps, ctx, {
    ...input,
    communityId: room.community_id,
    severity: 'ordinary',
    channel: 'ownerApp',
    reporterName: me.display_name,
    reporterPhone: me.phone,
    reporterResidentId: me.resident_id,
  });
}

async function insertTicket(deps: Pick<Deps, 'db' | 'sms' | 'log'>, ctx: RequestContext, input: NewTicket) {
  const companyId = companyOf(ctx.actor);
  const db = deps.db;
  const now = new Date();

  // Validation before any write: every mistake names its field and changes nothing.
  const community = await db.selectFrom('communities').select(['id', 'time_zone']).where('id', '=', input.communityId).where('company_id', '=', companyId).executeTakeFirst();
  if (!community || (ctx.actor.kind !== 'owner' && !canSeeCommunity(ctx.actor, community.id))) throw new ValidationError('communityId', 'validation.unknownIds');
  const category = await db.selectFrom('ticket_categories').select(['id', 'kind', 'active', 'name']).where('id', '=', input.categoryId).where('company_id', '=', companyId).executeTakeFirst();
  if (!category || category.kind !== input.kind || !category.active) throw new ValidationError('categoryId', 'validation.categoryKind', { kind: input.kind });
  let buildingId: string | null = null;
  let zoneId: string | null = null;
  if (input.roomId) {
    const room = ctx.actor.kind === 'owner' ? null : await requireRoom(db, ctx, input.roomId, 'roomId');
    if (room && room.communityId !== input.communityId) throw new ValidationError('roomId', 'validation.otherCommunity');
    const b = await db.selectFrom('rooms').innerJoin('buildings', 'buildings.id', 'rooms.building_id').select(['buildings.id', 'buildings.zone_id']).where('rooms.id', '=', input.roomId).executeTakeFirstOrThrow();
    buildingId = b.id;
    zoneId = b.zone_id;
  } else if (input.kind === 'homeRepair') {
    throw new ValidationError('roomId', 'validation.roomRequired');
  } else if (!input.location) {
    throw new ValidationError('roomId', 'validation.locationRequired');
  }
  const reportedAt = input.reportedAt ? new Date(input.reportedAt) : now;
  if (reportedAt.getTime() > now.getTime() + CLOCK_SKEW_MS) throw new ValidationError('reportedAt', 'validation.future');
  await requireImages(db, ctx, input.photoFileIds, 'photoFileIds');
  let reporterName = input.reporterName ?? null;
  let reporterPhone = input.reporterPhone ?? null;
  if (input.reporterResidentId && ctx.actor.kind !== 'owner') {
    const r = await loadResident(db, ctx, input.reporterResidentId, 'reporterResidentId');
    reporterName ??= r.name;
    reporterPhone ??= r.phone;
  }
  if (input.clientActionId) {
    const existing = await db.selectFrom('tickets').select('id').where('company_id', '=', companyId).where('client_ref', '=', input.clientActionId).executeTakeFirst();
    if (existing) return getTicket(deps, ctx, existing.id);
  }

  const cfg = await deskConfig(db, companyId);
  const policy = pickPolicy(cfg.policies, { communityId: community.id, kind: input.kind, categoryId: category.id, urgency: input.urgency, severity: input.severity });
  const { columns, beyondCalendar } = computeClocks(policy?.clocks ?? {}, reportedAt, now, {
    calendar: cfg.calendar,
    hours: cfg.settings.hours,
    timeZone: community.time_zone,
    atRiskPercent: cfg.settings.atRiskPercent,
  });
  const day = localDay(now, community.time_zone);

  const result = await db.transaction().execute(async (trx) => {
    const counter = await trx
      .insertInto('ticket_counters')
      .values({ company_id: companyId, day, last: 1 })
      .onConflict((oc) => oc.columns(['company_id', 'day']).doUpdateSet({ last: sql`ticket_counters.last + 1` }))
      .returning('last')
      .executeTakeFirstOrThrow();
    const no = `${PREFIX[input.kind]}${day.replaceAll('-', '')}${String(counter.last).padStart(4, '0')}`;
    const dispatch = await autoDispatch(trx, companyId, { communityId: community.id, kind: input.kind, categoryId: category.id, buildingId, zoneId });
    const inserted = await trx
      .insertInto('tickets')
      .values({
        company_id: companyId,
        community_id: community.id,
        no,
        kind: input.kind,
        category_id: category.id,
        urgency: input.urgency,
        severity: input.severity,
        repair_size: input.repairSize ?? null,
        room_id: input.roomId ?? null,
        building_id: buildingId,
        zone_id: zoneId,
        location: input.location ?? null,
        title: input.title,
        description: input.description,
        channel: input.channel,
        reporter_user_id: ctx.actor.kind === 'owner' ? ctx.actor.userId : null,
        reporter_resident_id: input.reporterResidentId ?? null,
        reporter_name: reporterName,
        reporter_phone: reporterPhone,
        reporter_lang: ctx.lang,
        reported_at: reportedAt,
        status: dispatch.assigneeId ? 'dispatched' : 'submitted',
        assignee_id: dispatch.assigneeId,
        group_id: dispatch.groupId,
        in_pool: dispatch.pool,
        dispatched_at: dispatch.assigneeId ? now : null,
        policy_id: policy?.id ?? null,
        pause_stops_clock: policy?.pauseStopsClock ?? true,
        beyond_calendar: beyondCalendar,
        approval_status: needsApproval(input.repairSize ?? null) ? 'pending' : 'notNeeded',
        created_by: ctx.actor.userId,
        client_ref: input.clientActionId ?? null,
        ...columns,
      })
      .onConflict((oc) => oc.columns(['company_id', 'client_ref']).where('client_ref', 'is not', null).doNothing())
      .returning(['id', 'no', 'status'])
      .executeTakeFirst();
    if (!inserted) return null; // the same offline report arrived twice at once: the other request created it
    const assigneeName = dispatch.assigneeId ? (await trx.selectFrom('users').select('display_name').where('id', '=', dispatch.assigneeId).executeTakeFirstOrThrow()).display_name : null;
    const actorName = ctx.actor.displayName;
    await trx.insertInto('ticket_events').values({ company_id: companyId, ticket_id: inserted.id, at: now, actor_id: ctx.actor.userId, actor_name: actorName, action: 'create', to_status: 'submitted', payload: JSON.stringify({ channel: input.channel, reportedAt: reportedAt.toISOString(), policy: policy?.id ?? null }) }).execute();
    if (dispatch.rule) {
      await trx
        .insertInto('ticket_events')
        .values({ company_id: companyId, ticket_id: inserted.id, at: now, actor_id: null, actor_name: null, action: dispatch.pool ? 'pool' : 'dispatch', from_status: 'submitted', to_status: inserted.status, payload: JSON.stringify({ auto: true, rule: dispatch.rule, assigneeId: dispatch.assigneeId, assigneeName, groupId: dispatch.groupId }) })
        .execute();
    }
    if (input.photoFileIds.length) {
      await trx.insertInto('ticket_attachments').values(input.photoFileIds.map((file_id) => ({ company_id: companyId, ticket_id: inserted.id, file_id, stage: 'report' as const }))).execute();
    }
    await writeAudit(trx, ctx, { action: 'ticket.create', entityType: 'ticket', entityId: inserted.id, after: { no, kind: input.kind, categoryId: category.id, communityId: community.id, status: inserted.status } });
    const title = `${inserted.no} ${input.title}`;
    const woken = [
      ...(await notify(trx, companyId, { userIds: dispatch.assigneeId ? [dispatch.assigneeId] : [], ticketId: inserted.id, kind: 'assigned', title })),
      ...(await notify(trx, companyId, { userIds: dispatch.poolMembers, ticketId: inserted.id, kind: 'pool', title })),
      ...(await notify(trx, companyId, { userIds: (await staffWith(trx, companyId, community.id, 'ticket.dispatch')).filter((u) => u !== ctx.actor.userId), ticketId: inserted.id, kind: 'new', title })),
    ];
    return { id: inserted.id, no: inserted.no, woken, assigneeName };
  });
  if (!result) {
    const existing = await db.selectFrom('tickets').select('id').where('company_id', '=', companyId).where('client_ref', '=', input.clientActionId!).executeTakeFirstOrThrow();
    return getTicket(deps, ctx, existing.id);
  }
  wake(result.woken);
  const reporterSms = { company_id: companyId, reporter_phone: reporterPhone, reporter_lang: ctx.lang };
  await smsReporter(deps, reporterSms, 'sms.ticketReceived', { no: result.no, title: input.title }, cfg.settings.notifyOwnerSms);
  if (result.assigneeName) await smsReporter(deps, reporterSms, 'sms.ticketDispatched', { no: result.no, name: result.assigneeName }, cfg.settings.notifyOwnerSms);
  return getTicket(deps, ctx, result.id);
}

function localDay(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** Automatic dispatch by the community's rules: a person, the next member of a group in turn, or a group's pool. */
export async function autoDispatch(
  trx: Transaction<DB>,
  companyId: string,
  t: { communityId: string; kind: TicketKind; categoryId: string; buildingId: string | null; zoneId: string | null },
): Promise<{ rule: string | null; assigneeId: string | null; groupId: string | null; pool: boolean; poolMembers: string[] }> {
  const none = { rule: null, assigneeId: null, groupId: null, pool: false, poolMembers: [] };
  const rules = await trx
    .selectFrom('dispatch_rules')
    .select(['id', 'kind', 'category_id', 'building_id', 'zone_id', 'priority', 'mode', 'assignee_id', 'group_id'])
    .where('company_id', '=', companyId)
    .where('community_id', '=', t.communityId)
    .where('active', '=', true)
    .execute();
  const rule = pickDispatchRule(
    rules.map((r) => ({ ...r, categoryId: r.category_id, buildingId: r.building_id, zoneId: r.zone_id })),
    t,
  );
  if (!rule) return none;
  const workers = await staffWith(trx, companyId, t.communityId, 'ticket.work');
  if (rule.mode === 'person') {
    // A rule naming someone who has since left falls back to the desk rather than assigning to nobody.
    return workers.includes(rule.assignee_id!) ? { rule: rule.id, assigneeId: rule.assignee_id, groupId: null, pool: false, poolMembers: [] } : none;
  }
  const group = await trx.selectFrom('staff_groups').select(['id', 'rr_cursor']).where('id', '=', rule.group_id!).forUpdate().executeTakeFirstOrThrow();
  const members = (await trx.selectFrom('staff_group_members').select('user_id').where('group_id', '=', group.id).orderBy('position').orderBy('user_id').execute())
    .map((m) => m.user_id)
    .filter((u) => workers.includes(u));
  if (!members.length) return none;
  if (rule.mode === 'pool') return { rule: rule.id, assigneeId: null, groupId: group.id, pool: true, poolMembers: members };
  const pick = roundRobinPick(members, group.rr_cursor)!;
  await trx.updateTable('staff_groups').set({ rr_cursor: pick.next }).where('id', '=', group.id).execute();
  return { rule: rule.id, assigneeId: pick.member, groupId: group.id, pool: false, poolMembers: [] };
}

/** The steps the caller may take on a ticket now. */
export function allowedActions(ctx: RequestContext, t: TicketRow): TicketAction[] {
  const roles = rolesOn(ctx, t);
  return (Object.keys(TRANSITIONS) as TicketAction[]).filter((a) => {
    if (!mayAct(a, roles)) return false;
    if (nextStatus(a, t.status, t.kind, t.paused_from) === null) return false;
    if (a === 'grab') return t.in_pool;
    if (a === 'returnVisit') return false; // recorded through the return-visit task
    if (a === 'confirm' || a === 'rework') return roles.includes('reporter');
    if (a === 'cancel' && roles.length === 1 && roles[0] === 'reporter') return t.status === 'submitted' || t.status === 'accepted';
    return true;
  });
}

const summarySelect = [
  't.id',
  't.no',
  't.community_id',
  'c.name as community_name',
  't.kind',
  't.category_id',
  'cat.name as category_name',
  'cat.name_en as category_name_en',
  't.urgency',
  't.severity',
  't.title',
  't.status',
  't.room_id',
  'b.name as building_name',
  'u.name as unit_name',
  'r.number as room_number',
  't.location',
  't.assignee_id',
  'a.display_name as assignee_name',
  't.in_pool',
  't.reported_at',
  't.channel',
  't.rework_count',
  't.rating',
  't.respond_due_at',
  't.respond_warn_at',
  't.respond_done_at',
  't.arrive_due_at',
  't.arrive_warn_at',
  't.arrive_done_at',
  't.resolve_due_at',
  't.resolve_warn_at',
  't.resolve_done_at',
  't.reply_due_at',
  't.reply_warn_at',
  't.reply_done_at',
] as const;

function ticketsFrom(db: Deps['db']) {
  return db
    .selectFrom('tickets as t')
    .innerJoin('communities as c', 'c.id', 't.community_id')
    .innerJoin('ticket_categories as cat', 'cat.id', 't.category_id')
    .leftJoin('rooms as r', 'r.id', 't.room_id')
    .leftJoin('buildings as b', 'b.id', 'r.building_id')
    .leftJoin('building_units as u', 'u.id', 'r.unit_id')
    .leftJoin('users as a', 'a.id', 't.assignee_id');
}

type SummaryRow = Awaited<ReturnType<ReturnType<typeof summaryQuery>['executeTakeFirstOrThrow']>>;
function summaryQuery(db: Deps['db']) {
  return ticketsFrom(db).select(summarySelect);
}

function toSummary(r: SummaryRow, lang: RequestContext['lang'], now = new Date()): Summary {
  const clocks = clocksOf(r as unknown as Record<string, unknown>, now);
  return {
    id: r.id,
    no: r.no,
    communityId: r.community_id,
    communityName: r.community_name,
    kind: r.kind,
    categoryId: r.category_id,
    categoryName: lang === 'en' && r.category_name_en ? r.category_name_en : r.category_name,
    urgency: r.urgency,
    severity: r.severity,
    title: r.title,
    status: r.status,
    roomLabel: r.room_id && r.building_name ? roomLabel(r.building_name, r.unit_name, r.room_number!) : null,
    location: r.location,
    assigneeId: r.assignee_id,
    assigneeName: r.assignee_name,
    inPool: r.in_pool,
    reportedAt: r.reported_at.toISOString(),
    channel: r.channel,
    clocks,
    worstClock: worstOf(clocks.map((c) => c.state)),
    reworkCount: r.rework_count,
    rating: r.rating,
  };
}

export async function listTickets(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: z.infer<typeof ticketQuery>): Promise<Page<Summary>> {
  requirePermission(ctx.actor, 'ticket.read');
  const companyId = companyOf(ctx.actor);
  const scope = communityScope(ctx.actor);
  const statuses = q.status ? (Array.isArray(q.status) ? q.status : [q.status]) : q.open === 'true' ? [...OPEN_STATUSES] : q.open === 'false' ? TICKET_STATUSES.filter((s) => !OPEN_STATUSES.includes(s)) : null;
  let base = ticketsFrom(deps.db).where('t.company_id', '=', companyId);
  if (scope) base = base.where('t.community_id', 'in', scope);
  if (statuses) base = base.where('t.status', 'in', statuses);
  if (q.kind) base = base.where('t.kind', '=', q.kind);
  if (q.categoryId) base = base.where('t.category_id', '=', q.categoryId);
  if (q.communityId) base = base.where('t.community_id', '=', q.communityId);
  if (q.urgency) base = base.where('t.urgency', '=', q.urgency);
  if (q.assigneeId) base = base.where('t.assignee_id', '=', q.assigneeId === 'me' ? ctx.actor.userId : q.assigneeId);
  if (q.clockState) {
    const states = q.clockState === 'overdue' ? ['overdue'] : ['atRisk'];
    base = base.where((eb) => eb.or(['respond_state', 'arrive_state', 'resolve_state', 'reply_state'].map((col) => eb(`t.${col}` as 't.respond_state', 'in', states as ['overdue']))));
  }
  if (q.q) base = base.where((eb) => eb.or([eb('t.no', 'like', contains(q.q)), eb('t.title', 'like', contains(q.q)), eb('t.reporter_name', 'like', contains(q.q))]));
  if (q.from) base = base.where('t.reported_at', '>=', sql<Date>`(${q.from}::date)::timestamp AT TIME ZONE c.time_zone`);
  if (q.to) base = base.where('t.reported_at', '<', sql<Date>`((${q.to}::date + 1)::timestamp) AT TIME ZONE c.time_zone`);
  const [rows, count] = await Promise.all([
    base.select(summarySelect).orderBy('t.reported_at', 'desc').orderBy('t.id').limit(q.pageSize).offset(offsetOf(q)).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const now = new Date();
  return { items: rows.map((r) => toSummary(r, ctx.lang, now)), total: count.n, page: q.page, pageSize: q.pageSize };
}

/** Tickets waiting in the grab pools of groups the caller belongs to. */
export async function listPool(deps: Pick<Deps, 'db'>, ctx: RequestContext) {
  requirePermission(ctx.actor, 'ticket.work');
  const rows = await summaryQuery(deps.db)
    .where('t.company_id', '=', companyOf(ctx.actor))
    .where('t.in_pool', '=', true)
    .where((eb) => eb.or([eb('t.group_id', 'is', null), eb.exists(eb.selectFrom('staff_group_members as m').select('m.user_id').whereRef('m.group_id', '=', 't.group_id').where('m.user_id', '=', ctx.actor.userId))]))
    .orderBy('t.reported_at')
    .limit(100)
    .execute();
  const now = new Date();
  return { items: rows.filter((r) => canSeeCommunity(ctx.actor, r.community_id)).map((r) => toSummary(r, ctx.lang, now)) };
}

/** The owner's own tickets, newest first. */
export async function listMyTickets(deps: Pick<Deps, 'db'>, ctx: RequestContext) {
  requirePermission(ctx.actor, 'owner.self');
  const rows = await summaryQuery(deps.db).where('t.company_id', '=', companyOf(ctx.actor)).where('t.reporter_user_id', '=', ctx.actor.userId).orderBy('t.reported_at', 'desc').limit(100).execute();
  return { items: rows.map((r) => toSummary(r, ctx.lang)) };
}

export async function getTicket(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string): Promise<Detail> {
  if (ctx.actor.kind === 'owner') requirePermission(ctx.actor, 'owner.self');
  else if (!can(ctx.actor, 'ticket.read') && !can(ctx.actor, 'ticket.approveMajor')) requirePermission(ctx.actor, 'ticket.read');
  const t = await loadTicketRow(deps.db, ctx, id);
  // A committee account without ticket.read sees only the repairs put to the committee.
  if (ctx.actor.kind !== 'owner' && !can(ctx.actor, 'ticket.read') && t.approval_status === 'notNeeded') throw new NotFoundError('ticket');
  const db = deps.db;
  const [row, events, attachments, materials, approvals, visit, policy] = await Promise.all([
    summaryQuery(db).where('t.id', '=', id).executeTakeFirstOrThrow(),
    db.selectFrom('ticket_events').selectAll().where('ticket_id', '=', id).orderBy('at').orderBy('seq').execute(),
    db.selectFrom('ticket_attachments').select(['file_id', 'stage']).where('ticket_id', '=', id).orderBy('created_at').execute(),
    db.selectFrom('ticket_materials').selectAll().where('ticket_id', '=', id).orderBy('created_at').execute(),
    db.selectFrom('ticket_approvals').selectAll().where('ticket_id', '=', id).orderBy('created_at').execute(),
    db.selectFrom('return_visits').selectAll().where('ticket_id', '=', id).executeTakeFirst(),
    t.policy_id ? db.selectFrom('sla_policies').select('note').where('id', '=', t.policy_id).executeTakeFirst() : Promise.resolve(undefined),
  ]);
  const owner = ctx.actor.kind === 'owner';
  const reporter = owner && t.reporter_user_id === ctx.actor.userId;
  // The technician on the job calls the reporter: the assignee sees the number in full, like the reporter.
  const fullPhone = reporter || (!owner && (can(ctx.actor, 'personal.viewFull') || t.assignee_id === ctx.actor.userId));
  return {
    ...toSummary(row, ctx.lang),
    description: t.description,
    repairSize: t.repair_size,
    roomId: t.room_id,
    buildingId: t.building_id,
    reporterName: t.reporter_name,
    reporterPhone: fullPhone ? t.reporter_phone : maskPhone(t.reporter_phone),
    groupId: t.group_id,
    acknowledgedAt: t.acknowledged_at?.toISOString() ?? null,
    pausedFrom: t.paused_from,
    beyondCalendar: t.beyond_calendar,
    policyNote: policy?.note ?? null,
    approvalStatus: t.approval_status,
    approvals: approvals.map((a) => ({ voterName: a.voter_name, decision: a.decision, note: a.note, at: a.created_at.toISOString() })),
    ratingTags: t.rating_tags,
    ratingComment: t.rating_comment,
    replyText: t.reply_text,
    chargeFen: t.charge_fen,
    cancelReason: t.cancel_reason,
    attachments: attachments.map((a) => ({ fileId: a.file_id, stage: a.stage, url: `/api/files/${a.file_id}` })),
    materials: materials.map((m) => ({ id: m.id, name: m.name, quantity: m.quantity, unit: m.unit, priceFen: m.price_fen })),
    returnVisit: visit
      ? {
          id: visit.id,
          status: visit.status,
          mandatory: visit.mandatory,
          reason: visit.reason,
          attempts: visit.attempts,
          satisfaction: visit.satisfaction,
          resolved: visit.resolved,
          note: owner ? null : visit.note,
          visitedAt: visit.visited_at?.toISOString() ?? null,
        }
      : null,
    timeline: events.map((e) => ({
      id: e.id,
      at: e.at.toISOString(),
      action: e.action,
      actorName: e.actor_name,
      fromStatus: e.from_status,
      toStatus: e.to_status,
      note: e.note,
      payload: e.payload,
    })),
    actions: allowedActions(ctx, t),
  };
}

/** Who can be given tickets of a community (active staff holding ticket.work there), for the dispatch dialogs. */
export async function listWorkers(deps: Pick<Deps, 'db'>, ctx: RequestContext, communityId?: string) {
  requirePermission(ctx.actor, 'ticket.read');
  const companyId = companyOf(ctx.actor);
  const communities = await deps.db.selectFrom('communities').select('id').where('company_id', '=', companyId).execute();
  const visible = communities.map((c) => c.id).filter((id) => canSeeCommunity(ctx.actor, id));
  if (communityId && !visible.includes(communityId)) throw new ValidationError('communityId', 'validation.unknownIds');
  const ids = new Set<string>();
  for (const c of communityId ? [communityId] : visible) for (const id of await staffWith(deps.db, companyId, c, 'ticket.work')) ids.add(id);
  if (!ids.size) return { items: [] };
  const rows = await deps.db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', [...ids]).orderBy('display_name').execute();
  return { items: rows.map((r) => ({ id: r.id, name: r.display_name })) };
}
