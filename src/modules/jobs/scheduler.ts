import type { Deps } from '../../deps.ts';

export type Period = 'minute' | 'hour' | 'day';

export interface JobContext {
  periodKey: string;
  /** The instant of the tick that runs the job (tests pass their own). */
  now: Date;
  communityId: string | null;
  companyId: string | null;
}

/** A periodic job. Community jobs run once per community per period, in the community's time zone. */
export interface JobDefinition {
  name: string;
  period: Period;
  scope: 'global' | 'community';
  run(deps: Deps, job: JobContext): Promise<unknown>;
}

/** The key of the period `at` falls in, read in `timeZone`: '2026-11-22', '2026-11-22T09', '2026-11-22T09:05'. */
export function periodKey(at: Date, period: Period, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const day = `${parts.year}-${parts.month}-${parts.day}`;
  if (period === 'day') return day;
  if (period === 'hour') return `${day}T${parts.hour}`;
  return `${day}T${parts.hour}:${parts.minute}`;
}

export interface Scheduler {
  /** Runs every job that is due now and not yet claimed by any process. Returns the runs this process made. */
  tick(now?: Date): Promise<Array<{ job: string; scope: string; periodKey: string; status: 'succeeded' | 'failed' }>>;
  start(): void;
  stop(): Promise<void>;
}

/**
 * Exactly once per period: before running, a process inserts (job, scope, period) into job_runs; the unique key
 * lets one insert win across all processes sharing the database, and only the winner runs the job.
 */
export function createScheduler(deps: Deps, jobs: JobDefinition[]): Scheduler {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;

  async function claim(job: JobDefinition, scope: string, key: string, companyId: string | null): Promise<number | null> {
    const row = await deps.db
      .insertInto('job_runs')
      .values({ job: job.name, scope, period_key: key, company_id: companyId, instance_id: deps.config.instanceId })
      .onConflict((oc) => oc.columns(['job', 'scope', 'period_key']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return row?.id ?? null;
  }

  async function execute(job: JobDefinition, runId: number, ctx: JobContext) {
    try {
      const result = await job.run(deps, ctx);
      await deps.db.updateTable('job_runs').set({ status: 'succeeded', finished_at: new Date(), result: JSON.stringify(result ?? null) }).where('id', '=', runId).execute();
      return 'succeeded' as const;
    } catch (err) {
      deps.log.error({ err, job: job.name, periodKey: ctx.periodKey, communityId: ctx.communityId }, 'scheduled job failed');
      await deps.db.updateTable('job_runs').set({ status: 'failed', finished_at: new Date(), error: String(err).slice(0, 2000) }).where('id', '=', runId).execute();
      return 'failed' as const;
    }
  }

  async function tick(now = new Date()) {
    const done: Awaited<ReturnType<Scheduler['tick']>> = [];
    const communities = jobs.some((j) => j.scope === 'community')
      ? await deps.db.selectFrom('communities').innerJoin('companies', 'companies.id', 'communities.company_id').select(['communities.id', 'communities.company_id', 'communities.time_zone']).where('companies.status', '=', 'active').execute()
      : [];
    for (const job of jobs) {
      const targets = job.scope === 'global'
        ? [{ scope: 'global', communityId: null, companyId: null, timeZone: 'Asia/Shanghai' }]
        : communities.map((c) => ({ scope: c.id, communityId: c.id, companyId: c.company_id, timeZone: c.time_zone }));
      for (const t of targets) {
        const key = periodKey(now, job.period, t.timeZone);
        const runId = await claim(job, t.scope, key, t.companyId);
        if (runId === null) continue;
        const status = await execute(job, runId, { periodKey: key, now, communityId: t.communityId, companyId: t.companyId });
        done.push({ job: job.name, scope: t.scope, periodKey: key, status });
      }
    }
    return done;
  }

  return {
    tick,
    start() {
      if (timer) return;
      const loop = () => {
        running = tick().catch((err) => deps.log.error({ err }, 'scheduler tick failed')).finally(() => (running = null));
      };
      timer = setInterval(loop, deps.config.schedulerIntervalMs);
      timer.unref();
      setTimeout(loop, 1000).unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}
