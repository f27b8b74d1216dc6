import type { Deps } from '../../deps.ts';
import { type Db, type RequestContext, companyOf, requirePermission } from '../../core/context.ts';
import { ValidationError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import { decimalOf } from './values.ts';

/** A company's billing settings; defaults until an administrator changes them. */

const DEFAULT_JUMP_FACTOR = '3';

export async function jumpFactorOf(db: Db, companyId: string): Promise<string> {
  const row = await db.selectFrom('billing_settings').select('jump_factor').where('company_id', '=', companyId).executeTakeFirst();
  return row?.jump_factor ?? DEFAULT_JUMP_FACTOR;
}

export async function getBillingSettings(deps: Pick<Deps, 'db'>, ctx: RequestContext) {
  requirePermission(ctx.actor, 'billing.read');
  return { jumpFactor: await jumpFactorOf(deps.db, companyOf(ctx.actor)) };
}

export async function updateBillingSettings(deps: Pick<Deps, 'db'>, ctx: RequestContext, input: { jumpFactor: string | number }) {
  requirePermission(ctx.actor, 'billing.manage');
  const companyId = companyOf(ctx.actor);
  const jumpFactor = decimalOf(input.jumpFactor, 'jumpFactor', { scale: 2, sign: 'positive', intDigits: 4, example: '3' });
  if (Number(jumpFactor) <= 1) throw new ValidationError('jumpFactor', 'validation.invalid');
  await deps.db.transaction().execute(async (trx) => {
    const before = await jumpFactorOf(trx, companyId);
    await trx
      .insertInto('billing_settings')
      .values({ company_id: companyId, jump_factor: jumpFactor })
      .onConflict((oc) => oc.column('company_id').doUpdateSet({ jump_factor: jumpFactor, updated_at: new Date() }))
      .execute();
    await writeAudit(trx, ctx, { action: 'billingSettings.update', entityType: 'company', entityId: companyId, before: { jumpFactor: before }, after: { jumpFactor } });
  });
  return getBillingSettings(deps, ctx);
}
