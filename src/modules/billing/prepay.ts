import { sql } from 'kysely';
import type { Deps } from '../../deps.ts';
import { type RequestContext, companyOf, requirePermission } from '../../core/context.ts';
import { ValidationError } from '../../core/errors.ts';
import { requireRoom } from '../estate/rooms.ts';
import { localDate } from '../servicedesk/deadlines.ts';
import type { BalanceKind } from '../../db/schema-payments.ts';
import { applyPrepayDiscount } from './rules.ts';

/**
 * 预交优惠 "pay N months, get M free": what a prepayment of `months` months of a monthly item costs for a room and
 * the free months it earns under the item's terms in force today. A month is priced by the room's latest full-month
 * bill of the item (one window of one whole month, no vacancy discount or reduction), so the prepayment costs what
 * the bills it will pay cost. The room must owe nothing of the item: a prepayment is for months to come.
 */

export interface PrepayQuote {
  itemId: string;
  itemName: string;
  months: number;
  monthlyFen: number;
  amountFen: number;
  freeMonths: number;
  bonusFen: number;
  balanceKind: BalanceKind;
  rule: { payMonths: number; freeMonths: number };
}

export async function quotePrepay(db: Deps['db'], args: { companyId: string; communityId: string; roomId: string; itemId: string; months: number; today: string }): Promise<PrepayQuote> {
  const item = await db
    .selectFrom('fee_items as i')
    .innerJoin('fee_item_communities as ic', (j) => j.onRef('ic.item_id', '=', 'i.id').on('ic.community_id', '=', args.communityId))
    .select(['i.id', 'i.name', 'i.cycle', 'i.balance_kind', 'i.active'])
    .where('i.id', '=', args.itemId)
    .where('i.company_id', '=', args.companyId)
    .executeTakeFirst();
  if (!item || !item.active) throw new ValidationError('prepay.itemId', 'validation.unknownIds');
  const rule = await db
    .selectFrom('fee_item_discounts')
    .select(['pay_months', 'free_months'])
    .where('item_id', '=', item.id)
    .where('kind', '=', 'prepay')
    .where((eb) => eb.or([eb('valid_from', 'is', null), eb('valid_from', '<=', args.today)]))
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', args.today)]))
    .orderBy('created_at')
    .executeTakeFirst();
  if (!rule || item.cycle !== 'monthly') throw new ValidationError('prepay.itemId', 'validation.prepayNoRule');
  const owed = await db
    .selectFrom('bill_lines')
    .select(sql<number>`COALESCE(sum(amount_fen - paid_fen), 0)::bigint`.as('fen'))
    .where('room_id', '=', args.roomId)
    .where('item_id', '=', item.id)
    .where('status', 'in', ['unpaid', 'partial'])
    .executeTakeFirstOrThrow();
  if (Number(owed.fen) > 0) throw new ValidationError('prepay.itemId', 'validation.prepayArrears', { item: item.name, owed: (Number(owed.fen) / 100).toFixed(2) });
  const month = await db
    .selectFrom('bill_lines')
    .select('amount_fen')
    .where('room_id', '=', args.roomId)
    .where('item_id', '=', item.id)
    .where('kind', '=', 'charge')
    .where('status', '<>', 'revoked')
    .where('period_key', '~', '^[0-9]{4}-[0-9]{2}$')
    .where(sql<boolean>`jsonb_array_length(basis->'windows') = 1 AND basis->'windows'->0->>'months' = '1' AND NOT (basis->'windows'->0 ? 'vacancy') AND NOT (basis ? 'reductionFen')`)
    .orderBy('period_start', 'desc')
    .executeTakeFirst();
  if (!month) throw new ValidationError('prepay.itemId', 'validation.prepayNoPrice', { item: item.name });
  const monthlyFen = Number(month.amount_fen);
  const discount = applyPrepayDiscount({ monthsPaid: args.months, rule: { payMonths: rule.pay_months!, freeMonths: rule.free_months! }, monthlyFen });
  return {
    itemId: item.id,
    itemName: item.name,
    months: args.months,
    monthlyFen,
    amountFen: monthlyFen * args.months,
    freeMonths: discount.freeMonths,
    bonusFen: discount.freeFen,
    balanceKind: item.balance_kind,
    rule: { payMonths: rule.pay_months!, freeMonths: rule.free_months! },
  };
}

/** The console's quote before taking a prepayment at the counter. */
export async function roomPrepayQuote(deps: Pick<Deps, 'db'>, ctx: RequestContext, roomId: string, q: { itemId: string; months: number }): Promise<PrepayQuote> {
  requirePermission(ctx.actor, 'billing.read');
  const room = await requireRoom(deps.db, ctx, roomId);
  const zone = await deps.db.selectFrom('communities').select('time_zone').where('id', '=', room.communityId).executeTakeFirstOrThrow();
  return quotePrepay(deps.db, { companyId: companyOf(ctx.actor), communityId: room.communityId, roomId, itemId: q.itemId, months: q.months, today: localDate(new Date(), zone.time_zone) });
}
