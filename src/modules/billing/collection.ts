import { sql } from 'kysely';
import type { Deps } from '../../deps.ts';
import { type Actor, type Db, type RequestContext, can, canSeeCommunity, communityScope, companyOf, requirePermission } from '../../core/context.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import { t } from '../../core/messages.ts';
import { offsetOf, type Page, type PageQuery } from '../../core/pagination.ts';
import { maskPhone } from '../../core/validation.ts';
import { roomLabel } from '../estate/repo.ts';
import { maskName } from '../residents/rules.ts';
import { localDate } from '../servicedesk/deadlines.ts';
import { notify, wake } from '../servicedesk/notify.ts';
import { sendSms } from '../sms/service.ts';
import { fenToYuan } from './payments/provider.ts';
import { type NoticeData, renderNotices } from './pdf.ts';
import { addDays } from './values.ts';
import {
  type Campaign,
  type CampaignDetail,
  type CampaignPreview,
  type Channel,
  type CollectionTask,
  type CreateCampaignInput,
  type Debtor,
  type DebtorFilter,
  MAX_NOTICES,
  type NoticesInput,
  type OutcomeInput,
  type TaskQuery,
} from './collection-schema.ts';

/**
 * 催缴: a campaign picks the rooms in arrears (open lines due before the day, by amount, age, building, zone or room),
 * snapshots what each owes, and reaches the owners by SMS and in-app message, by a printed 催缴通知书 and by a
 * collection task for the zone's staff. The texts are polite and say how to pay; they never threaten to cut water,
 * power, heating or gas, which a property company may not do over arrears (民法典 第944条).
 */

const BATCH = 500;
const DAY_MS = 86_400_000;

function requireCollect(actor: Actor) {
  if (!can(actor, 'billing.collect') && !can(actor, 'billing.manage')) throw new ForbiddenError('billing.collect');
}

const today = (timeZone: string) => localDate(new Date(), timeZone);

/** Whole days from `from` to `to` (business dates). */
export function daysBetween(from: string, to: string): number {
  const utc = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));
  return Math.round((utc(to) - utc(from)) / DAY_MS);
}

/** '2026-11' → 2026年11月, '2026-Q4' → 2026年第4季度, '2026-H2' → 2026年下半年, '2026' → 2026年. */
export function periodLabel(key: string): string {
  const m = /^(\d{4})(?:-(\d{2})|-Q([1-4])|-H([12]))?$/.exec(key);
  if (!m) return key;
  if (m[2]) return `${m[1]}年${Number(m[2])}月`;
  if (m[3]) return `${m[1]}年第${m[3]}季度`;
  if (m[4]) return `${m[1]}年${m[4] === '1' ? '上' : '下'}半年`;
  return `${m[1]}年`;
}

/** The filter to name when nothing matched: the narrowest one the caller gave. */
export function emptyFilterField(f: Pick<DebtorFilter, 'minOwedFen' | 'minOverdueDays' | 'roomIds' | 'zoneIds' | 'buildingIds'>): string {
  if (f.minOwedFen) return 'minOwedFen';
  if (f.minOverdueDays) return 'minOverdueDays';
  if (f.roomIds) return 'roomIds';
  if (f.zoneIds) return 'zoneIds';
  if (f.buildingIds) return 'buildingIds';
  return 'communityId';
}

// ───────────────────────────── reading arrears ─────────────────────────────

async function loadCommunity(db: Db, actor: Actor, companyId: string, communityId: string) {
  const row = await db.selectFrom('communities').select(['id', 'name', 'time_zone']).where('id', '=', communityId).where('company_id', '=', companyId).executeTakeFirst();
  if (!row || !canSeeCommunity(actor, communityId)) throw new ValidationError('communityId', 'validation.unknownIds');
  return row;
}

/** The ids of a filter must be of the community: 400 naming the list otherwise. */
async function checkFilterIds(db: Db, companyId: string, communityId: string, f: DebtorFilter) {
  const lists = [
    ['buildingIds', 'buildings', f.buildingIds],
    ['zoneIds', 'zones', f.zoneIds],
    ['roomIds', 'rooms', f.roomIds],
  ] as const;
  for (const [field, table, ids] of lists) {
    if (!ids) continue;
    const wanted = [...new Set(ids)];
    const found = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('company_id', '=', companyId)
      .where('community_id', '=', communityId)
      .where(sql<boolean>`id = ANY(${wanted}::uuid[])`)
      .executeTakeFirstOrThrow();
    if (Number(found.n) !== wanted.length) throw new ValidationError(field, 'validation.unknownIds');
  }
}

/** The day arrears are counted on: `asOf` (not after today) or today, in the community's time zone. */
function asOfDay(community: { time_zone: string }, asOf: string | undefined): string {
  const now = today(community.time_zone);
  if (asOf && asOf > now) throw new ValidationError('asOf', 'validation.future');
  return asOf ?? now;
}

interface DebtRow {
  room_id: string;
  community_id: string;
  building_id: string;
  zone_id: string | null;
  label: string;
  owed_fen: number;
  line_count: number;
  oldest_due_date: string;
}

