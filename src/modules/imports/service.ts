import type { Transaction } from 'kysely';
import type { Deps } from '../../deps.ts';
import type { DB } from '../../db/schema.ts';
import type { Permission } from '../../core/permissions.ts';
import { type Db, type RequestContext, can, canSeeCommunity, companyOf, requirePermission, communityScope } from '../../core/context.ts';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../../core/errors.ts';
import { writeAudit } from '../../core/audit.ts';
import { offsetOf, type Page, type PageQuery } from '../../core/pagination.ts';
import { type ImportKind, SHEET_NAMES } from './columns.ts';
import { render } from './messages.ts';
import { type CommunityCodes, type Counts, type Plan, planParking, planRooms } from './plan.ts';
import { planResidents } from './plan-residents.ts';
import { type JobReport, type JobRow, MAX_REPORTED_ERRORS, STALE_AFTER_MS, claimJob, finishJob, findJob, insertJob, listJobs, recordProgress, visibleCommunities } from './repo.ts';
import { type RoomsExtra, applyRoomsBatch, exportRooms, loadRoomsState, prepareRooms } from './rooms.ts';
import { applyParkingBatch, exportParking, loadSpaces } from './parking.ts';
import { applyResidentsBatch, exportResidents, loadResidentsState } from './residents.ts';
import type { SheetRow } from './rules.ts';
import { type CellValue, readSheet, template, writeSheet } from './xlsx.ts';
import type { ImportJob } from './schema.ts';

/**
 * Excel import and export of rooms, parking spaces and residents. Upload = read + check + compare, stored as a job
 * without writing anything; apply = write the good rows in batches of BATCH rows, one transaction each, progress on
 * the job. Every write is an upsert by natural key, so a re-import or a resumed apply creates no duplicates.
 */

export const BATCH = 500;

interface Community {
  id: string;
  code: string;
  name: string;
}

interface KindHandler {
  read: Permission;
  manage: Permission;
  plan(db: Db, companyId: string, community: Community, codes: CommunityCodes, rows: SheetRow[]): Promise<Plan<unknown> & { extra?: unknown }>;
  /** Runs once before the batches (again on resume); returns what every batch needs. */
  prepare(trx: Transaction<DB>, ctx: RequestContext, companyId: string, communityId: string, extra: unknown): Promise<unknown>;
  applyBatch(trx: Transaction<DB>, ctx: RequestContext, companyId: string, communityId: string, prepared: unknown, items: unknown[]): Promise<Counts>;
  exportRows(db: Db, ctx: RequestContext, companyId: string, community: Community): Promise<CellValue[][]>;
}

const HANDLERS: Record<ImportKind, KindHandler> = {
  rooms: {
    read: 'estate.read',
    manage: 'estate.manage',
    async plan(db, _companyId, community, codes, rows) {
      const p = planRooms(rows, codes, await loadRoomsState(db, community.id));
      return { ...p, extra: { newBuildings: p.newBuildings, newUnits: p.newUnits } satisfies RoomsExtra };
    },
    prepare: (trx, ctx, companyId, communityId, extra) => prepareRooms(trx, ctx, companyId, communityId, extra as RoomsExtra),
    applyBatch: (trx, ctx, companyId, communityId, prepared, items) => applyRoomsBatch(trx, ctx, companyId, communityId, prepared as Awaited<ReturnType<typeof prepareRooms>>, items as never),
    exportRows: (db, _ctx, _companyId, c) => exportRooms(db, c.id, c.code),
  },
  parking: {
    read: 'estate.read',
    manage: 'estate.manage',
    plan: async (db, _companyId, community, codes, rows) => planParking(rows, codes, await loadSpaces(db, community.id)),
    prepare: async () => null,
    applyBatch: (trx, _ctx, companyId, communityId, _prepared, items) => applyParkingBatch(trx, companyId, communityId, items as never),
    exportRows: (db, _ctx, _companyId, c) => exportParking(db, c.id, c.code),
  },
  residents: {
    read: 'resident.read',
    manage: 'resident.manage',
    plan: async (db, companyId, community, codes, rows) => planResidents(rows, codes, await loadResidentsState(db, companyId, community.id, rows)),
    prepare: async () => null,
    applyBatch: (trx, ctx, companyId, communityId, _prepared, items) => applyResidentsBatch(trx, ctx, companyId, communityId, items as never),
    exportRows: (db, ctx, companyId, c) => exportResidents(db, ctx, companyId, c.id, c.code),
  },
};

const STATUS_LABELS = {
  validated: { zh: '已校验', en: 'validated' },
  applying: { zh: '导入中', en: 'applying' },
  applied: { zh: '已导入', en: 'applied' },
  failed: { zh: '失败', en: 'failed' },
} as const;

