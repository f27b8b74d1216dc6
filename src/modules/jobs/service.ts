import type { Deps } from '../../deps.ts';
import { type RequestContext, companyOf, requirePermission } from '../../core/context.ts';
import { offsetOf, type PageQuery } from '../../core/pagination.ts';

/** Recent runs of scheduled jobs for the caller's company's communities (global housekeeping runs are not shown). */
export async function listJobRuns(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: PageQuery & { job?: string }) {
  requirePermission(ctx.actor, 'job.read');
  let base = deps.db.selectFrom('job_runs').where('company_id', '=', companyOf(ctx.actor));
  if (q.job) base = base.where('job', '=', q.job);
  const [rows, count] = await Promise.all([
    base.selectAll().orderBy('id', 'desc').limit(q.pageSize).offset(offsetOf(q)).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    items: rows.map((r) => ({
      id: r.id,
      job: r.job,
      scope: r.scope,
      periodKey: r.period_key,
      instanceId: r.instance_id,
      status: r.status,
      error: r.error,
      startedAt: r.started_at.toISOString(),
      finishedAt: r.finished_at?.toISOString() ?? null,
    })),
    total: count.n,
    page: q.page,
    pageSize: q.pageSize,
  };
}
