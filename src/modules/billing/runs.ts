import { sql } from 'kysely';
import type { Deps } from '../../deps.ts';
import { type Db, type RequestContext, canSeeCommunity, communityScope, companyOf, requirePermission } from '../../core/context.ts';
import { ConflictError, NotFoundError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import { offsetOf, type Page, type PageQuery } from '../../core/pagination.ts';
import { assertCommunity } from '../estate/repo.ts';
import { BATCH, computeBatch, countTargets, existingKeys, insertLines } from './engine.ts';
import { type RunPlan, buildPlan, resolveItems } from './plan.ts';
import { periodOfKey } from './values.ts';
import { settleCommunity } from './payments.ts';
import type { BillRun, Preview, RunInput } from './schema.ts';

/**
 * 出账: bill runs. A run is created for a community, a period and a set of items, then processed batch by batch
 * (progress and heartbeat saved with each batch). A run whose process died — 'running' with a heartbeat older than
 * STALE_AFTER_MS — or that failed can be resumed; lines are keyed, so resuming never duplicates one.
 */

export const STALE_AFTER_MS = 2 * 60_000;

const STATUS_LABELS = {
  running: { zh: '出账中', en: 'running' },
  completed: { zh: '已完成', en: 'completed' },
  failed: { zh: '失败', en: 'failed' },
  revoked: { zh: '已撤销', en: 'revoked' },
} as const;
const label = (ctx: RequestContext | null, status: keyof typeof STATUS_LABELS) => STATUS_LABELS[status][ctx?.lang === 'en' ? 'en' : 'zh'];

function selectRuns(db: Db, companyId: string) {
  return db
    .selectFrom('bill_runs as b')
    .innerJoin('communities as c', 'c.id', 'b.community_id')
    .leftJoin('users as u', 'u.id', 'b.created_by')
    .where('b.company_id', '=', companyId)
    .select(['b.id', 'b.company_id', 'b.community_id', 'c.name as community_name', 'b.period_key', 'b.item_ids', 'b.status', 'b.trigger', 'b.total', 'b.processed', 'b.cursor', 'b.lines_created', 'b.amount_fen', 'b.error', 'u.display_name', 'b.started_at', 'b.heartbeat_at', 'b.finished_at', 'b.revoked_at']);
}
type RunRow = Awaited<ReturnType<ReturnType<typeof selectRuns>['executeTakeFirstOrThrow']>>;

function toRun(r: RunRow): BillRun {
  return {
    id: r.id,
    communityId: r.community_id,
    communityName: r.community_name,
    periodKey: r.period_key,
    itemIds: r.item_ids,
    status: r.status,
    trigger: r.trigger,
    total: r.total,
    processed: r.processed,
    percent: r.status === 'completed' ? 100 : r.total ? Math.min(100, Math.floor((r.processed / r.total) * 1000) / 10) : 0,
    linesCreated: r.lines_created,
    amountFen: Number(r.amount_fen),
    error: r.error,
    createdBy: r.display_name,
    startedAt: r.started_at.toISOString(),
    heartbeatAt: r.heartbeat_at.toISOString(),
    finishedAt: r.finished_at?.toISOString() ?? null,
    revokedAt: r.revoked_at?.toISOString() ?? null,
  };
}

async function loadRun(db: Db, ctx: RequestContext, id: string): Promise<RunRow> {
  const row = await selectRuns(db, companyOf(ctx.actor)).where('b.id', '=', id).executeTakeFirst();
  if (!row || !canSeeCommunity(ctx.actor, row.community_id)) throw new NotFoundError('billRun');
  return row;
}

export async function getRun(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string): Promise<BillRun> {
  requirePermission(ctx.actor, 'billing.read');
  return toRun(await loadRun(deps.db, ctx, id));
}

export async function listRuns(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: PageQuery & { communityId?: string; periodKey?: string; status?: BillRun['status'] }): Promise<Page<BillRun>> {
  requirePermission(ctx.actor, 'billing.read');
  const scope = communityScope(ctx.actor);
  const base = selectRuns(deps.db, companyOf(ctx.actor))
    .$if(scope !== null, (qb) => qb.where('b.community_id', 'in', scope!))
    .$if(Boolean(q.communityId), (qb) => qb.where('b.community_id', '=', q.communityId!))
    .$if(Boolean(q.periodKey), (qb) => qb.where('b.period_key', '=', q.periodKey!))
    .$if(Boolean(q.status), (qb) => qb.where('b.status', '=', q.status!));
  const [rows, count] = await Promise.all([
    base.orderBy('b.started_at', 'desc').orderBy('b.id').limit(q.pageSize).offset(offsetOf(q)).execute(),
    base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toRun), total: count.n, page: q.page, pageSize: q.pageSize };
}

/** The plan of a run's community, period and items (checked as when it was created). */
export async function planOf(db: Db, run: { company_id: string; community_id: string; period_key: string; item_ids?: string[] }, itemIds?: string[]): Promise<RunPlan> {
  const period = periodOfKey(run.period_key);
  const items = await resolveItems(db, run.company_id, run.community_id, period.key, itemIds ?? run.item_ids);
  return buildPlan(db, { companyId: run.company_id, communityId: run.community_id, period, items });
}

/** What a run would bill, per item, without writing: new lines and their total, lines already billed, readings missing. */
export async function previewRun(deps: Pick<Deps, 'db'>, ctx: RequestContext, input: RunInput): Promise<Preview> {
  requirePermission(ctx.actor, 'billing.manage');
  const companyId = companyOf(ctx.actor);
  await assertCommunity(deps.db, ctx.actor, companyId, input.communityId);
  const period = periodOfKey(input.periodKey);
  const plan = await planOf(deps.db, { company_id: companyId, community_id: input.communityId, period_key: period.key }, input.itemIds);
  const perItem = new Map(plan.items.map((i) => [i.id, { itemId: i.id, itemName: i.name, kind: i.kind, lines: 0, amountFen: 0, existing: 0, existingAmountFen: 0, missingReadings: 0, readingsInReview: 0, zero: 0 }]));
  let targets = 0;
  for (let cursor: string | null = null; ; ) {
    const batch = await computeBatch(deps.db, plan, cursor, BATCH * 2);
    if (!batch.targets.length) break;
    targets += batch.targets.length;
    const existing = await existingKeys(deps.db, plan, batch.lines);
    for (const line of batch.lines) {
      const p = perItem.get(line.itemId)!;
      const had = existing.get(`${line.itemId}:${line.targetId}:${line.periodKey}`);
      if (had === undefined) {
        p.lines += 1;
        p.amountFen += line.amountFen;
      } else {
        p.existing += 1;
        p.existingAmountFen += had;
      }
    }
    for (const [itemId, s] of batch.stats) {
      const p = perItem.get(itemId)!;
      p.missingReadings += s.missingReadings;
      p.readingsInReview += s.readingsInReview;
      p.zero += s.zero;
      p.existing += s.overlapping;
    }
    cursor = batch.targets[batch.targets.length - 1];
  }
  const items = [...perItem.values()];
  return {
    communityId: input.communityId,
    periodKey: period.key,
    periodStart: period.start,
    periodEnd: period.end,
    targets,
    items,
    totals: { lines: items.reduce((s, i) => s + i.lines, 0), amountFen: items.reduce((s, i) => s + i.amountFen, 0), existing: items.reduce((s, i) => s + i.existing, 0) },
  };
}

/** One run at a time per community, period and overlapping items: taken under a per-community advisory lock. */
async function assertNoActiveRun(db: Db, companyId: string, communityId: string, periodKey: string, itemIds: string[], exceptId?: string) {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`bill-run:${communityId}`}, 0))`.execute(db);
  const active = await db
    .selectFrom('bill_runs')
    .select('id')
    .where('company_id', '=', companyId)
    .where('community_id', '=', communityId)
    .where('period_key', '=', periodKey)
    .where('status', '=', 'running')
    .where(sql<boolean>`item_ids && ${itemIds}::uuid[]`)
    .$if(Boolean(exceptId), (qb) => qb.where('id', '<>', exceptId!))
    .executeTakeFirst();
  if (active) throw new ConflictError('conflict.runActive', { periodKey }, { runId: active.id });
}

/**
 * Creates the run record (status 'running', total = targets to process) and returns it with its plan; the caller
 * drives it with `driveRun`. `ctx` is null for runs the scheduler makes.
 */
export async function openRun(db: Deps['db'], ctx: RequestContext | null, args: { companyId: string; communityId: string; periodKey: string; itemIds?: string[]; trigger: 'manual' | 'schedule' }) {
  const period = periodOfKey(args.periodKey);
  const plan = await planOf(db, { company_id: args.companyId, community_id: args.communityId, period_key: period.key }, args.itemIds);
  const itemIds = plan.items.map((i) => i.id);
  const total = await countTargets(db, plan);
  const runId = await db.transaction().execute(async (trx) => {
    await assertNoActiveRun(trx, args.companyId, args.communityId, period.key, itemIds);
    const row = await trx
      .insertInto('bill_runs')
      .values({ company_id: args.companyId, community_id: args.communityId, period_key: period.key, item_ids: itemIds, trigger: args.trigger, total, created_by: ctx?.actor.userId ?? null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, { action: 'billRun.create', entityType: 'billRun', entityId: row.id, companyId: args.companyId, after: { communityId: args.communityId, periodKey: period.key, itemIds, total, trigger: args.trigger } });
    return row.id;
  });
  return { runId, plan };
}

/**
 * Processes the next batch of a running run: computes its lines, then in one transaction (run row locked, cursor
 * unchanged) inserts them and saves progress and heartbeat. Returns whether the run has no targets left.
 */
export async function processBatch(db: Deps['db'], runId: string, plan: RunPlan, size = BATCH): Promise<{ done: boolean; created: number }> {
  const run = await db.selectFrom('bill_runs').select(['status', 'cursor']).where('id', '=', runId).where('company_id', '=', plan.companyId).executeTakeFirstOrThrow();
  if (run.status !== 'running') throw new ConflictError('conflict.runState', { status: label(null, run.status) }, { status: run.status });
  const batch = await computeBatch(db, plan, run.cursor, size);
  if (!batch.targets.length) return { done: true, created: 0 };
  const created = await db.transaction().execute(async (trx) => {
    const locked = await trx.selectFrom('bill_runs').select(['status', 'cursor']).where('id', '=', runId).forUpdate().executeTakeFirstOrThrow();
    // Another process took the run over (a resume) and moved on: leave this batch to it.
    if (locked.status !== 'running' || locked.cursor !== run.cursor) throw new ConflictError('conflict.runState', { status: label(null, locked.status) }, { status: locked.status });
    const inserted = await insertLines(trx, plan, runId, batch.lines);
    await trx
      .updateTable('bill_runs')
      .set({
        processed: sql`processed + ${batch.targets.length}`,
        cursor: batch.targets[batch.targets.length - 1],
        lines_created: sql`lines_created + ${inserted.created}`,
        amount_fen: sql`amount_fen + ${inserted.amountFen}`,
        heartbeat_at: new Date(),
      })
      .where('id', '=', runId)
      .execute();
    return inserted.created;
  });
  return { done: batch.targets.length < size, created };
}

/** Runs batches until none is left, then completes the run; on an error the run is marked failed (resumable). */
export async function driveRun(deps: Pick<Deps, 'db' | 'log'>, ctx: RequestContext | null, runId: string, plan: RunPlan, size = BATCH): Promise<void> {
  try {
    for (;;) {
      const { done } = await processBatch(deps.db, runId, plan, size);
      if (done) break;
    }
    await deps.db.transaction().execute(async (trx) => {
      const run = await trx
        .updateTable('bill_runs')
        .set({ status: 'completed', finished_at: new Date(), heartbeat_at: new Date(), total: sql`GREATEST(total, processed)` })
        .where('id', '=', runId)
        .where('status', '=', 'running')
        .returning(['lines_created', 'amount_fen', 'processed'])
        .executeTakeFirstOrThrow();
      await writeAudit(trx, ctx, { action: 'billRun.complete', entityType: 'billRun', entityId: runId, companyId: plan.companyId, after: { lines: run.lines_created, amountFen: run.amount_fen, targets: run.processed } });
    });
    // Prepaid balances settle the new lines of items that allow automatic deduction.
    await settleCommunity(deps.db, plan.companyId, plan.communityId).catch((err: unknown) => deps.log.error({ err, runId }, 'automatic deduction after the bill run failed'));
  } catch (err) {
    if (!(err instanceof ConflictError)) {
      deps.log.error({ err, runId }, 'bill run failed');
      await deps.db
        .updateTable('bill_runs')
        .set({ status: 'failed', error: err instanceof Error ? err.message.slice(0, 500) : String(err).slice(0, 500) })
        .where('id', '=', runId)
        .where('status', '=', 'running')
        .execute()
        .catch(() => undefined);
    }
    throw err;
  }
}

export async function createRun(deps: Pick<Deps, 'db' | 'log'>, ctx: RequestContext, input: RunInput): Promise<BillRun> {
  requirePermission(ctx.actor, 'billing.manage');
  const companyId = companyOf(ctx.actor);
  await assertCommunity(deps.db, ctx.actor, companyId, input.communityId);
  const { runId, plan } = await openRun(deps.db, ctx, { companyId, communityId: input.communityId, periodKey: input.periodKey, itemIds: input.itemIds, trigger: 'manual' });
  await driveRun(deps, ctx, runId, plan);
  return getRun(deps, ctx, runId);
}

/** Continues a run that failed or whose process died (heartbeat older than STALE_AFTER_MS) from its last batch. */
export async function resumeRun(deps: Pick<Deps, 'db' | 'log'>, ctx: RequestContext, id: string): Promise<BillRun> {
  requirePermission(ctx.actor, 'billing.manage');
  const run = await loadRun(deps.db, ctx, id);
  const plan = await planOf(deps.db, run);
  await deps.db.transaction().execute(async (trx) => {
    await assertNoActiveRun(trx, run.company_id, run.community_id, run.period_key, run.item_ids, run.id);
    const claimed = await trx
      .updateTable('bill_runs')
      .set({ status: 'running', heartbeat_at: new Date(), error: null })
      .where('id', '=', id)
      .where('company_id', '=', run.company_id)
      .where((eb) => eb.or([eb('status', '=', 'failed'), eb.and([eb('status', '=', 'running'), eb('heartbeat_at', '<', new Date(Date.now() - STALE_AFTER_MS))])]))
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) throw new ConflictError('conflict.runState', { status: label(ctx, run.status) }, { status: run.status });
    await writeAudit(trx, ctx, { action: 'billRun.resume', entityType: 'billRun', entityId: id, before: { status: run.status, processed: run.processed, heartbeatAt: run.heartbeat_at }, after: { status: 'running' } });
  });
  await driveRun(deps, ctx, id, plan);
  return getRun(deps, ctx, id);
}

/** 撤销出账: every line of the run is revoked, freeing its key for a new run — refused if any line has a payment. */
export async function revokeRun(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string): Promise<BillRun> {
  requirePermission(ctx.actor, 'billing.manage');
  await deps.db.transaction().execute(async (trx) => {
    const run = await loadRun(trx, ctx, id);
    await trx.selectFrom('bill_runs').select('id').where('id', '=', id).forUpdate().execute();
    const current = await trx.selectFrom('bill_runs').select(['status', 'heartbeat_at']).where('id', '=', id).executeTakeFirstOrThrow();
    const live = current.status === 'running' && Date.now() - current.heartbeat_at.getTime() < STALE_AFTER_MS;
    if (current.status === 'revoked' || live) throw new ConflictError('conflict.runState', { status: label(ctx, current.status) }, { status: current.status });
    // Lock the run's lines, so a payment cannot land between the check and the revocation.
    const lines = await trx.selectFrom('bill_lines').select(['id', 'paid_fen', 'amount_fen']).where('run_id', '=', id).where('company_id', '=', run.company_id).where('status', '<>', 'revoked').forUpdate().execute();
    const paid = lines.filter((l) => l.paid_fen > 0).length;
    if (paid) throw new ConflictError('conflict.runPaid', { count: paid }, { paidLines: paid });
    const now = new Date();
    await trx.updateTable('bill_lines').set({ status: 'revoked', revoked_at: now, updated_at: now }).where('run_id', '=', id).where('company_id', '=', run.company_id).where('status', '<>', 'revoked').execute();
    await trx.updateTable('bill_runs').set({ status: 'revoked', revoked_at: now, revoked_by: ctx.actor.userId, finished_at: sql`COALESCE(finished_at, ${now})` }).where('id', '=', id).execute();
    await writeAudit(trx, ctx, { action: 'billRun.revoke', entityType: 'billRun', entityId: id, before: { status: current.status }, after: { status: 'revoked', lines: lines.length, amountFen: lines.reduce((s, l) => s + l.amount_fen, 0) } });
  });
  return getRun(deps, ctx, id);
}