function toJob(ctx: RequestContext, j: JobRow): ImportJob {
  const report = j.report as JobReport;
  const result = j.result as Counts | null;
  return {
    id: j.id,
    kind: j.kind,
    communityId: j.community_id,
    communityCode: j.community_code,
    communityName: j.community_name,
    fileName: j.file_name,
    status: j.status,
    sheetRows: j.sheet_rows,
    counts: { create: j.to_create, update: j.to_update, unchanged: j.unchanged, error: j.error_rows },
    processed: j.processed,
    total: j.total,
    percent: j.total ? Math.floor((j.processed / j.total) * 1000) / 10 : j.status === 'applied' ? 100 : 0,
    skipErrors: j.skip_errors,
    errors: report.errors.map((e) => ({ row: e.row, column: e.column, reason: render(ctx.lang, e.reason) })),
    errorsTruncated: report.errors.length >= MAX_REPORTED_ERRORS,
    notes: report.notes.map((n) => render(ctx.lang, n)),
    result: result ? { ...result, error: result.error ?? 0 } : null,
    error: j.error,
    createdAt: j.created_at.toISOString(),
    startedAt: j.started_at?.toISOString() ?? null,
    finishedAt: j.finished_at?.toISOString() ?? null,
  };
}

/** A job of the caller's company in a community they see, or 404; then the kind's manage permission. */
async function loadJob(db: Db, ctx: RequestContext, id: string): Promise<JobRow> {
  const job = await findJob(db, companyOf(ctx.actor), id);
  if (!job || !canSeeCommunity(ctx.actor, job.community_id)) throw new NotFoundError('import');
  requirePermission(ctx.actor, HANDLERS[job.kind].manage);
  return job;
}

export async function getImport(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string): Promise<ImportJob> {
  return toJob(ctx, await loadJob(deps.db, ctx, id));
}

export async function listImports(deps: Pick<Deps, 'db'>, ctx: RequestContext, q: PageQuery & { kind?: ImportKind; communityId?: string }): Promise<Page<Omit<ImportJob, 'errors'>>> {
  // Each kind is listed to those who may import it.
  const kinds = (Object.keys(HANDLERS) as ImportKind[]).filter((k) => can(ctx.actor, HANDLERS[k].manage) && (!q.kind || q.kind === k));
  if (!kinds.length) requirePermission(ctx.actor, HANDLERS[q.kind ?? 'rooms'].manage);
  const [rows, count] = await listJobs(deps.db, companyOf(ctx.actor), { communityIds: communityScope(ctx.actor), communityId: q.communityId, kinds, limit: q.pageSize, offset: offsetOf(q) });
  const items = rows.map((r) => {
    const { errors: _, ...job } = toJob(ctx, r);
    return job;
  });
  return { items, total: count.n, page: q.page, pageSize: q.pageSize };
}

export async function downloadTemplate(ctx: RequestContext, kind: ImportKind): Promise<{ fileName: string; data: Buffer }> {
  requirePermission(ctx.actor, HANDLERS[kind].read);
  return { fileName: `${SHEET_NAMES[kind]}导入模板.xlsx`, data: await template(kind) };
}

/** Reads, checks and compares a sheet and stores the result as a job. Writes nothing else. */
export async function validateImport(
  deps: Pick<Deps, 'db'>,
  ctx: RequestContext,
  input: { kind: ImportKind; fileName: string; data: Buffer; communityId?: string },
): Promise<ImportJob> {
  const handler = HANDLERS[input.kind];
  requirePermission(ctx.actor, handler.manage);
  const companyId = companyOf(ctx.actor);
  const { rows } = await readSheet(input.kind, input.data);
  const visible = await visibleCommunities(deps.db, ctx.actor, companyId);
  let community: Community | undefined;
  if (input.communityId) {
    community = visible.find((c) => c.id === input.communityId);
    if (!community) throw new ValidationError('communityId', 'validation.unknownIds');
  } else {
    // Without communityId the sheet names it: the first row whose 小区编码 is one of the caller's communities.
    const byCode = new Map(visible.map((c) => [c.code, c]));
    community = rows.map((r) => byCode.get(r.cells.communityCode?.trim() ?? '')).find(Boolean);
    if (!community) throw new ValidationError('communityId', 'validation.required');
  }
  const plan = await handler.plan(deps.db, companyId, community, { code: community.code, visible: new Set(visible.map((c) => c.code)) }, rows);
  const id = await deps.db.transaction().execute(async (trx) => {
    const job = await insertJob(trx, {
      companyId,
      communityId: community.id,
      kind: input.kind,
      fileName: input.fileName.slice(0, 200) || `${input.kind}.xlsx`,
      sheetRows: rows.length,
      counts: plan.counts,
      report: { errors: plan.errors, notes: plan.notes, extra: plan.extra },
      rows: plan.items,
      userId: ctx.actor.userId,
    });
    await writeAudit(trx, ctx, { action: 'import.validate', entityType: 'importJob', entityId: job.id, after: { kind: input.kind, communityId: community.id, fileName: input.fileName, ...plan.counts } });
    return job.id;
  });
  return getImport(deps, ctx, id);
}