/** Rooms owing on open lines due before `asOf`, with the total, the number of lines and the oldest due date. */
async function findDebtors(db: Db, companyId: string, communityId: string, asOf: string, f: DebtorFilter): Promise<DebtRow[]> {
  const owed = sql<number>`sum(l.amount_fen - l.paid_fen)::bigint`;
  const rows = await db
    .selectFrom('bill_lines as l')
    .innerJoin('rooms as r', 'r.id', 'l.room_id')
    .innerJoin('buildings as b', 'b.id', 'r.building_id')
    .leftJoin('building_units as u', 'u.id', 'r.unit_id')
    .where('l.company_id', '=', companyId)
    .where('l.community_id', '=', communityId)
    .where('l.status', 'in', ['unpaid', 'partial'])
    .where('l.due_date', '<', asOf)
    .$if(Boolean(f.buildingIds), (qb) => qb.where(sql<boolean>`r.building_id = ANY(${f.buildingIds}::uuid[])`))
    .$if(Boolean(f.zoneIds), (qb) => qb.where(sql<boolean>`b.zone_id = ANY(${f.zoneIds}::uuid[])`))
    .$if(Boolean(f.roomIds), (qb) => qb.where(sql<boolean>`l.room_id = ANY(${f.roomIds}::uuid[])`))
    .groupBy(['r.id', 'b.id', 'u.id'])
    .having(sql<boolean>`sum(l.amount_fen - l.paid_fen) > 0`)
    .$if(Boolean(f.minOwedFen), (qb) => qb.having(sql<boolean>`sum(l.amount_fen - l.paid_fen) >= ${f.minOwedFen}`))
    .$if(Boolean(f.minOverdueDays), (qb) => qb.having(sql<boolean>`min(l.due_date) <= ${addDays(asOf, -(f.minOverdueDays ?? 0))}::date`))
    .select(['r.id as room_id', 'r.community_id', 'b.id as building_id', 'b.zone_id', 'b.name as building_name', 'u.name as unit_name', 'r.number'])
    .select((eb) => [owed.as('owed_fen'), eb.fn.countAll<number>().as('line_count'), sql<string>`min(l.due_date)`.as('oldest_due_date')])
    .orderBy('b.sort_order')
    .orderBy('b.name')
    .orderBy(sql`u.sort_order NULLS FIRST`)
    .orderBy('r.floor')
    .orderBy('r.number')
    .execute();
  return rows.map((r) => ({ ...r, label: roomLabel(r.building_name, r.unit_name, r.number), owed_fen: Number(r.owed_fen), line_count: Number(r.line_count) }));
}

interface Owner {
  residentId: string;
  name: string;
  phone: string | null;
  userIds: string[];
}

/**
 * The current owners of rooms (链接 relation owner, not ended) and their owner accounts: an account is tied to its
 * resident by `users.resident_id`, or else by the same phone in the same company (as the owner pages resolve it).
 */
async function ownersOf(db: Db, companyId: string, roomIds: string[]): Promise<Map<string, Owner[]>> {
  const out = new Map<string, Owner[]>();
  if (!roomIds.length) return out;
  const links = await db
    .selectFrom('room_residents as l')
    .innerJoin('residents as p', 'p.id', 'l.resident_id')
    .select(['l.room_id', 'p.id', 'p.name', 'p.phone'])
    .where('l.company_id', '=', companyId)
    .where(sql<boolean>`l.room_id = ANY(${roomIds}::uuid[])`)
    .where('l.relation', '=', 'owner')
    .where('l.end_date', 'is', null)
    .orderBy('l.start_date')
    .orderBy('p.name')
    .execute();
  const residentIds = [...new Set(links.map((l) => l.id))];
  const accounts = residentIds.length
    ? await db
        .selectFrom('users as u')
        .innerJoin('residents as p', (j) => j.onRef('p.company_id', '=', 'u.company_id').on((eb) => eb.or([eb('p.id', '=', eb.ref('u.resident_id')), eb.and([eb('u.resident_id', 'is', null), eb('p.phone', '=', eb.ref('u.phone'))])])))
        .select(['u.id', 'p.id as resident_id'])
        .where('u.company_id', '=', companyId)
        .where('u.kind', '=', 'owner')
        .where('u.status', '=', 'active')
        .where(sql<boolean>`p.id = ANY(${residentIds}::uuid[])`)
        .execute()
    : [];
  for (const l of links) {
    const list = out.get(l.room_id) ?? [];
    list.push({ residentId: l.id, name: l.name, phone: l.phone, userIds: accounts.filter((a) => a.resident_id === l.id).map((a) => a.id) });
    out.set(l.room_id, list);
  }
  return out;
}

const ownerNames = (owners: Owner[] | undefined, full: boolean) => (owners?.length ? owners.map((o) => (full ? o.name : maskName(o.name))).join('、') : null);

