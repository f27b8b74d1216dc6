import { ValidationError } from '../../core/errors.ts';
import type { FeeKind, LateFeeRow, MeterKind, TierRow } from '../../db/schema-billing.ts';
import { meteredFeeExact } from './rules.ts';
import { type DecimalRule, PERCENT, PRICE, RATE, decimalOf, optionalDecimal } from './values.ts';
import type { CreateFeeItemInput } from './schema.ts';

/**
 * What a fee item of each kind needs and may not have, checked field by field so that a 400 names the field:
 * 物业费 needs a price per m², metered items a price or tiers, 公摊 a meter kind and a share method, and so on.
 */

type Decimalish = string | number;
/** The item's fields after merging a PATCH over the stored item (kind never changes). */
export type ItemDraft = Omit<CreateFeeItemInput, 'communities' | 'unitPrice' | 'tiers' | 'rentIncreasePercent'> & {
  unitPrice?: Decimalish | null;
  tiers?: Array<{ upTo: Decimalish | null; unitPrice: Decimalish }> | null;
  rentIncreasePercent?: Decimalish | null;
};

export const METERED: readonly FeeKind[] = ['water', 'electricity', 'gas'];
/** Items billed per room; 'parking' is billed per parking space; the rest may be bound to either. */
export const ROOM_KINDS: readonly FeeKind[] = ['property', 'water', 'electricity', 'gas', 'shared'];
export const EITHER_KINDS: readonly FeeKind[] = ['fixed', 'oneOff', 'rent'];

export interface ValidItem {
  unitPrice: string | null;
  tiers: TierRow[] | null;
  meterKind: MeterKind | null;
  shareMethod: 'area' | 'household' | null;
  lateFee: LateFeeRow | null;
  rentIncreasePercent: string | null;
  rentIncreaseEveryMonths: number | null;
  dueFrom: 'periodStart' | 'periodEnd';
  discounts: Array<{ kind: 'prepay' | 'vacancy' | 'fixed'; payMonths: number | null; freeMonths: number | null; percent: string | null; reductionFen: number | null; validFrom: string | null; validTo: string | null }>;
}

const present = (v: unknown) => v !== null && v !== undefined;

function refuse(field: string, kind: FeeKind): never {
  throw new ValidationError(field, 'validation.notForKind', { kind });
}

function tiersOf(input: NonNullable<ItemDraft['tiers']>): TierRow[] {
  const tiers = input.map((t, i) => ({
    upTo: t.upTo === null ? null : decimalOf(t.upTo, `tiers.${i}.upTo`, { ...PRICE, example: '180' }),
    unitPrice: decimalOf(t.unitPrice, `tiers.${i}.unitPrice`, PRICE),
  }));
  try {
    meteredFeeExact({ usage: '0', tiers });
  } catch (err) {
    throw new ValidationError('tiers', 'validation.tiers', { reason: err instanceof Error ? err.message : String(err) });
  }
  return tiers;
}

function lateFeeOf(input: NonNullable<ItemDraft['lateFee']>): LateFeeRow {
  const capFen = input.capFen ?? null;
  if (present(input.perDayPermille) === present(input.perMonthFen)) throw new ValidationError('lateFee.perDayPermille', 'validation.required');
  if (present(input.perDayPermille)) return { graceDays: input.graceDays, perDayPermille: decimalOf(input.perDayPermille!, 'lateFee.perDayPermille', RATE), capFen };
  return { graceDays: input.graceDays, perMonthFen: input.perMonthFen!, capFen };
}

function discountsOf(input: ItemDraft['discounts']): ValidItem['discounts'] {
  return input.map((d, i) => {
    const f = (name: string) => `discounts.${i}.${name}`;
    const need = (value: unknown, name: string) => {
      if (!present(value)) throw new ValidationError(f(name), 'validation.required');
    };
    if (d.kind === 'prepay') {
      need(d.payMonths, 'payMonths');
      need(d.freeMonths, 'freeMonths');
    }
    if (d.kind === 'vacancy') need(d.percent, 'percent');
    if (d.kind === 'fixed') need(d.reductionFen, 'reductionFen');
    const percent = d.kind === 'vacancy' ? decimalOf(d.percent!, f('percent'), PERCENT) : null;
    if (percent !== null && Number(percent) > 100) throw new ValidationError(f('percent'), 'validation.invalid');
    if (d.validFrom && d.validTo && d.validTo < d.validFrom) throw new ValidationError(f('validTo'), 'validation.dateOrder');
    return {
      kind: d.kind,
      payMonths: d.kind === 'prepay' ? d.payMonths! : null,
      freeMonths: d.kind === 'prepay' ? d.freeMonths! : null,
      percent,
      reductionFen: d.kind === 'fixed' ? d.reductionFen! : null,
      validFrom: d.validFrom ?? null,
      validTo: d.validTo ?? null,
    };
  });
}

/** Checks an item's fields for its kind; returns the values to store or throws a 400 naming the field. */
export function validateItem(d: ItemDraft): ValidItem {
  const kind = d.kind;
  const metered = METERED.includes(kind) || kind === 'shared';
  if (!metered && present(d.tiers)) refuse('tiers', kind);
  if (kind !== 'shared' && present(d.meterKind)) refuse('meterKind', kind);
  if (kind !== 'shared' && present(d.shareMethod)) refuse('shareMethod', kind);
  if (kind !== 'rent' && (present(d.rentIncreasePercent) || present(d.rentIncreaseEveryMonths))) refuse(present(d.rentIncreasePercent) ? 'rentIncreasePercent' : 'rentIncreaseEveryMonths', kind);
  if (metered && present(d.tiers) && present(d.unitPrice)) refuse('tiers', kind);
  if (!present(d.unitPrice) && !(metered && present(d.tiers))) throw new ValidationError('unitPrice', 'validation.required');
  if (kind === 'shared') {
    if (!present(d.meterKind)) throw new ValidationError('meterKind', 'validation.required');
    if (!present(d.shareMethod)) throw new ValidationError('shareMethod', 'validation.required');
  }
  if (kind === 'rent' && present(d.rentIncreasePercent) !== present(d.rentIncreaseEveryMonths)) {
    throw new ValidationError(present(d.rentIncreasePercent) ? 'rentIncreaseEveryMonths' : 'rentIncreasePercent', 'validation.required');
  }
  const discounts = discountsOf(d.discounts ?? []);
  if (kind === 'oneOff' && discounts.some((x) => x.kind !== 'fixed')) refuse('discounts', kind);
  return {
    unitPrice: optionalDecimal(d.unitPrice, 'unitPrice', PRICE),
    tiers: present(d.tiers) ? tiersOf(d.tiers!) : null,
    meterKind: kind === 'shared' ? d.meterKind! : null,
    shareMethod: kind === 'shared' ? d.shareMethod! : null,
    lateFee: present(d.lateFee) ? lateFeeOf(d.lateFee!) : null,
    rentIncreasePercent: optionalDecimal(d.rentIncreasePercent, 'rentIncreasePercent', { ...PERCENT, intDigits: 3 } satisfies DecimalRule),
    rentIncreaseEveryMonths: d.rentIncreaseEveryMonths ?? null,
    dueFrom: d.dueFrom ?? (d.billingMode === 'postpaid' ? 'periodEnd' : 'periodStart'),
    discounts,
  };
}