/**
 * Writes the good rows in batches, each batch and its progress in one transaction. A job whose process died while
 * applying resumes where its last committed batch ended; rows are upserts, so repeating one changes nothing.
 */
export async function applyImport(deps: Pick<Deps, 'db'>, ctx: RequestContext, id: string, opts: { skipErrors: boolean }): Promise<ImportJob> {
  const companyId = companyOf(ctx.actor);
  const job = await loadJob(deps.db, ctx, id);
  const busy = job.status === 'applying' && Date.now() - job.updated_at.getTime() < STALE_AFTER_MS;
  if (job.status === 'applied' || busy) throw new ConflictError('conflict.importState', { status: STATUS_LABELS[job.status][ctx.lang === 'en' ? 'en' : 'zh'] }, { status: job.status });
  if (job.error_rows > 0 && !opts.skipErrors) {
    // 422 with the count of bad rows; core messages have no key for this, so the text travels in {status}.
    throw new AppError(422, 'IMPORT_HAS_ERRORS', 'conflict.importState', { status: render(ctx.lang, { key: 'import.hasErrors', params: { count: job.error_rows } }) }, { errorRows: job.error_rows, field: 'skipErrors' });
  }
  const claim = await claimJob(deps.db, companyId, id, ctx.actor.userId, opts.skipErrors);
  if (!claim) throw new ConflictError('conflict.importState', { status: STATUS_LABELS.applying[ctx.lang === 'en' ? 'en' : 'zh'] }, { status: 'applying' });
  const handler = HANDLERS[job.kind];
  let totals: Counts = claim.result ?? { create: 0, update: 0, unchanged: 0, error: 0 };
  try {
    const prepared = await deps.db.transaction().execute((trx) => handler.prepare(trx, ctx, companyId, job.community_id, (job.report as JobReport).extra));
    for (let from = claim.processed; from < claim.total; from += BATCH) {
      const items = claim.rows.slice(from, from + BATCH);
      totals = await deps.db.transaction().execute(async (trx) => {
        const c = await handler.applyBatch(trx, ctx, companyId, job.community_id, prepared, items);
        const next = { create: totals.create + c.create, update: totals.update + c.update, unchanged: totals.unchanged + c.unchanged, error: job.error_rows };
        await recordProgress(trx, id, from + items.length, next);
        return next;
      });
    }
    await deps.db.transaction().execute(async (trx) => {
      await finishJob(trx, id, 'applied');
      await writeAudit(trx, ctx, { action: 'import.apply', entityType: 'importJob', entityId: id, after: { kind: job.kind, communityId: job.community_id, fileName: job.file_name, skipErrors: opts.skipErrors, ...totals } });
    });
  } catch (err) {
    // The committed batches stay; the job can be applied again and resumes after them.
    await finishJob(deps.db, id, 'failed', err instanceof Error ? err.message.slice(0, 500) : String(err)).catch(() => undefined);
    throw err;
  }
  return getImport(deps, ctx, id);
}

export async function exportKind(deps: Pick<Deps, 'db'>, ctx: RequestContext, kind: ImportKind, communityId: string): Promise<{ fileName: string; data: Buffer }> {
  const handler = HANDLERS[kind];
  requirePermission(ctx.actor, handler.read);
  const companyId = companyOf(ctx.actor);
  const community = (await visibleCommunities(deps.db, ctx.actor, companyId)).find((c) => c.id === communityId);
  if (!community) throw new ValidationError('communityId', 'validation.unknownIds');
  const rows = await handler.exportRows(deps.db, ctx, companyId, community);
  // Exports carry personal data (in full for roles with personal.viewFull): who took which list is recorded.
  await deps.db.transaction().execute((trx) =>
    writeAudit(trx, ctx, { action: 'import.export', entityType: 'community', entityId: community.id, after: { kind, rows: rows.length, personalFull: kind === 'residents' && can(ctx.actor, 'personal.viewFull') } }),
  );
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '');
  return { fileName: `${community.code}-${SHEET_NAMES[kind]}-${day}.xlsx`, data: await writeSheet(kind, rows) };
}