/** What rooms owe today (lines due before today in each room's community, still open). */
async function owedToday(db: Db, companyId: string, rooms: Array<{ room_id: string; community_id: string }>): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const byCommunity = new Map<string, string[]>();
  for (const r of rooms) byCommunity.set(r.community_id, [...(byCommunity.get(r.community_id) ?? []), r.room_id]);
  if (!byCommunity.size) return out;
  const zones = await db.selectFrom('communities').select(['id', 'time_zone']).where('id', 'in', [...byCommunity.keys()]).execute();
  for (const c of zones) {
    const rows = await db
      .selectFrom('bill_lines as l')
      .select(['l.room_id', sql<number>`sum(l.amount_fen - l.paid_fen)::bigint`.as('owed')])
      .where('l.company_id', '=', companyId)
      .where('l.community_id', '=', c.id)
      .where(sql<boolean>`l.room_id = ANY(${[...new Set(byCommunity.get(c.id))]}::uuid[])`)
      .where('l.status', 'in', ['unpaid', 'partial'])
      .where('l.due_date', '<', today(c.time_zone))
      .groupBy('l.room_id')
      .execute();
    for (const r of rows) out.set(r.room_id!, Number(r.owed));
  }
  return out;
}

function toDebtor(d: DebtRow, owners: Owner[] | undefined, asOf: string, full: boolean): Debtor {
  return {
    roomId: d.room_id,
    roomLabel: d.label,
    buildingId: d.building_id,
    zoneId: d.zone_id,
    ownerName: ownerNames(owners, full),
    hasOwnerPhone: Boolean(owners?.some((o) => o.phone)),
    hasOwnerAccount: Boolean(owners?.some((o) => o.userIds.length)),
    owedFen: d.owed_fen,
    lineCount: d.line_count,
    oldestDueDate: d.oldest_due_date,
    overdueDays: daysBetween(d.oldest_due_date, asOf),
  };
}

/** The rooms a campaign with these filters would reach, without writing anything. */
export async function previewCampaign(deps: Pick<Deps, 'db'>, ctx: RequestContext, input: DebtorFilter): Promise<CampaignPreview> {
  requireCollect(ctx.actor);
  const companyId = companyOf(ctx.actor);
  const community = await loadCommunity(deps.db, ctx.actor, companyId, input.communityId);
  const asOf = asOfDay(community, input.asOf);
  await checkFilterIds(deps.db, companyId, community.id, input);
  const debts = await findDebtors(deps.db, companyId, community.id, asOf, input);
  const owners = await ownersOf(deps.db, companyId, debts.map((d) => d.room_id));
  const rooms = debts.map((d) => toDebtor(d, owners.get(d.room_id), asOf, can(ctx.actor, 'personal.viewFull')));
  return {
    communityId: community.id,
    asOf,
    roomCount: rooms.length,
    totalOwedFen: rooms.reduce((s, r) => s + r.owedFen, 0),
    withPhone: rooms.filter((r) => r.hasOwnerPhone).length,
    withAccount: rooms.filter((r) => r.hasOwnerAccount).length,
    rooms,
  };
}

// ───────────────────────────── campaigns ─────────────────────────────

/** Active staff who may collect in the community (billing.collect or billing.manage), or 400 naming `field`. */
async function assertCollector(db: Db, companyId: string, communityId: string, userId: string, field: string) {
  const row = await db
    .selectFrom('users as u')
    .innerJoin('user_roles as ur', 'ur.user_id', 'u.id')
    .innerJoin('roles as r', 'r.id', 'ur.role_id')
    .select('u.id')
    .where('u.id', '=', userId)
    .where('u.company_id', '=', companyId)
    .where('u.kind', '=', 'staff')
    .where('u.status', '=', 'active')
    .where(sql<boolean>`r.permissions && ARRAY['billing.collect', 'billing.manage']::text[]`)
    .where((eb) => eb.or([eb('u.all_communities', '=', true), eb.exists(eb.selectFrom('user_communities as uc').select('uc.user_id').whereRef('uc.user_id', '=', 'u.id').where('uc.community_id', '=', communityId))]))
    .executeTakeFirst();
  if (!row) throw new ValidationError(field, 'validation.notCollector');
}

function selectCampaigns(db: Db, companyId: string) {
  return db
    .selectFrom('reminder_campaigns as m')
    .innerJoin('communities as c', 'c.id', 'm.community_id')
    .leftJoin('users as u', 'u.id', 'm.created_by')
    .where('m.company_id', '=', companyId)
    .select(['m.id', 'm.company_id', 'm.community_id', 'c.name as community_name', 'm.title', 'm.channels', 'm.min_owed_fen', 'm.min_overdue_days', 'm.room_count', 'm.total_owed_fen', 'm.sms_count', 'm.in_app_count', 'm.task_count', 'u.display_name', 'm.created_at']);
}
type CampaignRow = Awaited<ReturnType<ReturnType<typeof selectCampaigns>['executeTakeFirstOrThrow']>>;

function toCampaign(r: CampaignRow): Campaign {
  return {
    id: r.id,
    communityId: r.community_id,
    communityName: r.community_name,
    title: r.title,
    channels: r.channels as Channel[],
    minOwedFen: Number(r.min_owed_fen),
    minOverdueDays: r.min_overdue_days,
    roomCount: r.room_count,
    totalOwedFen: Number(r.total_owed_fen),
    smsCount: r.sms_count,
    inAppCount: r.in_app_count,
    taskCount: r.task_count,
    createdBy: r.display_name,
    createdAt: r.created_at.toISOString(),
  };
}

async function loadCampaign(db: Db, ctx: RequestContext, id: string): Promise<CampaignRow> {
  const row = await selectCampaigns(db, companyOf(ctx.actor)).where('m.id', '=', id).executeTakeFirst();
  if (!row || !canSeeCommunity(ctx.actor, row.community_id)) throw new NotFoundError('reminderCampaign');
  return row;
}

