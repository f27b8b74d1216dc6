import type { Deps } from '../../deps.ts';
import { AppError } from '../../core/errors.ts';
import type { JobDefinition } from '../jobs/scheduler.ts';
import { type Cycle, periodOf } from './rules.ts';
import { driveRun, openRun } from './runs.ts';
import { addDays } from './values.ts';

/**
 * 自动出账: each community's items with an "auto bill on day N" setting are billed on that day of the month — prepaid
 * items for the period starting this month, post-paid items for the period that just ended. Quarterly, half-yearly
 * and yearly items are billed only in the first month of their period. Items due the same day share one run per
 * period key; a run already in progress for them is left alone.
 */

export function autoBillPeriod(item: { cycle: Cycle; billingMode: 'prepaid' | 'postpaid' }, today: string): string | null {
  const current = periodOf({ cycle: item.cycle, date: today });
  if (current.start.slice(0, 7) !== today.slice(0, 7)) return null;
  return item.billingMode === 'prepaid' ? current.key : periodOf({ cycle: item.cycle, date: addDays(current.start, -1) }).key;
}

export async function autoBill(deps: Pick<Deps, 'db' | 'log'>, companyId: string, communityId: string, today: string) {
  const due = await deps.db
    .selectFrom('fee_item_communities as fc')
    .innerJoin('fee_items as i', 'i.id', 'fc.item_id')
    .select(['i.id', 'i.cycle', 'i.billing_mode', 'i.kind'])
    .where('fc.company_id', '=', companyId)
    .where('fc.community_id', '=', communityId)
    .where('fc.auto_bill_day', '=', Number(today.slice(8, 10)))
    .where('i.active', '=', true)
    .execute();
  const byPeriod = new Map<string, string[]>();
  for (const item of due) {
    const cycle = item.kind === 'oneOff' ? 'monthly' : item.cycle;
    const key = autoBillPeriod({ cycle, billingMode: item.billing_mode }, today);
    if (key) byPeriod.set(key, [...(byPeriod.get(key) ?? []), item.id]);
  }
  const runs: Array<{ periodKey: string; runId?: string; skipped?: string }> = [];
  for (const [periodKey, itemIds] of byPeriod) {
    try {
      const { runId, plan } = await openRun(deps.db, null, { companyId, communityId, periodKey, itemIds, trigger: 'schedule' });
      await driveRun(deps, null, runId, plan);
      runs.push({ periodKey, runId });
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      runs.push({ periodKey, skipped: err.messageKey });
    }
  }
  return { runs };
}

export const autoBillJob: JobDefinition = {
  name: 'billing-auto-run',
  period: 'day',
  scope: 'community',
  run: (deps, job) => autoBill(deps, job.companyId!, job.communityId!, job.periodKey),
};
