import { sql } from 'kysely';
import type { Deps } from '../../deps.ts';
import { type Actor, type Db, type RequestContext, can, canSeeCommunity, communityScope, companyOf, requirePermission } from '../../core/context.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import { offsetOf, type Page, type PageQuery } from '../../core/pagination.ts';
import type { FundEntryKind } from '../../db/schema-payments.ts';
import { localDate } from '../servicedesk/deadlines.ts';
import { ownerRooms } from '../residents/household.ts';
import { fenToYuan } from './payments/provider.ts';
import type { CreateDisclosureEntryInput, CreateFundEntryInput, Disclosure, DisclosureEntry, FundEntry, FundSummary } from './fund-schema.ts';

/**
 * 维修资金 (maintenance fund) ledger and 公示 (disclosure). The ledger is append-only: entries are never edited or
 * deleted, a mistake is corrected by an adjustment entry that names it. Entries are written in date order — one
 * dated before the ledger's latest entry is refused — so `balance_after_fen` is the running balance in the order
 * the ledger is read (date, then time recorded) and the "never below zero" rule holds on every date. Writers of one
 * community are serialised by an advisory lock taken inside the transaction; the entry's created_at is the time
 * the lock was held (clock_timestamp), not the transaction's start, so the recorded order is the lock order.
 */

/** Staff who may read the fund and the disclosure figures: billing staff, or the owners' committee. */
function requireReader(actor: Actor): void {
  if (!can(actor, 'billing.read') && !can(actor, 'committee.view')) throw new ForbiddenError('billing.read');
}

/**
 * A community of the caller's company that the caller may see. Read endpoints are about the community, so an
 * unknown one is a 404; in a request body it is a field like any other (400 naming communityId).
 */
async function loadCommunity(db: Db, actor: Actor, communityId: string, missing: 'notFound' | 'field') {
  const row = await db.selectFrom('communities').select(['id', 'name', 'time_zone']).where('id', '=', communityId).where('company_id', '=', companyOf(actor)).executeTakeFirst();
  if (!row || !canSeeCommunity(actor, communityId)) throw missing === 'field' ? new ValidationError('communityId', 'validation.unknownIds') : new NotFoundError('community');
  return row;
}
type CommunityRow = Awaited<ReturnType<typeof loadCommunity>>;

const today = (c: CommunityRow) => localDate(new Date(), c.time_zone);
const yearOf = (c: CommunityRow, year: number | undefined) => year ?? Number(today(c).slice(0, 4));
const monthsOf = (year: number) => Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);

// ── Ledger ────────────────────────────────────────────────────────────────────────────────────────────────────
function selectEntries(db: Db, companyId: string) {
  return db
    .selectFrom('fund_entries as f')
    .leftJoin('tickets as t', 't.id', 'f.ticket_id')
    .leftJoin('users as u', 'u.id', 'f.created_by')
    .where('f.company_id', '=', companyId)
    .select(['f.id', 'f.community_id', 'f.kind', 'f.amount_fen', 'f.balance_after_fen', 'f.occurred_on', 'f.description', 'f.voucher_no', 'f.ticket_id', 't.no as ticket_no', 't.title as ticket_title', 'u.display_name', 'f.created_at']);
}
type EntryRow = Awaited<ReturnType<ReturnType<typeof selectEntries>['executeTakeFirstOrThrow']>>;

const toEntry = (r: EntryRow): FundEntry => ({
  id: r.id,
  communityId: r.community_id,
  kind: r.kind,
  amountFen: r.amount_fen,
  balanceAfterFen: r.balance_after_fen,
  occurredOn: r.occurred_on,
  description: r.description,
  voucherNo: r.voucher_no,
  ticket: r.ticket_id ? { id: r.ticket_id, no: r.ticket_no ?? '', title: r.ticket_title ?? '' } : null,
  createdBy: r.display_name,
  createdAt: r.created_at.toISOString(),
});