export async function listCampaigns(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: PageQuery & { communityId?: string }): Promise<Page<Campaign>> {
  requireCollect(ctx.actor);
  const scope = communityScope(ctx.actor);
  const base = selectCampaigns(deps.db, companyOf(ctx.actor))
    .$if(scope !== null, (qb) => qb.where('m.community_id', 'in', scope!))
    .$if(Boolean(q.communityId), (qb) => qb.where('m.community_id', '=', q.communityId!));
  const [rows, count] = await Promise.all([
    base.orderBy('m.created_at', 'desc').orderBy('m.id').limit(q.pageSize).offset(offsetOf(q)).execute(),
    base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toCampaign), total: Number(count.n), page: q.page, pageSize: q.pageSize };
}

/** A campaign with its recipients: the snapshot, and what each room owes today and has paid since. */
export async function getCampaign(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string): Promise<CampaignDetail> {
  requireCollect(ctx.actor);
  const campaign = await loadCampaign(deps.db, ctx, id);
  const rows = await deps.db
    .selectFrom('reminder_recipients as x')
    .innerJoin('rooms as r', 'r.id', 'x.room_id')
    .innerJoin('buildings as b', 'b.id', 'r.building_id')
    .leftJoin('building_units as u', 'u.id', 'r.unit_id')
    .leftJoin('collection_tasks as k', (j) => j.onRef('k.campaign_id', '=', 'x.campaign_id').onRef('k.room_id', '=', 'x.room_id'))
    .select(['x.room_id', 'r.community_id', 'b.name as building_name', 'u.name as unit_name', 'r.number', 'x.owed_fen', 'x.line_count', 'x.oldest_due_date', 'x.sms_sent', 'x.in_app_sent', 'k.id as task_id', 'k.status as task_status', 'k.outcome'])
    .where('x.campaign_id', '=', id)
    .where('x.company_id', '=', campaign.company_id)
    .orderBy('b.sort_order')
    .orderBy('b.name')
    .orderBy(sql`u.sort_order NULLS FIRST`)
    .orderBy('r.floor')
    .orderBy('r.number')
    .execute();
  const roomIds = rows.map((r) => r.room_id);
  const [owners, owed, paid] = await Promise.all([
    ownersOf(deps.db, campaign.company_id, roomIds),
    owedToday(deps.db, campaign.company_id, rows),
    roomIds.length
      ? deps.db
          .selectFrom('payment_allocations as a')
          .innerJoin('bill_lines as l', 'l.id', 'a.bill_line_id')
          .select(['l.room_id', sql<number>`sum(a.amount_fen)::bigint`.as('paid')])
          .where('a.company_id', '=', campaign.company_id)
          .where(sql<boolean>`l.room_id = ANY(${roomIds}::uuid[])`)
          .where('a.created_at', '>=', campaign.created_at)
          .groupBy('l.room_id')
          .execute()
      : [],
  ]);
  const paidByRoom = new Map(paid.map((p) => [p.room_id!, Number(p.paid)]));
  const full = can(ctx.actor, 'personal.viewFull');
  return {
    ...toCampaign(campaign),
    recipients: rows.map((r) => ({
      roomId: r.room_id,
      roomLabel: roomLabel(r.building_name, r.unit_name, r.number),
      ownerName: ownerNames(owners.get(r.room_id), full),
      owedFen: Number(r.owed_fen),
      lineCount: r.line_count,
      oldestDueDate: r.oldest_due_date,
      smsSent: r.sms_sent,
      inAppSent: r.in_app_sent,
      currentOwedFen: owed.get(r.room_id) ?? 0,
      paidSinceFen: paidByRoom.get(r.room_id) ?? 0,
      taskId: r.task_id,
      taskStatus: r.task_status,
      taskOutcome: r.outcome,
    })),
  };
}

/** The reminder's wording (SMS and in-app): polite, names the community, room and amount, says how to pay. */
function reminderParams(company: { contact_phone: string | null }, communityName: string, room: string, owedFen: number, asOf: string) {
  return { community: communityName, room, amount: fenToYuan(owedFen), asOf, phone: company.contact_phone ?? '' };
}

interface SmsToSend {
  roomId: string;
  phone: string;
  params: Record<string, string>;
}

/**
 * Creates a campaign: its recipients (a snapshot of what each owes), an in-app message to each owner account and a
 * collection task per room in one transaction with the audit row; the SMS go out after the commit. The same
 * idempotency key again returns the campaign made the first time and sends nothing.
 */
