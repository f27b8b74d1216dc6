import ExcelJS from 'exceljs';
import { sql, type RawBuilder } from 'kysely';
import type { Deps } from '../../deps.ts';
import { type Db, type RequestContext, can, canSeeCommunity, communityScope, companyOf, requirePermission } from '../../core/context.ts';
import { NotFoundError, ValidationError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import type { Lang } from '../../core/messages.ts';
import { offsetOf, type Page } from '../../core/pagination.ts';
import { localDate } from '../servicedesk/deadlines.ts';
import type { Report } from '../servicedesk/reports.ts';
import { assertCommunity, roomLabel } from '../estate/repo.ts';
import { maskName } from '../residents/rules.ts';
import { AGING_BUCKETS, type Buckets, addBuckets, bucketDueRange, collectionRate, daysOverdue, emptyBuckets, meetsQuota, monthRangeDays, monthsBetween } from './aging.ts';
import { compareDecimal, decimalOf, type DecimalRule } from './values.ts';
import type {
  ArrearsGroup,
  ArrearsRoom,
  ArrearsRoomQuery,
  ArrearsSummary,
  ArrearsSummaryQuery,
  CollectionRateQuery,
  CollectionRateResult,
  CollectionRateRow,
  DebtorQuery,
  GroupKind,
  PutQuotaInput,
  Quota,
  QuotaQuery,
} from './arrears-schema.ts';

/**
 * 欠费 and 收缴率. A bill line is open while unpaid or partly paid, and in arrears once open and due before `asOf`
 * (today in the community's zone unless given). Every figure is aggregated in SQL from a covering partial index of
 * migration 0013 — bill_lines_arrears_idx for arrears, bill_lines_rate_idx for the rate — read a community (or a
 * building) at a time by index-only scans; lines are added up per building (per room for the room lists) and the
 * buildings rolled up to the group (community, building, zone or collector) with their names.
 * bench/billing-arrears.ts times them on 100,000 rooms and 2.4M lines (aim: p95 ≤ 200 ms company-wide).
 */

const DEFAULT_ZONE = 'Asia/Shanghai';
/** A longer collection-rate range is a different question (and a scan of many years of lines). */
const MAX_MONTHS = 60;
/** At most this many queries glued in one UNION ALL (see communitySlices). */
const MAX_SLICES = 24;

// Constant conditions are written into the SQL, not bound, so the planner matches the partial indexes.
const OPEN = sql.raw(`l.status IN ('unpaid', 'partial')`);
const LIVE = sql.raw(`l.status <> 'revoked'`);
const OWED = sql.raw('(l.amount_fen - l.paid_fen)');
const BUCKET_KEYS = AGING_BUCKETS.map((b) => b.key);

type Label = Record<Lang, string>;
const L = (zh: string, en: string): Label => ({ 'zh-CN': zh, en });
const GROUP_NAMES = { parking: L('车位', 'Parking spaces'), noZone: L('未分区', 'No zone'), noCollector: L('未分配', 'Unassigned') };

interface Scope {
  companyId: string;
  lang: Lang;
  asOf: string;
  /** The communities counted, in the company's order: all the caller may see, or the one asked for. */
  communities: ReadonlyArray<{ id: string; name: string }>;
  /** True when those are all of the company's communities, so no community filter is needed. */
  wholeCompany: boolean;
}

/** The caller's communities (or the one asked for: 404 when not theirs) and the day counted on. */
async function scopeOf(db: Db, ctx: RequestContext, q: { communityId?: string; asOf?: string }): Promise<Scope> {
  requirePermission(ctx.actor, 'billing.read');
  const companyId = companyOf(ctx.actor);
  const scope = communityScope(ctx.actor);
  const all = await db.selectFrom('communities').select(['id', 'name', 'time_zone']).where('company_id', '=', companyId).orderBy('code').orderBy('name').execute();
  let communities = all.filter((c) => scope === null || scope.includes(c.id));
  if (q.communityId) {
    communities = communities.filter((c) => c.id === q.communityId);
    if (!communities.length) throw new NotFoundError('community');
  }
  // Communities share a zone in practice; when they do not, today is counted in China's.
  const zones = new Set(communities.map((c) => c.time_zone));
  const zone = zones.size === 1 ? [...zones][0] : DEFAULT_ZONE;
  return {
    companyId,
    lang: ctx.lang,
    asOf: q.asOf ?? localDate(new Date(), zone),
    communities: communities.map((c) => ({ id: c.id, name: c.name })),
    wholeCompany: communities.length === all.length,
  };
}

function inCommunities(s: Scope): RawBuilder<boolean> {
  if (s.wholeCompany) return sql<boolean>`true`;
  if (!s.communities.length) return sql<boolean>`false`;
  return sql<boolean>`l.community_id IN (${sql.join(s.communities.map((c) => c.id))})`;
}

/**
 * The scope's communities one at a time, each a condition on `column`: the indexes of migration 0013 hold a
 * community's lines as one range. A company-wide figure is the UNION ALL of one query per community, which
 * PostgreSQL can hand to parallel workers (Parallel Append); one query over the company would run on one core.
 */
function communitySlices(s: Scope, column = sql.ref('l.community_id')): RawBuilder<boolean>[] {
  if (!s.communities.length) return [sql<boolean>`false`];
  // A company of hundreds of communities gets as many slices of several communities each, for a plan of bounded size.
  const per = Math.ceil(s.communities.length / MAX_SLICES);
  const slices: RawBuilder<boolean>[] = [];
  for (let i = 0; i < s.communities.length; i += per) {
    const ids = s.communities.slice(i, i + per).map((c) => c.id);
    slices.push(ids.length === 1 ? sql<boolean>`${column} = ${ids[0]}` : sql<boolean>`${column} IN (${sql.join(ids)})`);
  }
  return slices;
}

const unionOf = (parts: RawBuilder<unknown>[]) =>
  sql.join(
    parts.map((part) => sql`(${part})`),
    sql` UNION ALL `,
  );

/** The scope cut to one community (of a building or zone asked for); none when it is not among the scope's. */
function narrowTo(s: Scope, communityId: string): Scope {
  return { ...s, communities: s.communities.filter((c) => c.id === communityId), wholeCompany: false };
}

/**
 * Runs `query` for the scope's communities in two halves at once on PostgreSQL — two connections, two cores — and
 * concatenates the results: used where the planner does not hand the work to parallel workers (a ranked
 * aggregate, a loop over buildings). PGlite has one connection: one run.
 */
async function inHalves<T>(deps: Pick<Deps, 'dbKind'>, s: Scope, query: (part: Scope) => Promise<T[]>): Promise<T[]> {
  if (deps.dbKind !== 'postgres' || s.communities.length < 2) return query(s);
  const half = Math.ceil(s.communities.length / 2);
  const parts = [s.communities.slice(0, half), s.communities.slice(half)].map((communities) => ({ ...s, communities, wholeCompany: false }));
  return (await Promise.all(parts.map(query))).flat();
}

/** Lines `l` of the company in arrears on `asOf` (the caller adds the communities). */
function inArrears(s: Scope): RawBuilder<boolean> {
  return sql<boolean>`l.company_id = ${s.companyId} AND ${OPEN} AND l.due_date < ${s.asOf}::date`;
}

/** Owed 分 per aging bucket, one FILTER per bucket of the table in aging.ts. */
function bucketSums(asOf: string): RawBuilder<unknown> {
  return sql.join(
    AGING_BUCKETS.map((b) => {
      const r = bucketDueRange(b.key, asOf);
      const due = r.from === null ? sql`l.due_date <= ${r.to}::date` : sql`l.due_date BETWEEN ${r.from}::date AND ${r.to}::date`;
      return sql`COALESCE(sum(${OWED}) FILTER (WHERE ${due}), 0)::bigint AS ${sql.ref(b.key)}`;
    }),
  );
}

const sums = (columns: string[]) => sql.raw(columns.map((c) => `sum(pb.${c})::bigint AS ${c}`).join(', '));

type GroupBy = 'community' | 'building' | 'zone' | 'collector';

interface GroupRow {
  community_id: string;
  kind: GroupKind;
  id: string | null;
  name: string | null;
  sort_order: number;
  /** The building's zone (groupBy building), for the quota that applies. */
  zone_id: string | null;
}

/**
 * Rolls the per-building figures of CTE `pb` (community_id, building_id, …measures) up to the groups. Lines without
 * a building are parking spaces'; buildings without a zone, and zones without a collector, form a `none` group.
 */
function grouped(groupBy: GroupBy, measures: string[]): RawBuilder<unknown> {
  const m = sums(measures);
  switch (groupBy) {
    case 'community':
      return sql`SELECT pb.community_id, 'community' AS kind, pb.community_id::text AS id, NULL::text AS name, 0 AS sort_order, NULL::uuid AS zone_id, ${m}
                   FROM pb GROUP BY pb.community_id`;
    case 'building':
      return sql`SELECT pb.community_id, CASE WHEN pb.building_id IS NULL THEN 'parking' ELSE 'building' END AS kind, pb.building_id::text AS id,
                        b.name, COALESCE(b.sort_order, 0) AS sort_order, b.zone_id, ${m}
                   FROM pb LEFT JOIN buildings b ON b.id = pb.building_id
                  GROUP BY pb.community_id, pb.building_id, b.name, b.sort_order, b.zone_id`;
    case 'zone':
      return sql`SELECT pb.community_id, CASE WHEN pb.building_id IS NULL THEN 'parking' WHEN b.zone_id IS NULL THEN 'none' ELSE 'zone' END AS kind,
                        z.id::text AS id, z.name, 0 AS sort_order, z.id AS zone_id, ${m}
                   FROM pb LEFT JOIN buildings b ON b.id = pb.building_id LEFT JOIN zones z ON z.id = b.zone_id
                  GROUP BY 1, 2, 3, 4, 6`;
    case 'collector':
      return sql`SELECT pb.community_id, CASE WHEN pb.building_id IS NULL THEN 'parking' WHEN z.responsible_user_id IS NULL THEN 'none' ELSE 'collector' END AS kind,
                        u.id::text AS id, u.display_name AS name, 0 AS sort_order, NULL::uuid AS zone_id, ${m}
                   FROM pb LEFT JOIN buildings b ON b.id = pb.building_id LEFT JOIN zones z ON z.id = b.zone_id LEFT JOIN users u ON u.id = z.responsible_user_id
                  GROUP BY 1, 2, 3, 4`;
  }
}

const collator = new Intl.Collator('zh-CN', { numeric: true });
const KIND_RANK: Record<GroupKind, number> = { community: 0, building: 0, zone: 0, collector: 0, none: 1, parking: 2 };

/** Names the groups and puts them in order: by community (the company's order), then name; `none` and parking last. */
function named<T extends GroupRow>(s: Scope, groupBy: GroupBy, rows: T[]) {
  const communities = new Map(s.communities.map((c, i) => [c.id, { ...c, order: i }]));
  const sorted = rows
    .filter((r) => communities.has(r.community_id))
    .sort(
      (a, b) =>
        communities.get(a.community_id)!.order - communities.get(b.community_id)!.order ||
        KIND_RANK[a.kind] - KIND_RANK[b.kind] ||
        a.sort_order - b.sort_order ||
        collator.compare(a.name ?? '', b.name ?? ''),
    );
  return sorted.map((r) => {
    const community = communities.get(r.community_id)!;
    const name =
      r.kind === 'community' ? community.name : r.kind === 'parking' ? GROUP_NAMES.parking[s.lang] : r.kind === 'none' ? GROUP_NAMES[groupBy === 'collector' ? 'noCollector' : 'noZone'][s.lang] : (r.name ?? '');
    return { row: r, key: { kind: r.kind, id: r.kind === 'parking' || r.kind === 'none' ? null : r.id, name, communityId: community.id, communityName: community.name } };
  });
}

const bucketsOf = (r: object): Buckets => Object.fromEntries(BUCKET_KEYS.map((k) => [k, Number((r as Record<string, unknown>)[k] ?? 0)])) as Buckets;

// ─────────────────────────────── Arrears summary ───────────────────────────────

type SummaryRow = GroupRow & { owed: number; rooms: number; lines: number } & Record<(typeof BUCKET_KEYS)[number], number>;

/** 欠费汇总: owed, rooms and lines in arrears with their aging, per community, building or zone, and in total. */
export async function arrearsSummary(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: ArrearsSummaryQuery): Promise<ArrearsSummary> {
  return (await summaryOf(deps.db, ctx, q)).summary;
}

async function summaryOf(db: Db, ctx: RequestContext, q: ArrearsSummaryQuery): Promise<{ summary: ArrearsSummary; scope: Scope }> {
  const s = await scopeOf(db, ctx, q);
  // Per building, in index order; a room with several lines in arrears is counted once.
  const perBuilding = (slice: RawBuilder<boolean>) => sql`
    SELECT l.community_id, l.building_id, count(DISTINCT l.room_id) AS rooms, count(*) AS lines, sum(${OWED})::bigint AS owed, ${bucketSums(s.asOf)}
      FROM bill_lines l
     WHERE ${inArrears(s)} AND ${slice}
     GROUP BY l.community_id, l.building_id`;
  const { rows } = await sql<SummaryRow>`
    WITH pb AS (${unionOf(communitySlices(s).map(perBuilding))})
    ${grouped(q.groupBy, ['owed', 'rooms', 'lines', ...BUCKET_KEYS])}`.execute(db);
  const out: ArrearsGroup[] = named(s, q.groupBy, rows).map(({ row, key }) => ({ ...key, owedFen: Number(row.owed), rooms: Number(row.rooms), lines: Number(row.lines), buckets: bucketsOf(row) }));
  const totals = { owedFen: 0, rooms: 0, lines: 0, buckets: emptyBuckets() };
  for (const r of out) {
    totals.owedFen += r.owedFen;
    // Rooms belong to one building, so the groups never count a room twice.
    totals.rooms += r.rooms;
    totals.lines += r.lines;
    addBuckets(totals.buckets, r.buckets);
  }
  return { summary: { asOf: s.asOf, groupBy: q.groupBy, rows: out, totals }, scope: s };
}

// ─────────────────────────────── Rooms in arrears ───────────────────────────────

interface RoomFilter {
  /** Extra condition on the lines `l` (a building or zone). */
  where?: RawBuilder<boolean>;
  minOwedFen?: number;
  minOverdueDays?: number;
  sort: 'owed' | 'oldest';
  limit: number;
  offset: number;
  /** Count the rooms matching (a page's total); the debtor list does without, and ranks without it. */
  count: boolean;
}

interface RoomRow {
  room_id: string;
  community_id: string;
  building_id: string;
  lines: number;
  owed: number;
  oldest: string;
  total: number;
  number: string;
  building_name: string;
  unit_name: string | null;
  zone_id: string | null;
  owners: string[];
  [bucket: string]: unknown;
}

/**
 * Rooms in arrears, the page asked for, with the number of rooms matching; parking-space lines are not a room's.
 * Rooms are added up in index order (migration 0013) without their aging, which is read back through the index for
 * the page's rooms only.
 */
async function roomsInArrears(db: Db, ctx: RequestContext, s: Scope, f: RoomFilter): Promise<{ items: ArrearsRoom[]; total: number }> {
  const having: RawBuilder<boolean>[] = [];
  if (f.minOwedFen !== undefined) having.push(sql<boolean>`sum(${OWED}) >= ${f.minOwedFen}`);
  if (f.minOverdueDays !== undefined) having.push(sql<boolean>`min(l.due_date) <= ${daysBefore(s.asOf, f.minOverdueDays)}::date`);
  const order = f.sort === 'oldest' ? sql.raw('oldest, owed DESC, room_id') : sql.raw('owed DESC, oldest, room_id');
  const perRoom = sql`
    SELECT l.community_id, l.building_id, l.room_id, count(*) AS lines, sum(${OWED})::bigint AS owed, min(l.due_date) AS oldest
      FROM bill_lines l
     WHERE ${inArrears(s)} AND ${inCommunities(s)} AND l.room_id IS NOT NULL${f.where ? sql` AND ${f.where}` : sql``}
     GROUP BY l.community_id, l.building_id, l.room_id
    ${having.length ? sql`HAVING ${sql.join(having, sql` AND `)}` : sql``}`;
  const { rows } = await sql<RoomRow>`
    WITH page AS (SELECT p.*${f.count ? sql`, count(*) OVER () AS total` : sql``} FROM (${perRoom}) p ORDER BY ${order} LIMIT ${f.limit} OFFSET ${f.offset})
    SELECT page.*, bk.*, r.number, b.name AS building_name, b.zone_id, u.name AS unit_name,
           ARRAY(SELECT res.name FROM room_residents rr JOIN residents res ON res.id = rr.resident_id
                  WHERE rr.room_id = page.room_id AND rr.relation = 'owner' AND rr.end_date IS NULL
                  ORDER BY rr.start_date, res.name) AS owners
      FROM page
     CROSS JOIN LATERAL (SELECT ${bucketSums(s.asOf)} FROM bill_lines l
                          WHERE ${inArrears(s)} AND l.community_id = page.community_id AND l.building_id = page.building_id AND l.room_id = page.room_id) bk
      JOIN rooms r ON r.id = page.room_id JOIN buildings b ON b.id = r.building_id LEFT JOIN building_units u ON u.id = r.unit_id
     ORDER BY ${order}`.execute(db);
  let total = rows[0]?.total;
  // Past the last page: count what there is.
  if (f.count && total === undefined && f.offset > 0) total = (await sql<{ n: number }>`SELECT count(*) AS n FROM (${perRoom}) p`.execute(db)).rows[0].n;
  const full = can(ctx.actor, 'personal.viewFull');
  const names = new Map(s.communities.map((c) => [c.id, c.name]));
  const items = rows.map((r) => ({
    roomId: r.room_id,
    communityId: r.community_id,
    communityName: names.get(r.community_id) ?? '',
    buildingId: r.building_id,
    zoneId: r.zone_id,
    roomLabel: roomLabel(r.building_name, r.unit_name, r.number),
    ownerName: r.owners.length ? r.owners.map((n) => (full ? n : maskName(n))).join('、') : null,
    owedFen: Number(r.owed),
    lines: Number(r.lines),
    oldestDueDate: r.oldest,
    daysOverdue: daysOverdue(s.asOf, r.oldest),
    buckets: bucketsOf(r),
  }));
  return { items, total: Number(total ?? 0) };
}

/** The latest due date at least `days` overdue on `asOf`. */
function daysBefore(asOf: string, days: number): string {
  return new Date(Date.parse(`${asOf}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

/** 欠费明细 by room, filtered by community, building or zone, amount and age; the most owed (or the oldest) first. */
export async function listArrearsRooms(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: ArrearsRoomQuery): Promise<Page<ArrearsRoom>> {
  let s = await scopeOf(deps.db, ctx, q);
  const where: RawBuilder<boolean>[] = [];
  if (q.buildingId) {
    const b = await deps.db.selectFrom('buildings').select('community_id').where('id', '=', q.buildingId).where('company_id', '=', s.companyId).executeTakeFirst();
    if (!b || !canSeeCommunity(ctx.actor, b.community_id)) throw new NotFoundError('building');
    s = narrowTo(s, b.community_id);
    where.push(sql<boolean>`l.building_id = ${q.buildingId}`);
  }
  if (q.zoneId) {
    const z = await deps.db.selectFrom('zones').select('community_id').where('id', '=', q.zoneId).where('company_id', '=', s.companyId).executeTakeFirst();
    if (!z || !canSeeCommunity(ctx.actor, z.community_id)) throw new NotFoundError('zone');
    s = narrowTo(s, z.community_id);
    where.push(sql<boolean>`l.building_id IN (SELECT id FROM buildings WHERE zone_id = ${q.zoneId})`);
  }
  const page = await roomsInArrears(deps.db, ctx, s, {
    where: where.length ? sql<boolean>`${sql.join(where, sql` AND `)}` : undefined,
    minOwedFen: q.minOwedFen,
    minOverdueDays: q.minOverdueDays,
    sort: q.sort,
    limit: q.pageSize,
    offset: offsetOf(q),
    count: true,
  });
  return { ...page, page: q.page, pageSize: q.pageSize };
}

/** 欠费大户: the rooms that owe the most (each half of the communities ranked at once, see inHalves). */
export async function listDebtors(deps: Pick<Deps, 'db' | 'dbKind'>, ctx: RequestContext, q: DebtorQuery): Promise<{ asOf: string; items: ArrearsRoom[] }> {
  const s = await scopeOf(deps.db, ctx, q);
  const ranked = await inHalves(deps, s, async (part) => (await roomsInArrears(deps.db, ctx, part, { sort: 'owed', limit: q.limit, offset: 0, count: false })).items);
  const items = ranked
    .sort((a, b) => b.owedFen - a.owedFen || a.oldestDueDate.localeCompare(b.oldestDueDate) || (a.roomId < b.roomId ? -1 : a.roomId > b.roomId ? 1 : 0))
    .slice(0, q.limit);
  return { asOf: s.asOf, items };
}

// ─────────────────────────────── Collection rate ───────────────────────────────

/** The months counted: ytd, or from/to with their defaults (January of `to`'s year; the asOf month). */
function monthRange(q: CollectionRateQuery, asOf: string): { from: string; to: string } {
  if (q.ytd === 'true') {
    if (q.from || q.to) throw new ValidationError('ytd', 'validation.ytdWithRange');
    return { from: `${asOf.slice(0, 4)}-01`, to: asOf.slice(0, 7) };
  }
  const to = q.to ?? asOf.slice(0, 7);
  const from = q.from ?? `${to.slice(0, 4)}-01`;
  if (from > to) throw new ValidationError('to', 'validation.dateOrder');
  if (monthsBetween(from, to) > MAX_MONTHS) throw new ValidationError('from', 'validation.monthRangeTooLong', { max: MAX_MONTHS });
  return { from, to };
}

type RateRow = GroupRow & { billed: number; paid: number };

/**
 * 收缴率 of the lines billed for the months from–to (by period start, revoked lines left out) per community,
 * building, zone or collector (per community: quotas are), with the target that applies and whether it is met.
 */
export async function collectionRates(deps: Pick<Deps, 'db' | 'dbKind'>, ctx: RequestContext, q: CollectionRateQuery): Promise<CollectionRateResult> {
  const s = await scopeOf(deps.db, ctx, q);
  const { from, to } = monthRange(q, s.asOf);
  const { start, end } = monthRangeDays(from, to);
  // Building by building, each a range of bill_lines_rate_idx added up as it is read (no hash of a million lines);
  // the lines of parking spaces (no building) are one more range per community.
  const lines = sql`l.company_id = ${s.companyId} AND ${LIVE} AND l.period_start BETWEEN ${start}::date AND ${end}::date`;
  const perBuilding = (communities: RawBuilder<boolean>, buildings: RawBuilder<boolean>) => sql`
    SELECT b.community_id, b.id AS building_id, x.billed, x.paid
      FROM buildings b
     CROSS JOIN LATERAL (SELECT sum(l.amount_fen)::bigint AS billed, sum(l.paid_fen)::bigint AS paid FROM bill_lines l
                          WHERE ${lines} AND l.community_id = b.community_id AND l.building_id = b.id) x
     WHERE b.company_id = ${s.companyId} AND ${buildings} AND x.billed IS NOT NULL
    UNION ALL
    SELECT l.community_id, NULL::uuid, sum(l.amount_fen)::bigint, sum(l.paid_fen)::bigint FROM bill_lines l
     WHERE ${lines} AND ${communities} AND l.building_id IS NULL
     GROUP BY l.community_id`;
  // Every row is about one community, so the halves' rows are simply put together.
  const rows = await inHalves(deps, s, async (part) => {
    const slices = communitySlices(part);
    const buildingSlices = communitySlices(part, sql.ref('b.community_id'));
    const result = await sql<RateRow>`
      WITH pb AS (${unionOf(slices.map((slice, i) => perBuilding(slice, buildingSlices[i])))})
      ${grouped(q.groupBy, ['billed', 'paid'])}`.execute(deps.db);
    return result.rows;
  });

  const quotaYear = from.slice(0, 4) === to.slice(0, 4) ? Number(from.slice(0, 4)) : null;
  const targets = quotaYear === null ? null : await quotaTargets(deps.db, s, quotaYear);
  const out: CollectionRateRow[] = named(s, q.groupBy, rows).map(({ row, key }) => {
    const billed = Number(row.billed);
    const paid = Number(row.paid);
    const quota = targets?.(row) ?? null;
    const target = quota?.target ?? null;
    return { ...key, billedFen: billed, paidFen: paid, rate: collectionRate(paid, billed), targetPercent: target, quotaSource: quota?.source ?? null, metQuota: meetsQuota(paid, billed, target) };
  });
  const billed = out.reduce((a, r) => a + r.billedFen, 0);
  const paid = out.reduce((a, r) => a + r.paidFen, 0);
  return { from, to, groupBy: q.groupBy, quotaYear, rows: out, totals: { billedFen: billed, paidFen: paid, rate: collectionRate(paid, billed) } };
}

/** The target of a group: its zone's or collector's own quota, else its community's. */
async function quotaTargets(db: Db, s: Scope, year: number) {
  if (!s.communities.length) return () => null;
  const quotas = await db
    .selectFrom('collection_quotas')
    .select(['community_id', 'zone_id', 'collector_id', 'target_percent'])
    .where('company_id', '=', s.companyId)
    .where('year', '=', year)
    .where('community_id', 'in', s.communities.map((c) => c.id))
    .execute();
  const community = new Map<string, string>();
  const zone = new Map<string, string>();
  const collector = new Map<string, string>();
  for (const q of quotas) {
    if (q.zone_id) zone.set(q.zone_id, q.target_percent);
    else if (q.collector_id) collector.set(`${q.community_id}:${q.collector_id}`, q.target_percent);
    else community.set(q.community_id, q.target_percent);
  }
  return (row: GroupRow): { target: string; source: 'community' | 'zone' | 'collector' } | null => {
    const own =
      (row.kind === 'zone' || row.kind === 'building') && row.zone_id && zone.has(row.zone_id)
        ? { target: zone.get(row.zone_id)!, source: 'zone' as const }
        : row.kind === 'collector' && collector.has(`${row.community_id}:${row.id}`)
          ? { target: collector.get(`${row.community_id}:${row.id}`)!, source: 'collector' as const }
          : null;
    if (own) return own;
    const c = community.get(row.community_id);
    return c === undefined ? null : { target: c, source: 'community' };
  };
}

// ─────────────────────────────── Quotas ───────────────────────────────

const TARGET: DecimalRule = { scale: 2, sign: 'positive', intDigits: 3, example: '95' };

function selectQuotas(db: Db, companyId: string) {
  return db
    .selectFrom('collection_quotas as q')
    .innerJoin('communities as c', 'c.id', 'q.community_id')
    .leftJoin('zones as z', 'z.id', 'q.zone_id')
    .leftJoin('users as u', 'u.id', 'q.collector_id')
    .where('q.company_id', '=', companyId)
    .select(['q.id', 'q.community_id', 'c.name as community_name', 'q.year', 'q.zone_id', 'z.name as zone_name', 'q.collector_id', 'u.display_name as collector_name', 'q.target_percent', 'q.updated_at']);
}
type QuotaRow = Awaited<ReturnType<ReturnType<typeof selectQuotas>['executeTakeFirstOrThrow']>>;

function toQuota(r: QuotaRow): Quota {
  return {
    id: r.id,
    communityId: r.community_id,
    communityName: r.community_name,
    year: r.year,
    zoneId: r.zone_id,
    zoneName: r.zone_name,
    collectorId: r.collector_id,
    collectorName: r.collector_name,
    targetPercent: r.target_percent,
    updatedAt: r.updated_at.toISOString(),
  };
}

/** 收缴指标 of the caller's communities (or one), optionally of one year. */
export async function listQuotas(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: QuotaQuery): Promise<{ items: Quota[] }> {
  const s = await scopeOf(deps.db, ctx, { communityId: q.communityId });
  if (!s.communities.length) return { items: [] };
  const rows = await selectQuotas(deps.db, s.companyId)
    .$if(!s.wholeCompany, (qb) => qb.where('q.community_id', 'in', s.communities.map((c) => c.id)))
    .$if(q.year !== undefined, (qb) => qb.where('q.year', '=', q.year!))
    .orderBy('c.code')
    .orderBy('q.year', 'desc')
    .orderBy(sql`q.zone_id IS NOT NULL`)
    .orderBy(sql`q.collector_id IS NOT NULL`)
    .orderBy('z.name')
    .orderBy('u.display_name')
    .execute();
  return { items: rows.map(toQuota) };
}

/** Sets a community's, zone's or collector's target for a year (one per key: the same key again updates it). */
export async function putQuota(deps: Pick<Deps, 'db'>, ctx: RequestContext, input: PutQuotaInput): Promise<{ quota: Quota; created: boolean }> {
  requirePermission(ctx.actor, 'billing.manage');
  const companyId = companyOf(ctx.actor);
  await assertCommunity(deps.db, ctx.actor, companyId, input.communityId);
  const zoneId = input.zoneId ?? null;
  const collectorId = input.collectorId ?? null;
  if (zoneId && collectorId) throw new ValidationError('collectorId', 'validation.quotaScope');
  const target = decimalOf(input.targetPercent, 'targetPercent', TARGET);
  if (compareDecimal(target, '100') > 0) throw new ValidationError('targetPercent', 'validation.percentMax');
  if (zoneId) {
    const zone = await deps.db.selectFrom('zones').select('community_id').where('id', '=', zoneId).where('company_id', '=', companyId).executeTakeFirst();
    if (!zone) throw new ValidationError('zoneId', 'validation.unknownIds');
    if (zone.community_id !== input.communityId) throw new ValidationError('zoneId', 'validation.zoneNotInCommunity');
  }
  if (collectorId) {
    const user = await deps.db.selectFrom('users').select('status').where('id', '=', collectorId).where('company_id', '=', companyId).where('kind', '=', 'staff').executeTakeFirst();
    if (!user) throw new ValidationError('collectorId', 'validation.unknownIds');
    if (user.status !== 'active') throw new ValidationError('collectorId', 'validation.collectorInactive');
  }
  return deps.db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('collection_quotas')
      .select(['id', 'target_percent'])
      .where('community_id', '=', input.communityId)
      .where('year', '=', input.year)
      .where(sql<boolean>`zone_id IS NOT DISTINCT FROM ${zoneId}::uuid`)
      .where(sql<boolean>`collector_id IS NOT DISTINCT FROM ${collectorId}::uuid`)
      .forUpdate()
      .executeTakeFirst();
    const row = await trx
      .insertInto('collection_quotas')
      .values({ company_id: companyId, community_id: input.communityId, zone_id: zoneId, collector_id: collectorId, year: input.year, target_percent: target })
      .onConflict((oc) => oc.columns(['community_id', 'zone_id', 'collector_id', 'year']).doUpdateSet({ target_percent: target, updated_at: new Date() }))
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, {
      action: before ? 'collectionQuota.update' : 'collectionQuota.create',
      entityType: 'collectionQuota',
      entityId: row.id,
      before: before ? { targetPercent: before.target_percent } : undefined,
      after: { communityId: input.communityId, year: input.year, zoneId, collectorId, targetPercent: target },
    });
    return { quota: toQuota(await selectQuotas(trx, companyId).where('q.id', '=', row.id).executeTakeFirstOrThrow()), created: !before };
  });
}

export async function deleteQuota(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string): Promise<void> {
  requirePermission(ctx.actor, 'billing.manage');
  const companyId = companyOf(ctx.actor);
  await deps.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('collection_quotas').selectAll().where('id', '=', id).where('company_id', '=', companyId).forUpdate().executeTakeFirst();
    if (!row || !canSeeCommunity(ctx.actor, row.community_id)) throw new NotFoundError('collectionQuota');
    await trx.deleteFrom('collection_quotas').where('id', '=', id).execute();
    await writeAudit(trx, ctx, {
      action: 'collectionQuota.delete',
      entityType: 'collectionQuota',
      entityId: id,
      before: { communityId: row.community_id, year: row.year, zoneId: row.zone_id, collectorId: row.collector_id, targetPercent: row.target_percent },
    });
  });
}

// ─────────────────────────────── Export ───────────────────────────────

const GROUP_HEADER: Record<ArrearsSummaryQuery['groupBy'], Label> = { community: L('小区', 'Community'), building: L('楼栋', 'Building'), zone: L('片区', 'Zone') };

function bucketLabel(b: (typeof AGING_BUCKETS)[number], lang: Lang): string {
  if (b.toDays === null) return lang === 'en' ? `Over ${b.fromDays - 1} days` : `${b.fromDays - 1} 天以上`;
  return lang === 'en' ? `${b.fromDays}–${b.toDays} days` : `${b.fromDays}–${b.toDays} 天`;
}

/** 欠费汇总.xlsx: the summary's rows and totals, amounts in 元. */
export async function arrearsSummaryXlsx(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: ArrearsSummaryQuery): Promise<Report> {
  const { summary, scope } = await summaryOf(deps.db, ctx, q);
  const lang = ctx.lang;
  const en = lang === 'en';
  const yuan = (fen: number) => fen / 100;
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Anju 安居';
  const ws = wb.addWorksheet(en ? 'Arrears' : '欠费汇总', { views: [{ state: 'frozen', ySplit: 1 }] });
  const money = { numFmt: '#,##0.00' };
  ws.columns = [
    { header: en ? 'Community' : '小区', width: 18 },
    ...(q.groupBy === 'community' ? [] : [{ header: GROUP_HEADER[q.groupBy][lang], width: 14 }]),
    { header: en ? 'Owed (yuan)' : '欠费金额（元）', width: 16, style: money },
    { header: en ? 'Rooms' : '欠费户数', width: 10 },
    { header: en ? 'Bills' : '欠费笔数', width: 10 },
    ...AGING_BUCKETS.map((b) => ({ header: `${bucketLabel(b, lang)}${en ? ' (yuan)' : '（元）'}`, width: 16, style: money })),
  ];
  ws.getRow(1).font = { bold: true };
  const figures = (r: { owedFen: number; rooms: number; lines: number; buckets: Buckets }) => [yuan(r.owedFen), r.rooms, r.lines, ...AGING_BUCKETS.map((b) => yuan(r.buckets[b.key]))];
  for (const r of summary.rows) ws.addRow([r.communityName, ...(q.groupBy === 'community' ? [] : [r.name]), ...figures(r)]);
  ws.addRow([en ? 'Total' : '合计', ...(q.groupBy === 'community' ? [] : ['']), ...figures(summary.totals)]).font = { bold: true };
  ws.addRow([]);
  ws.addRow([en ? `Bills due before ${summary.asOf} and not fully paid` : `截至 ${summary.asOf}（不含当日）已到期未缴清的账单`]);
  const prefix = q.communityId ? `${scope.communities[0].name}-` : '';
  return {
    fileName: en ? `arrears-summary-${summary.asOf}.xlsx` : `${prefix}欠费汇总-${summary.asOf}.xlsx`,
    asciiName: `arrears-summary-${summary.asOf}.xlsx`,
    data: Buffer.from(await wb.xlsx.writeBuffer()),
  };
}
