import type { Transaction } from 'kysely';
import type { Deps } from '../../deps.ts';
import { defaultBalanceKind } from './allocation.ts';
import type { DB } from '../../db/schema.ts';
import { type Db, type RequestContext, canSeeCommunity, communityScope, companyOf, requirePermission } from '../../core/context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import { offsetOf, type Page, type PageQuery } from '../../core/pagination.ts';
import { type ItemDraft, type ValidItem, validateItem } from './item-rules.ts';
import { PRICE, optionalDecimal } from './values.ts';
import type { CreateFeeItemInput, FeeItem, UpdateFeeItemInput } from './schema.ts';

/** 收费项目: a company's fee items, their discounts and the communities they are billed in (at what price). */

type ItemRow = Awaited<ReturnType<typeof selectItems>>[number];

function selectItems(db: Db, companyId: string, ids?: string[]) {
  return db
    .selectFrom('fee_items')
    .selectAll()
    .where('company_id', '=', companyId)
    .$if(ids !== undefined, (qb) => qb.where('id', 'in', ids!.length ? ids! : ['00000000-0000-0000-0000-000000000000']))
    .execute();
}

async function toItems(db: Db, ctx: RequestContext, rows: ItemRow[]): Promise<FeeItem[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const [discounts, communities] = await Promise.all([
    db.selectFrom('fee_item_discounts').selectAll().where('item_id', 'in', ids).orderBy('created_at').orderBy('id').execute(),
    db
      .selectFrom('fee_item_communities as fc')
      .innerJoin('communities as c', 'c.id', 'fc.community_id')
      .select(['fc.item_id', 'fc.community_id', 'c.name', 'fc.unit_price', 'fc.auto_bill_day'])
      .where('fc.item_id', 'in', ids)
      .orderBy('c.code')
      .execute(),
  ]);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind,
    unitPrice: r.unit_price,
    tiers: r.tiers,
    areaBasis: r.area_basis,
    meterKind: r.meter_kind,
    shareMethod: r.share_method,
    rounding: r.rounding,
    cycle: r.cycle,
    billingMode: r.billing_mode,
    dueFrom: r.due_from,
    dueDays: r.due_days,
    prorate: r.prorate,
    lateFee: r.late_fee,
    rentIncreasePercent: r.rent_increase_percent,
    rentIncreaseEveryMonths: r.rent_increase_every_months,
    balanceKind: r.balance_kind,
    autoDeduct: r.auto_deduct,
    active: r.active,
    discounts: discounts
      .filter((d) => d.item_id === r.id)
      .map((d) => ({ id: d.id, kind: d.kind, payMonths: d.pay_months, freeMonths: d.free_months, percent: d.percent, reductionFen: d.reduction_fen, validFrom: d.valid_from, validTo: d.valid_to })),
    communities: communities
      .filter((c) => c.item_id === r.id && canSeeCommunity(ctx.actor, c.community_id))
      .map((c) => ({ communityId: c.community_id, communityName: c.name, unitPrice: c.unit_price, autoBillDay: c.auto_bill_day })),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  }));
}