export async function createCampaign(deps: Pick<Deps, 'db' | 'sms' | 'log'>, ctx: RequestContext, input: CreateCampaignInput): Promise<{ campaign: Campaign; created: boolean }> {
  requireCollect(ctx.actor);
  const companyId = companyOf(ctx.actor);
  const replay = async () => {
    const row = await selectCampaigns(deps.db, companyId).where('m.idempotency_key', '=', input.idempotencyKey).executeTakeFirst();
    if (!row) return null;
    if (!canSeeCommunity(ctx.actor, row.community_id)) throw new ConflictError('conflict.campaignKey');
    return toCampaign(row);
  };
  const earlier = await replay();
  if (earlier) return { campaign: earlier, created: false };

  const community = await loadCommunity(deps.db, ctx.actor, companyId, input.communityId);
  const asOf = asOfDay(community, input.asOf);
  await checkFilterIds(deps.db, companyId, community.id, input);
  if (input.assigneeId) await assertCollector(deps.db, companyId, community.id, input.assigneeId, 'assigneeId');
  const channels = new Set(input.channels);
  const debts = await findDebtors(deps.db, companyId, community.id, asOf, input);
  if (!debts.length) throw new ValidationError(emptyFilterField(input), 'validation.noDebtors', { asOf });

  const company = await deps.db.selectFrom('companies').select(['name', 'contact_phone']).where('id', '=', companyId).executeTakeFirstOrThrow();
  const owners = await ownersOf(deps.db, companyId, debts.map((d) => d.room_id));
  const zoneIds = [...new Set(debts.map((d) => d.zone_id).filter((z): z is string => z !== null))];
  // A zone's responsible person takes its tasks when no assignee is given, while their account is active.
  const zoneHeads = new Map<string, string | null>();
  if (channels.has('task') && !input.assigneeId && zoneIds.length) {
    const zones = await deps.db
      .selectFrom('zones as z')
      .leftJoin('users as u', (j) => j.onRef('u.id', '=', 'z.responsible_user_id').on('u.status', '=', 'active'))
      .select(['z.id', 'u.id as user_id'])
      .where('z.company_id', '=', companyId)
      .where('z.id', 'in', zoneIds)
      .execute();
    for (const z of zones) zoneHeads.set(z.id, z.user_id);
  }

  const sms: SmsToSend[] = [];
  const inApp = new Map<string, string[]>();
  for (const d of debts) {
    const roomOwners = owners.get(d.room_id) ?? [];
    const params = reminderParams(company, community.name, d.label, d.owed_fen, asOf);
    if (channels.has('sms')) for (const phone of new Set(roomOwners.map((o) => o.phone).filter((p): p is string => Boolean(p)))) sms.push({ roomId: d.room_id, phone, params });
    if (channels.has('inApp')) {
      const users = [...new Set(roomOwners.flatMap((o) => o.userIds))];
      if (users.length) inApp.set(d.room_id, users);
    }
  }
  const smsRooms = new Set(sms.map((s) => s.roomId));
  const totalOwedFen = debts.reduce((s, d) => s + d.owed_fen, 0);
  // A room that already has an open collection task (from an earlier campaign) keeps that one: no second visit.
  const openTasks = channels.has('task')
    ? new Set(
        (
          await deps.db
            .selectFrom('collection_tasks')
            .select('room_id')
            .where('company_id', '=', companyId)
            .where('status', '=', 'open')
            .where('room_id', 'in', debts.map((d) => d.room_id))
            .execute()
        ).map((r) => r.room_id),
      )
    : new Set<string>();
  const taskDebts = channels.has('task') ? debts.filter((d) => !openTasks.has(d.room_id)) : [];
  const counts = { room_count: debts.length, total_owed_fen: totalOwedFen, sms_count: sms.length, in_app_count: [...inApp.values()].reduce((s, u) => s + u.length, 0), task_count: taskDebts.length };

  const result = await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('reminder_campaigns')
      .values({ company_id: companyId, community_id: community.id, title: input.title, channels: [...channels], min_owed_fen: input.minOwedFen ?? 0, min_overdue_days: input.minOverdueDays ?? 0, idempotency_key: input.idempotencyKey, created_by: ctx.actor.userId, ...counts })
      .onConflict((oc) => oc.columns(['company_id', 'idempotency_key']).doNothing())
      .returning('id')
      .executeTakeFirst();
    // Another request with the same key committed first: it did the sending.
    if (!row) return null;
    for (let i = 0; i < debts.length; i += BATCH) {
      await trx
        .insertInto('reminder_recipients')
        .values(debts.slice(i, i + BATCH).map((d) => ({ campaign_id: row.id, room_id: d.room_id, company_id: companyId, owed_fen: d.owed_fen, line_count: d.line_count, oldest_due_date: d.oldest_due_date, sms_sent: false, in_app_sent: inApp.has(d.room_id) })))
        .execute();
    }
    const woken: string[] = [];
    for (const d of debts) {
      const users = inApp.get(d.room_id);
      if (!users) continue;
      const params = reminderParams(company, community.name, d.label, d.owed_fen, asOf);
      const body = t('zh-CN', company.contact_phone ? 'collection.reminderBody' : 'collection.reminderBodyNoPhone', params);
      woken.push(...(await notify(trx, companyId, { userIds: users, ticketId: null, kind: 'arrearsReminder', title: t('zh-CN', 'collection.reminderTitle', params), body })));
    }
    if (taskDebts.length) {
      for (let i = 0; i < taskDebts.length; i += BATCH) {
        await trx
          .insertInto('collection_tasks')
          .values(taskDebts.slice(i, i + BATCH).map((d) => ({ company_id: companyId, community_id: community.id, campaign_id: row.id, room_id: d.room_id, assignee_id: input.assigneeId ?? (d.zone_id ? (zoneHeads.get(d.zone_id) ?? null) : null), owed_fen: d.owed_fen })))
          .execute();
      }
    }
    await writeAudit(trx, ctx, {
      action: 'reminderCampaign.create',
      entityType: 'reminderCampaign',
      entityId: row.id,
      after: {
        communityId: community.id,
        title: input.title,
        channels: [...channels],
        asOf,
        filters: { minOwedFen: input.minOwedFen ?? null, minOverdueDays: input.minOverdueDays ?? null, buildingIds: input.buildingIds ?? null, zoneIds: input.zoneIds ?? null, roomIds: input.roomIds ?? null },
        assigneeId: input.assigneeId ?? null,
        roomCount: counts.room_count,
        totalOwedFen,
        smsCount: counts.sms_count,
        inAppCount: counts.in_app_count,
        taskCount: counts.task_count,
      },
    });
    return { id: row.id, woken };
  });
  if (!result) return { campaign: (await replay())!, created: false };
  wake(result.woken);

  // SMS leave after the commit, each recorded in the outbox first (as the service desk sends them).
  const sent = new Set<string>();
  for (const s of sms) {
    try {
      await sendSms(deps, { companyId, phone: s.phone, template: s.params.phone ? 'collection.reminderSms' : 'collection.reminderSmsNoPhone', params: s.params, lang: 'zh-CN' });
      sent.add(s.roomId);
    } catch (err) {
      deps.log.warn({ err, campaignId: result.id }, 'reminder sms failed');
    }
  }
  const sentRooms = [...smsRooms].filter((r) => sent.has(r));
  if (sentRooms.length) await deps.db.updateTable('reminder_recipients').set({ sms_sent: true }).where('campaign_id', '=', result.id).where(sql<boolean>`room_id = ANY(${sentRooms}::uuid[])`).execute();
  return { campaign: toCampaign(await loadCampaign(deps.db, ctx, result.id)), created: true };
}