/** The ledger's latest entry: its balance is the fund's balance, its date the earliest a new entry may have. */
async function latestEntry(db: Db, communityId: string) {
  return db
    .selectFrom('fund_entries')
    .select(['balance_after_fen', 'occurred_on'])
    .where('community_id', '=', communityId)
    .orderBy('occurred_on', 'desc')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function listFundEntries(
  deps: Pick<Deps, 'db'>,
  ctx: RequestContext,
  q: PageQuery & { communityId: string; from?: string; to?: string; kind?: FundEntryKind },
): Promise<Page<FundEntry> & { balanceFen: number }> {
  requireReader(ctx.actor);
  const community = await loadCommunity(deps.db, ctx.actor, q.communityId, 'notFound');
  if (q.from && q.to && q.to < q.from) throw new ValidationError('to', 'validation.dateOrder');
  const base = selectEntries(deps.db, companyOf(ctx.actor))
    .where('f.community_id', '=', community.id)
    .$if(Boolean(q.from), (qb) => qb.where('f.occurred_on', '>=', q.from!))
    .$if(Boolean(q.to), (qb) => qb.where('f.occurred_on', '<=', q.to!))
    .$if(Boolean(q.kind), (qb) => qb.where('f.kind', '=', q.kind!));
  const [rows, count, latest] = await Promise.all([
    base.orderBy('f.occurred_on', 'desc').orderBy('f.created_at', 'desc').limit(q.pageSize).offset(offsetOf(q)).execute(),
    base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    latestEntry(deps.db, community.id),
  ]);
  return { items: rows.map(toEntry), total: count.n, page: q.page, pageSize: q.pageSize, balanceFen: latest?.balance_after_fen ?? 0 };
}

const KIND_LABELS: Record<FundEntryKind, { zh: string; en: string }> = {
  deposit: { zh: '缴存', en: 'deposit' },
  interest: { zh: '利息', en: 'interest' },
  spending: { zh: '使用', en: 'spending' },
  adjustment: { zh: '调整', en: 'adjustment' },
};

/** The signed amount of an entry, after checking the fields that depend on its kind. */
function signedAmount(ctx: RequestContext, input: CreateFundEntryInput): number {
  const kind = KIND_LABELS[input.kind][ctx.lang === 'en' ? 'en' : 'zh'];
  if (input.kind === 'adjustment' && !input.direction) throw new ValidationError('direction', 'validation.required');
  if (input.kind !== 'adjustment' && input.direction) throw new ValidationError('direction', 'validation.notForFundKind', { kind });
  if (input.kind === 'spending' && !input.ticketId) throw new ValidationError('ticketId', 'validation.required');
  if ((input.kind === 'deposit' || input.kind === 'interest') && input.ticketId) throw new ValidationError('ticketId', 'validation.notForFundKind', { kind });
  const out = input.kind === 'spending' || (input.kind === 'adjustment' && input.direction === 'out');
  return out ? -input.amountFen : input.amountFen;
}

/** Spending pays only for a medium or major repair of the same community that the owners' committee approved. */
async function checkTicket(db: Db, companyId: string, communityId: string, ticketId: string, kind: FundEntryKind): Promise<void> {
  const ticket = await db.selectFrom('tickets').select(['community_id', 'repair_size', 'approval_status']).where('id', '=', ticketId).where('company_id', '=', companyId).executeTakeFirst();
  if (!ticket) throw new ValidationError('ticketId', 'validation.unknownIds');
  if (ticket.community_id !== communityId) throw new ValidationError('ticketId', 'validation.otherCommunity');
  const approvedRepair = (ticket.repair_size === 'medium' || ticket.repair_size === 'major') && ticket.approval_status === 'approved';
  if (kind === 'spending' && !approvedRepair) throw new ValidationError('ticketId', 'validation.fundTicket');
}

export async function createFundEntry(deps: Pick<Deps, 'db'>, ctx: RequestContext, input: CreateFundEntryInput): Promise<FundEntry> {
  requirePermission(ctx.actor, 'billing.manage');
  const companyId = companyOf(ctx.actor);
  const community = await loadCommunity(deps.db, ctx.actor, input.communityId, 'field');
  if (input.occurredOn > today(community)) throw new ValidationError('occurredOn', 'validation.future');
  const amountFen = signedAmount(ctx, input);
  const id = await deps.db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`fund:${community.id}`}, 0))`.execute(trx);
    if (input.ticketId) await checkTicket(trx, companyId, community.id, input.ticketId, input.kind);
    const latest = await latestEntry(trx, community.id);
    if (latest && input.occurredOn < latest.occurred_on) throw new ValidationError('occurredOn', 'validation.fundBackdated', { latest: latest.occurred_on });
    const balance = latest?.balance_after_fen ?? 0;
    const after = balance + amountFen;
    if (after < 0) throw new ValidationError('amountFen', 'validation.fundInsufficient', { available: fenToYuan(balance) });
    const row = await trx
      .insertInto('fund_entries')
      .values({
        company_id: companyId,
        community_id: community.id,
        kind: input.kind,
        amount_fen: amountFen,
        balance_after_fen: after,
        occurred_on: input.occurredOn,
        ticket_id: input.ticketId ?? null,
        description: input.description,
        voucher_no: input.voucherNo ?? null,
        created_by: ctx.actor.userId,
        created_at: sql<Date>`clock_timestamp()`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, {
      action: 'fundEntry.create',
      entityType: 'fundEntry',
      entityId: row.id,
      after: { communityId: community.id, kind: input.kind, amountFen, balanceAfterFen: after, occurredOn: input.occurredOn, ticketId: input.ticketId ?? null, voucherNo: input.voucherNo ?? null, description: input.description },
    });
    return row.id;
  });
  return toEntry(await selectEntries(deps.db, companyId).where('f.id', '=', id).executeTakeFirstOrThrow());
}

/** The fund's figures for a year: opening balance, and per month the sums of each kind (spending as a positive amount). */
async function fundYear(db: Db, communityId: string, year: number) {
  const start = `${year}-01-01`;
  const end = `${year}-12-31`;
  const [before, rows, latest] = await Promise.all([
    sql<{ fen: number }>`SELECT COALESCE(SUM(amount_fen), 0)::bigint AS fen FROM fund_entries WHERE community_id = ${communityId} AND occurred_on < ${start}`.execute(db),
    sql<{ month: string; kind: FundEntryKind; fen: number }>`
      SELECT to_char(occurred_on, 'YYYY-MM') AS month, kind, SUM(amount_fen)::bigint AS fen FROM fund_entries
      WHERE community_id = ${communityId} AND occurred_on BETWEEN ${start} AND ${end} GROUP BY 1, 2`.execute(db),
    latestEntry(db, communityId),
  ]);
  const months = monthsOf(year).map((month) => ({ month, depositFen: 0, interestFen: 0, spendingFen: 0, adjustmentFen: 0 }));
  const totals = { depositFen: 0, interestFen: 0, spendingFen: 0, adjustmentFen: 0 };
  for (const r of rows.rows) {
    const m = months[Number(r.month.slice(5)) - 1];
    const key = `${r.kind}Fen` as const;
    const fen = r.kind === 'spending' ? -r.fen : r.fen;
    m[key] += fen;
    totals[key] += fen;
  }
  const opening = before.rows[0]?.fen ?? 0;
  const closing = opening + totals.depositFen + totals.interestFen - totals.spendingFen + totals.adjustmentFen;
  return { balanceFen: latest?.balance_after_fen ?? 0, openingFen: opening, closingFen: closing, totals, months };
}

export async function getFundSummary(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: { communityId: string; year?: number }): Promise<FundSummary> {
  requireReader(ctx.actor);
  const community = await loadCommunity(deps.db, ctx.actor, q.communityId, 'notFound');
  const year = yearOf(community, q.year);
  return { communityId: community.id, year, ...(await fundYear(deps.db, community.id, year)) };
}

// ── Public income and expense entries (公共收支) ───────────────────────────────────────────────────────────────
function selectDisclosureEntries(db: Db, companyId: string) {
  return db
    .selectFrom('disclosure_entries as d')
    .leftJoin('users as u', 'u.id', 'd.created_by')
    .where('d.company_id', '=', companyId)
    .select(['d.id', 'd.community_id', 'd.month', 'd.direction', 'd.category', 'd.amount_fen', 'd.note', 'u.display_name', 'd.created_at']);
}
type DisclosureRow = Awaited<ReturnType<ReturnType<typeof selectDisclosureEntries>['executeTakeFirstOrThrow']>>;

const toDisclosureEntry = (r: DisclosureRow): DisclosureEntry => ({
  id: r.id,
  communityId: r.community_id,
  month: r.month,
  direction: r.direction,
  category: r.category,
  amountFen: r.amount_fen,
  note: r.note,
  createdBy: r.display_name,
  createdAt: r.created_at.toISOString(),
});

export async function listDisclosureEntries(
  deps: Pick<Deps, 'db'>,
  ctx: RequestContext,
  q: PageQuery & { communityId?: string; year?: number; month?: string; direction?: 'income' | 'expense' },
): Promise<Page<DisclosureEntry>> {
  requireReader(ctx.actor);
  const scope = communityScope(ctx.actor);
  const base = selectDisclosureEntries(deps.db, companyOf(ctx.actor))
    .$if(scope !== null, (qb) => qb.where('d.community_id', 'in', scope!))
    .$if(Boolean(q.communityId), (qb) => qb.where('d.community_id', '=', q.communityId!))
    .$if(q.year !== undefined, (qb) => qb.where('d.month', '>=', `${q.year}-01`).where('d.month', '<=', `${q.year}-12`))
    .$if(Boolean(q.month), (qb) => qb.where('d.month', '=', q.month!))
    .$if(Boolean(q.direction), (qb) => qb.where('d.direction', '=', q.direction!));
  const [rows, count] = await Promise.all([
    base.orderBy('d.month', 'desc').orderBy('d.created_at', 'desc').orderBy('d.id').limit(q.pageSize).offset(offsetOf(q)).execute(),
    base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toDisclosureEntry), total: count.n, page: q.page, pageSize: q.pageSize };
}

export async function createDisclosureEntry(deps: Pick<Deps, 'db'>, ctx: RequestContext, input: CreateDisclosureEntryInput): Promise<DisclosureEntry> {
  requirePermission(ctx.actor, 'billing.manage');
  const companyId = companyOf(ctx.actor);
  const community = await loadCommunity(deps.db, ctx.actor, input.communityId, 'field');
  if (input.month > today(community).slice(0, 7)) throw new ValidationError('month', 'validation.futureMonth');
  const id = await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('disclosure_entries')
      .values({ company_id: companyId, community_id: community.id, month: input.month, direction: input.direction, category: input.category, amount_fen: input.amountFen, note: input.note || null, created_by: ctx.actor.userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'disclosureEntry.create', entityType: 'disclosureEntry', entityId: row.id, after: { communityId: community.id, month: input.month, direction: input.direction, category: input.category, amountFen: input.amountFen } });
    return row.id;
  });
  return toDisclosureEntry(await selectDisclosureEntries(deps.db, companyId).where('d.id', '=', id).executeTakeFirstOrThrow());
}

export async function deleteDisclosureEntry(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string): Promise<void> {
  requirePermission(ctx.actor, 'billing.manage');
  const row = await selectDisclosureEntries(deps.db, companyOf(ctx.actor)).where('d.id', '=', id).executeTakeFirst();
  if (!row || !canSeeCommunity(ctx.actor, row.community_id)) throw new NotFoundError('disclosureEntry');
  await deps.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('disclosure_entries').where('id', '=', id).execute();
    await writeAudit(trx, ctx, { action: 'disclosureEntry.delete', entityType: 'disclosureEntry', entityId: id, before: { communityId: row.community_id, month: row.month, direction: row.direction, category: row.category, amountFen: row.amount_fen, note: row.note } });
  });
}

// ── The disclosure page (公示) ────────────────────────────────────────────────────────────────────────────────
type Figures = { categories: Map<string, number>; totalFen: number };
const emptyIncome = () => ({ feesCollectedFen: 0, feesRefundedFen: 0, feesFen: 0, categories: new Map<string, number>(), totalFen: 0 });
const emptyExpense = (): Figures => ({ categories: new Map<string, number>(), totalFen: 0 });
const listCategories = (m: Map<string, number>) => [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([category, amountFen]) => ({ category, amountFen }));

/**
 * Everything the page publishes, and nothing about any one household: fee standards, the month-by-month public
 * income (fees collected net of refunds, plus the income entries) and expense, and the fund with its spending.
 */
async function buildDisclosure(db: Db, companyId: string, community: CommunityRow, year: number): Promise<Disclosure> {
  const start = `${year}-01-01`;
  const end = `${year}-12-31`;
  const [standards, paid, refunded, entries, fund, spending] = await Promise.all([
    db
      .selectFrom('fee_item_communities as fc')
      .innerJoin('fee_items as i', 'i.id', 'fc.item_id')
      .where('fc.community_id', '=', community.id)
      .where('i.company_id', '=', companyId)
      .where('i.active', '=', true)
      .select(['i.name', 'i.kind', sql<string | null>`COALESCE(fc.unit_price, i.unit_price)`.as('unit_price'), 'i.tiers', 'i.cycle', 'i.area_basis', 'i.billing_mode'])
      .orderBy('i.kind')
      .orderBy('i.name')
      .execute(),
    sql<{ month: string; fen: number }>`
      SELECT to_char(business_date, 'YYYY-MM') AS month, SUM(amount_fen)::bigint AS fen FROM payments
      WHERE company_id = ${companyId} AND community_id = ${community.id} AND status = 'succeeded' AND business_date BETWEEN ${start} AND ${end} GROUP BY 1`.execute(db),
    sql<{ month: string; fen: number }>`
      SELECT to_char(business_date, 'YYYY-MM') AS month, SUM(amount_fen)::bigint AS fen FROM refunds
      WHERE company_id = ${companyId} AND community_id = ${community.id} AND status = 'refunded' AND business_date BETWEEN ${start} AND ${end} GROUP BY 1`.execute(db),
    sql<{ month: string; direction: 'income' | 'expense'; category: string; fen: number }>`
      SELECT month, direction, category, SUM(amount_fen)::bigint AS fen FROM disclosure_entries
      WHERE company_id = ${companyId} AND community_id = ${community.id} AND month BETWEEN ${`${year}-01`} AND ${`${year}-12`} GROUP BY 1, 2, 3`.execute(db),
    fundYear(db, community.id, year),
    db
      .selectFrom('fund_entries as f')
      .leftJoin('tickets as t', 't.id', 'f.ticket_id')
      .where('f.company_id', '=', companyId)
      .where('f.community_id', '=', community.id)
      .where('f.kind', '=', 'spending')
      .where('f.occurred_on', '>=', start)
      .where('f.occurred_on', '<=', end)
      .select(['f.occurred_on', 'f.description', 't.no', 't.title', 'f.amount_fen'])
      .orderBy('f.occurred_on')
      .orderBy('f.created_at')
      .execute(),
  ]);

  const months = monthsOf(year).map((month) => ({ month, income: emptyIncome(), expense: emptyExpense() }));
  const totals = { income: emptyIncome(), expense: emptyExpense() };
  const at = (month: string) => months[Number(month.slice(5)) - 1];
  for (const r of paid.rows) for (const f of [at(r.month).income, totals.income]) f.feesCollectedFen += r.fen;
  for (const r of refunded.rows) for (const f of [at(r.month).income, totals.income]) f.feesRefundedFen += r.fen;
  for (const r of entries.rows) {
    for (const f of [at(r.month)[r.direction], totals[r.direction]]) {
      f.categories.set(r.category, (f.categories.get(r.category) ?? 0) + r.fen);
      f.totalFen += r.fen;
    }
  }
  const income = (f: ReturnType<typeof emptyIncome>) => {
    const feesFen = f.feesCollectedFen - f.feesRefundedFen;
    return { feesCollectedFen: f.feesCollectedFen, feesRefundedFen: f.feesRefundedFen, feesFen, categories: listCategories(f.categories), totalFen: feesFen + f.totalFen };
  };
  const expense = (f: Figures) => ({ categories: listCategories(f.categories), totalFen: f.totalFen });

  return {
    community: { id: community.id, name: community.name },
    year,
    feeStandards: standards.map((s) => ({ name: s.name, kind: s.kind, unitPrice: s.unit_price, tiers: s.tiers, cycle: s.cycle, areaBasis: s.area_basis, billingMode: s.billing_mode })),
    months: months.map((m) => ({ month: m.month, income: income(m.income), expense: expense(m.expense) })),
    totals: { income: income(totals.income), expense: expense(totals.expense) },
    fund: {
      balanceFen: fund.balanceFen,
      depositFen: fund.totals.depositFen,
      interestFen: fund.totals.interestFen,
      spendingFen: fund.totals.spendingFen,
      adjustmentFen: fund.totals.adjustmentFen,
      spending: spending.map((s) => ({ occurredOn: s.occurred_on, description: s.description, ticketNo: s.no, ticketTitle: s.title, amountFen: -s.amount_fen })),
    },
  };
}

export async function getDisclosure(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: { communityId: string; year?: number }): Promise<Disclosure> {
  requireReader(ctx.actor);
  const community = await loadCommunity(deps.db, ctx.actor, q.communityId, 'notFound');
  return buildDisclosure(deps.db, companyOf(ctx.actor), community, yearOf(community, q.year));
}

/** The owner's version: only for a community where the owner currently has a room; any other is a 404. */
export async function getOwnerDisclosure(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: { communityId: string; year?: number }): Promise<Disclosure> {
  requirePermission(ctx.actor, 'owner.self');
  const companyId = companyOf(ctx.actor);
  const roomIds = (await ownerRooms(deps, ctx)).map((r) => r.id);
  const community = roomIds.length
    ? await deps.db
        .selectFrom('rooms as r')
        .innerJoin('communities as c', 'c.id', 'r.community_id')
        .select(['c.id', 'c.name', 'c.time_zone'])
        .where('r.id', 'in', roomIds)
        .where('r.company_id', '=', companyId)
        .where('r.community_id', '=', q.communityId)
        .executeTakeFirst()
    : undefined;
  if (!community) throw new NotFoundError('community');
  return buildDisclosure(deps.db, companyId, community, yearOf(community, q.year));
}