export async function listFeeItems(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: PageQuery & { communityId?: string; kind?: FeeItem['kind']; active?: 'true' | 'false' }): Promise<Page<FeeItem>> {
  requirePermission(ctx.actor, 'billing.read');
  const companyId = companyOf(ctx.actor);
  const base = deps.db
    .selectFrom('fee_items as i')
    .where('i.company_id', '=', companyId)
    .$if(Boolean(q.kind), (qb) => qb.where('i.kind', '=', q.kind!))
    .$if(q.active !== undefined, (qb) => qb.where('i.active', '=', q.active === 'true'))
    .$if(Boolean(q.communityId), (qb) =>
      qb.where((eb) => eb.exists(eb.selectFrom('fee_item_communities as fc').select('fc.item_id').whereRef('fc.item_id', '=', 'i.id').where('fc.community_id', '=', q.communityId!))),
    );
  const [rows, count] = await Promise.all([
    base.selectAll('i').orderBy('i.kind').orderBy('i.name').limit(q.pageSize).offset(offsetOf(q)).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: await toItems(deps.db, ctx, rows), total: count.n, page: q.page, pageSize: q.pageSize };
}

async function loadItem(db: Db, ctx: RequestContext, id: string): Promise<ItemRow> {
  const [row] = await selectItems(db, companyOf(ctx.actor), [id]);
  if (!row) throw new NotFoundError('feeItem');
  return row;
}

export async function getFeeItem(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string): Promise<FeeItem> {
  requirePermission(ctx.actor, 'billing.read');
  const [item] = await toItems(deps.db, ctx, [await loadItem(deps.db, ctx, id)]);
  return item;
}

/** For the other billing services: an item of the caller's company, or a 400 naming `field`. */
export async function requireItem(db: Db, companyId: string, id: string, field = 'itemId') {
  const [row] = await selectItems(db, companyId, [id]);
  if (!row) throw new ValidationError(field, 'validation.unknownIds');
  return row;
}

type CommunityInput = CreateFeeItemInput['communities'][number];

/** The communities an item is enabled in, checked: the caller's, visible, listed once, prices exact. */
async function checkCommunities(db: Db, ctx: RequestContext, companyId: string, input: CommunityInput[]) {
  const ids = input.map((c) => c.communityId);
  if (new Set(ids).size !== ids.length) throw new ValidationError('communities', 'validation.duplicateIds');
  if (!ids.length) return [];
  const found = await db.selectFrom('communities').select('id').where('company_id', '=', companyId).where('id', 'in', ids).execute();
  if (found.length !== ids.length || ids.some((id) => !canSeeCommunity(ctx.actor, id))) throw new ValidationError('communities', 'validation.unknownIds');
  return input.map((c, i) => ({ community_id: c.communityId, unit_price: optionalDecimal(c.unitPrice, `communities.${i}.unitPrice`, PRICE), auto_bill_day: c.autoBillDay ?? null }));
}

async function assertNameFree(db: Db, companyId: string, name: string, exceptId?: string) {
  const taken = await db.selectFrom('fee_items').select('id').where('company_id', '=', companyId).where('name', '=', name).$if(Boolean(exceptId), (qb) => qb.where('id', '<>', exceptId!)).executeTakeFirst();
  if (taken) throw new ConflictError('conflict.feeItemName', { name }, { field: 'name' });
}

async function writeChildren(trx: Transaction<DB>, ctx: RequestContext, companyId: string, itemId: string, valid: ValidItem, communities: Awaited<ReturnType<typeof checkCommunities>> | null, replaceDiscounts: boolean) {
  if (replaceDiscounts) {
    await trx.deleteFrom('fee_item_discounts').where('item_id', '=', itemId).execute();
    if (valid.discounts.length) {
      await trx
        .insertInto('fee_item_discounts')
        .values(valid.discounts.map((d) => ({ company_id: companyId, item_id: itemId, kind: d.kind, pay_months: d.payMonths, free_months: d.freeMonths, percent: d.percent, reduction_fen: d.reductionFen, valid_from: d.validFrom, valid_to: d.validTo })))
        .execute();
    }
  }
  if (communities) {
    // Only the caller's visible communities are replaced; enablement in communities they cannot see stays.
    const scope = communityScope(ctx.actor);
    await trx.deleteFrom('fee_item_communities').where('item_id', '=', itemId).$if(scope !== null, (qb) => qb.where('community_id', 'in', scope!)).execute();
    if (communities.length) await trx.insertInto('fee_item_communities').values(communities.map((c) => ({ ...c, item_id: itemId, company_id: companyId }))).execute();
  }
}

function columnsOf(d: ItemDraft, valid: ValidItem) {
  return {
    name: d.name,
    unit_price: valid.unitPrice,
    tiers: valid.tiers ? JSON.stringify(valid.tiers) : null,
    area_basis: d.areaBasis,
    meter_kind: valid.meterKind,
    share_method: valid.shareMethod,
    rounding: d.rounding,
    cycle: d.cycle,
    billing_mode: d.billingMode,
    due_from: valid.dueFrom,
    due_days: d.dueDays,
    prorate: d.prorate,
    late_fee: valid.lateFee ? JSON.stringify(valid.lateFee) : null,
    rent_increase_percent: valid.rentIncreasePercent,
    rent_increase_every_months: valid.rentIncreaseEveryMonths,
  };
}

export async function createFeeItem(deps: Pick<Deps, 'db'>, ctx: RequestContext, input: CreateFeeItemInput): Promise<FeeItem> {
  requirePermission(ctx.actor, 'billing.manage');
  const companyId = companyOf(ctx.actor);
  const valid = validateItem(input);
  const id = await deps.db.transaction().execute(async (trx) => {
    const communities = await checkCommunities(trx, ctx, companyId, input.communities);
    await assertNameFree(trx, companyId, input.name);
    const row = await trx
      .insertInto('fee_items')
      .values({ company_id: companyId, kind: input.kind, ...columnsOf(input, valid), balance_kind: input.balanceKind ?? defaultBalanceKind(input.kind), auto_deduct: input.autoDeduct })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeChildren(trx, ctx, companyId, row.id, valid, communities, true);
    await writeAudit(trx, ctx, { action: 'feeItem.create', entityType: 'feeItem', entityId: row.id, after: { kind: input.kind, ...columnsOf(input, valid), discounts: valid.discounts, communities } });
    return row.id;
  });
  return getFeeItem(deps, ctx, id);
}

/** Changes apply to later bill runs; lines already billed keep the terms recorded in their basis. */
export async function updateFeeItem(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string, input: UpdateFeeItemInput): Promise<FeeItem> {
  requirePermission(ctx.actor, 'billing.manage');
  const companyId = companyOf(ctx.actor);
  await deps.db.transaction().execute(async (trx) => {
    const before = await loadItem(trx, ctx, id);
    const [shown] = await toItems(trx, ctx, [before]);
    const pick = <K extends keyof UpdateFeeItemInput>(key: K, stored: unknown) => (input[key] === undefined ? stored : input[key]);
    const draft = {
      kind: before.kind,
      name: pick('name', before.name),
      unitPrice: pick('unitPrice', before.unit_price),
      tiers: pick('tiers', before.tiers),
      areaBasis: pick('areaBasis', before.area_basis),
      meterKind: pick('meterKind', before.meter_kind),
      shareMethod: pick('shareMethod', before.share_method),
      rounding: pick('rounding', before.rounding),
      cycle: pick('cycle', before.cycle),
      billingMode: pick('billingMode', before.billing_mode),
      dueFrom: pick('dueFrom', before.due_from),
      dueDays: pick('dueDays', before.due_days),
      prorate: pick('prorate', before.prorate),
      lateFee: pick('lateFee', before.late_fee),
      rentIncreasePercent: pick('rentIncreasePercent', before.rent_increase_percent),
      rentIncreaseEveryMonths: pick('rentIncreaseEveryMonths', before.rent_increase_every_months),
      discounts: input.discounts ?? shown.discounts,
    } as ItemDraft;
    const valid = validateItem(draft);
    const communities = input.communities ? await checkCommunities(trx, ctx, companyId, input.communities) : null;
    if (input.name !== undefined) await assertNameFree(trx, companyId, input.name, id);
    await trx
      .updateTable('fee_items')
      .set({
        ...columnsOf(draft, valid),
        ...(input.active !== undefined && { active: input.active }),
        ...(input.balanceKind !== undefined && { balance_kind: input.balanceKind }),
        ...(input.autoDeduct !== undefined && { auto_deduct: input.autoDeduct }),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .where('company_id', '=', companyId)
      .execute();
    await writeChildren(trx, ctx, companyId, id, valid, communities, input.discounts !== undefined);
    await writeAudit(trx, ctx, { action: 'feeItem.update', entityType: 'feeItem', entityId: id, before: shown, after: input });
  });
  return getFeeItem(deps, ctx, id);
}