// ───────────────────────────── printed notices ─────────────────────────────

/** One 催缴通知书 per room, listing its open lines due before `asOf`, owner names in full (the notice goes to them). */
async function buildNotices(db: Db, companyId: string, community: { id: string; name: string }, rooms: Array<{ room_id: string; label: string }>, asOf: string, payBy: string | null): Promise<NoticeData[]> {
  const roomIds = rooms.map((r) => r.room_id);
  const [company, owners, lines] = await Promise.all([
    db.selectFrom('companies').select(['name', 'contact_phone']).where('id', '=', companyId).executeTakeFirstOrThrow(),
    ownersOf(db, companyId, roomIds),
    db
      .selectFrom('bill_lines as l')
      .innerJoin('fee_items as i', 'i.id', 'l.item_id')
      .select(['l.room_id', 'i.name', 'l.period_key', 'l.due_date', sql<number>`(l.amount_fen - l.paid_fen)`.as('owed')])
      .where('l.company_id', '=', companyId)
      .where('l.community_id', '=', community.id)
      .where(sql<boolean>`l.room_id = ANY(${roomIds}::uuid[])`)
      .where('l.status', 'in', ['unpaid', 'partial'])
      .where('l.due_date', '<', asOf)
      .orderBy('l.due_date')
      .orderBy('l.period_start')
      .orderBy('i.name')
      .execute(),
  ]);
  const byRoom = new Map<string, typeof lines>();
  for (const l of lines) byRoom.set(l.room_id!, [...(byRoom.get(l.room_id!) ?? []), l]);
  return rooms
    .filter((r) => byRoom.has(r.room_id))
    .map((r) => {
      const own = byRoom.get(r.room_id)!.map((l) => ({ itemName: l.name, periodLabel: periodLabel(l.period_key), dueDate: l.due_date, owedFen: Number(l.owed) }));
      return {
        companyName: company.name,
        companyPhone: company.contact_phone,
        communityName: community.name,
        roomLabel: r.label,
        ownerName: ownerNames(owners.get(r.room_id), true),
        asOf,
        lines: own,
        totalFen: own.reduce((s, l) => s + l.owedFen, 0),
        payBy,
      };
    });
}

async function printNotices(deps: Pick<Deps, 'db'>, ctx: RequestContext, notices: NoticeData[], audit: { action: string; entityType: string; entityId: string; after: Record<string, unknown> }): Promise<Buffer> {
  const pdf = await renderNotices(notices, { title: '催缴通知书' });
  // Printed notices carry owners' names in full: who printed which batch is recorded.
  await deps.db.transaction().execute((trx) => writeAudit(trx, ctx, { ...audit, after: { ...audit.after, notices: notices.length, totalFen: notices.reduce((s, n) => s + n.totalFen, 0) } }));
  return pdf;
}

/** The notices of a campaign's rooms that still owe today (optionally one building), as one PDF. */
export async function campaignNotices(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string, q: { buildingId?: string; payBy?: string }): Promise<Buffer> {
  requireCollect(ctx.actor);
  const campaign = await loadCampaign(deps.db, ctx, id);
  const community = await deps.db.selectFrom('communities').select(['id', 'name', 'time_zone']).where('id', '=', campaign.community_id).executeTakeFirstOrThrow();
  const rooms = await deps.db
    .selectFrom('reminder_recipients as x')
    .innerJoin('rooms as r', 'r.id', 'x.room_id')
    .innerJoin('buildings as b', 'b.id', 'r.building_id')
    .leftJoin('building_units as u', 'u.id', 'r.unit_id')
    .select(['x.room_id', 'b.name as building_name', 'u.name as unit_name', 'r.number'])
    .where('x.campaign_id', '=', id)
    .where('x.company_id', '=', campaign.company_id)
    .$if(Boolean(q.buildingId), (qb) => qb.where('r.building_id', '=', q.buildingId!))
    .orderBy('b.sort_order')
    .orderBy('b.name')
    .orderBy(sql`u.sort_order NULLS FIRST`)
    .orderBy('r.floor')
    .orderBy('r.number')
    .execute();
  if (q.buildingId && !rooms.length) throw new ValidationError('buildingId', 'validation.unknownIds');
  if (rooms.length > MAX_NOTICES) throw new ValidationError('buildingId', 'validation.tooManyNotices', { max: MAX_NOTICES, count: rooms.length });
  const asOf = today(community.time_zone);
  const notices = await buildNotices(deps.db, campaign.company_id, community, rooms.map((r) => ({ room_id: r.room_id, label: roomLabel(r.building_name, r.unit_name, r.number) })), asOf, q.payBy ?? null);
  if (!notices.length) throw new ConflictError('conflict.nothingOwed');
  return printNotices(deps, ctx, notices, { action: 'reminderCampaign.print', entityType: 'reminderCampaign', entityId: id, after: { buildingId: q.buildingId ?? null, asOf } });
}

/** Notices for the rooms in arrears chosen by room ids or by the campaign filters, as one PDF (at most MAX_NOTICES). */
export async function arrearsNotices(deps: Pick<Deps, 'db'>, ctx: RequestContext, input: NoticesInput): Promise<Buffer> {
  requireCollect(ctx.actor);
  const companyId = companyOf(ctx.actor);
  const community = await loadCommunity(deps.db, ctx.actor, companyId, input.communityId);
  const asOf = asOfDay(community, input.asOf);
  await checkFilterIds(deps.db, companyId, community.id, input);
  const debts = await findDebtors(deps.db, companyId, community.id, asOf, input);
  if (!debts.length) throw new ValidationError(emptyFilterField(input), 'validation.noDebtors', { asOf });
  if (debts.length > MAX_NOTICES) throw new ValidationError(input.roomIds ? 'roomIds' : 'buildingIds', 'validation.tooManyNotices', { max: MAX_NOTICES, count: debts.length });
  const notices = await buildNotices(deps.db, companyId, community, debts, asOf, input.payBy ?? null);
  return printNotices(deps, ctx, notices, {
    action: 'arrearsNotice.print',
    entityType: 'community',
    entityId: community.id,
    after: { asOf, filters: { minOwedFen: input.minOwedFen ?? null, minOverdueDays: input.minOverdueDays ?? null, buildingIds: input.buildingIds ?? null, zoneIds: input.zoneIds ?? null, roomIds: input.roomIds ?? null } },
  });
}

// ───────────────────────────── collection tasks ─────────────────────────────

function selectTasks(db: Db, companyId: string) {
  return db
    .selectFrom('collection_tasks as k')
    .innerJoin('communities as c', 'c.id', 'k.community_id')
    .innerJoin('rooms as r', 'r.id', 'k.room_id')
    .innerJoin('buildings as b', 'b.id', 'r.building_id')
    .leftJoin('building_units as u', 'u.id', 'r.unit_id')
    .leftJoin('reminder_campaigns as m', 'm.id', 'k.campaign_id')
    .leftJoin('users as a', 'a.id', 'k.assignee_id')
    .leftJoin('users as d', 'd.id', 'k.done_by')
    .where('k.company_id', '=', companyId)
    .select([
      'k.id',
      'k.company_id',
      'k.community_id',
      'c.name as community_name',
      'c.time_zone',
      'k.campaign_id',
      'm.title as campaign_title',
      'k.room_id',
      'b.name as building_name',
      'u.name as unit_name',
      'r.number',
      'k.assignee_id',
      'a.display_name as assignee_name',
      'k.owed_fen',
      'k.status',
      'k.outcome',
      'k.promised_date',
      'k.note',
      'd.display_name as done_by_name',
      'k.done_at',
      'k.created_at',
    ]);
}
type TaskRow = Awaited<ReturnType<ReturnType<typeof selectTasks>['executeTakeFirstOrThrow']>>;

/** Tasks with the room's owners and what it owes today; names and phones in full for the assignee or personal.viewFull. */
async function toTasks(db: Db, ctx: RequestContext, rows: TaskRow[]): Promise<CollectionTask[]> {
  if (!rows.length) return [];
  const companyId = companyOf(ctx.actor);
  const [owners, owed] = await Promise.all([ownersOf(db, companyId, [...new Set(rows.map((r) => r.room_id))]), owedToday(db, companyId, rows)]);
  return rows.map((r) => {
    const full = can(ctx.actor, 'personal.viewFull') || r.assignee_id === ctx.actor.userId;
    const roomOwners = owners.get(r.room_id);
    const phone = roomOwners?.find((o) => o.phone)?.phone ?? null;
    return {
      id: r.id,
      communityId: r.community_id,
      communityName: r.community_name,
      campaignId: r.campaign_id,
      campaignTitle: r.campaign_title,
      roomId: r.room_id,
      roomLabel: roomLabel(r.building_name, r.unit_name, r.number),
      ownerName: ownerNames(roomOwners, full),
      ownerPhone: full ? phone : maskPhone(phone),
      assigneeId: r.assignee_id,
      assigneeName: r.assignee_name,
      owedFen: Number(r.owed_fen),
      currentOwedFen: owed.get(r.room_id) ?? 0,
      status: r.status,
      outcome: r.outcome,
      promisedDate: r.promised_date,
      note: r.note,
      doneBy: r.done_by_name,
      doneAt: r.done_at?.toISOString() ?? null,
      createdAt: r.created_at.toISOString(),
    };
  });
}

/** Collectors see their own tasks; billing.manage sees every task of their communities. */
export async function listTasks(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: TaskQuery): Promise<Page<CollectionTask>> {
  requireCollect(ctx.actor);
  const scope = communityScope(ctx.actor);
  const mine = q.mine === 'true' || !can(ctx.actor, 'billing.manage');
  const base = selectTasks(deps.db, companyOf(ctx.actor))
    .$if(scope !== null, (qb) => qb.where('k.community_id', 'in', scope!))
    .$if(mine, (qb) => qb.where('k.assignee_id', '=', ctx.actor.userId))
    .$if(Boolean(q.communityId), (qb) => qb.where('k.community_id', '=', q.communityId!))
    .$if(Boolean(q.assigneeId), (qb) => qb.where('k.assignee_id', '=', q.assigneeId!))
    .$if(Boolean(q.status), (qb) => qb.where('k.status', '=', q.status!));
  const [rows, count] = await Promise.all([
    base.orderBy('k.status', 'desc').orderBy('k.created_at', 'desc').orderBy('b.sort_order').orderBy('b.name').orderBy('r.floor').orderBy('r.number').orderBy('k.id').limit(q.pageSize).offset(offsetOf(q)).execute(),
    base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: await toTasks(deps.db, ctx, rows), total: Number(count.n), page: q.page, pageSize: q.pageSize };
}

/** A task the caller may work on: of their company and communities, and their own unless they hold billing.manage. */
async function loadTask(db: Db, ctx: RequestContext, id: string): Promise<TaskRow> {
  const row = await selectTasks(db, companyOf(ctx.actor)).where('k.id', '=', id).executeTakeFirst();
  if (!row || !canSeeCommunity(ctx.actor, row.community_id)) throw new NotFoundError('collectionTask');
  if (!can(ctx.actor, 'billing.manage') && row.assignee_id !== ctx.actor.userId) throw new NotFoundError('collectionTask');
  return row;
}

async function getTask(db: Db, ctx: RequestContext, id: string): Promise<CollectionTask> {
  const [task] = await toTasks(db, ctx, [await selectTasks(db, companyOf(ctx.actor)).where('k.id', '=', id).executeTakeFirstOrThrow()]);
  return task;
}

/** Records how a visit or call went and closes the task; a closed task cannot be closed again (409). */
export async function recordOutcome(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string, input: OutcomeInput): Promise<CollectionTask> {
  requireCollect(ctx.actor);
  const task = await loadTask(deps.db, ctx, id);
  if (input.outcome === 'promised') {
    if (!input.promisedDate) throw new ValidationError('promisedDate', 'validation.required');
    if (input.promisedDate < today(task.time_zone)) throw new ValidationError('promisedDate', 'validation.promisedPast');
  } else if (input.promisedDate) throw new ValidationError('promisedDate', 'validation.promisedOnly');
  await deps.db.transaction().execute(async (trx) => {
    const done = await trx
      .updateTable('collection_tasks')
      .set({ status: 'done', outcome: input.outcome, promised_date: input.promisedDate ?? null, note: input.note, done_by: ctx.actor.userId, done_at: new Date() })
      .where('id', '=', id)
      .where('company_id', '=', task.company_id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw new ConflictError('conflict.taskDone');
    await writeAudit(trx, ctx, { action: 'collectionTask.outcome', entityType: 'collectionTask', entityId: id, before: { status: 'open' }, after: { status: 'done', outcome: input.outcome, promisedDate: input.promisedDate ?? null, note: input.note } });
  });
  return getTask(deps.db, ctx, id);
}

/** Gives an open task to another collector of its community (billing.manage). */
export async function assignTask(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string, input: { assigneeId: string }): Promise<CollectionTask> {
  requirePermission(ctx.actor, 'billing.manage');
  const task = await loadTask(deps.db, ctx, id);
  await assertCollector(deps.db, task.company_id, task.community_id, input.assigneeId, 'assigneeId');
  await deps.db.transaction().execute(async (trx) => {
    const moved = await trx.updateTable('collection_tasks').set({ assignee_id: input.assigneeId }).where('id', '=', id).where('company_id', '=', task.company_id).where('status', '=', 'open').executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) throw new ConflictError('conflict.taskDone');
    await writeAudit(trx, ctx, { action: 'collectionTask.assign', entityType: 'collectionTask', entityId: id, before: { assigneeId: task.assignee_id }, after: { assigneeId: input.assigneeId } });
  });
  return getTask(deps.db, ctx, id);
}
