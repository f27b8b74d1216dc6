import ExcelJS from 'exceljs';
import type { Deps } from '../../deps.ts';
import { type RequestContext, companyOf, requirePermission } from '../../core/context.ts';
import { AppError, ValidationError } from '../../core/errors.ts';
import { type MessageKey, t } from '../../core/messages.ts';
import { writeAudit } from '../../core/audit.ts';
import { assertCommunity } from '../estate/repo.ts';
import { cellText } from '../imports/xlsx.ts';
import { selectMeters } from './meters.ts';
import { type PlannedReading, insertReading, planReading } from './readings.ts';
import { jumpFactorOf } from './settings.ts';

/**
 * 抄表导入: a sheet of readings (表号, 期间, 读数, optional 抄表日期 and 抄表员) for one community. Every row is checked
 * as if entered by hand; any bad row → a 400 listing row, column and reason, and nothing is written. Otherwise all
 * rows are written in one transaction.
 */

export const MAX_READING_ROWS = 20_000;
const MAX_REPORTED = 2000;

const COLUMNS = [
  { key: 'number', header: '表号', required: true },
  { key: 'periodKey', header: '期间', required: true },
  { key: 'reading', header: '读数', required: true },
  { key: 'readAt', header: '抄表日期', required: false },
  { key: 'reader', header: '抄表员', required: false },
] as const;
type Key = (typeof COLUMNS)[number]['key'];
const HEADER_OF: Record<Key, string> = Object.fromEntries(COLUMNS.map((c) => [c.key, c.header])) as Record<Key, string>;
/** Which column an error about a field belongs to. */
const COLUMN_OF_FIELD: Record<string, Key> = { meterId: 'number', number: 'number', periodKey: 'periodKey', reading: 'reading', readAt: 'readAt' };

interface Row {
  row: number;
  cells: Record<Key, string>;
}

async function readRows(data: Buffer): Promise<Row[]> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    throw new ValidationError('file', 'validation.xlsx');
  }
  const ws = wb.worksheets[0];
  if (!ws) throw new ValidationError('file', 'validation.xlsx');
  const byIndex = new Map<number, Key>();
  (ws.getRow(1).values as unknown[]).forEach((v, i) => {
    const c = COLUMNS.find((col) => col.header === cellText(v).replace(/\s|\*/g, ''));
    if (c) byIndex.set(i, c.key);
  });
  const missing = COLUMNS.find((c) => c.required && ![...byIndex.values()].includes(c.key));
  if (missing) throw new ValidationError(missing.header, 'validation.required');
  const rows: Row[] = [];
  ws.eachRow((r, n) => {
    if (n === 1) return;
    const values = r.values as unknown[];
    const cells = { number: '', periodKey: '', reading: '', readAt: '', reader: '' } as Record<Key, string>;
    for (const [i, key] of byIndex) cells[key] = cellText(values[i]);
    if (Object.values(cells).some(Boolean)) rows.push({ row: n, cells });
  });
  if (rows.length > MAX_READING_ROWS) throw new ValidationError('file', 'validation.tooManyRows', { max: MAX_READING_ROWS });
  return rows;
}

/** A period typed as a date by Excel ("2026-11-01") means its month. */
function periodText(text: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) ? text.slice(0, 7) : text;
}

export async function importReadings(deps: Pick<Deps, 'db'>, ctx: RequestContext, input: { communityId: string; data: Buffer }): Promise<{ imported: number; review: number }> {
  requirePermission(ctx.actor, 'billing.manage');
  const companyId = companyOf(ctx.actor);
  await assertCommunity(deps.db, ctx.actor, companyId, input.communityId);
  const rows = await readRows(input.data);
  const jumpFactor = await jumpFactorOf(deps.db, companyId);
  const lang = ctx.lang;
  return deps.db.transaction().execute(async (trx) => {
    const numbers = [...new Set(rows.map((r) => r.cells.number).filter(Boolean))];
    const meters = numbers.length
      ? await selectMeters(trx, companyId).where('m.community_id', '=', input.communityId).where('m.status', '=', 'active').where('m.number', 'in', numbers).execute()
      : [];
    if (meters.length) await trx.selectFrom('meters').select('id').where('id', 'in', meters.map((m) => m.id)).forUpdate().execute();
    const byNumber = new Map(meters.map((m) => [m.number, m]));
    const errors: Array<{ row: number; column: string; reason: string }> = [];
    const fail = (row: number, key: Key, message: MessageKey, params: Record<string, string | number> = {}) => errors.push({ row, column: HEADER_OF[key], reason: t(lang, message, { field: HEADER_OF[key], ...params }) });
    const firstRow = new Map<string, number>();
    const planned: Array<{ row: Row; meter: (typeof meters)[number]; plan: PlannedReading }> = [];
    for (const row of rows) {
      const c = row.cells;
      const missing = COLUMNS.find((col) => col.required && !c[col.key]);
      if (missing) {
        fail(row.row, missing.key, 'validation.required');
        continue;
      }
      const meter = byNumber.get(c.number);
      if (!meter) {
        fail(row.row, 'number', 'billing.meterUnknown', { number: c.number });
        continue;
      }
      if (firstRow.has(c.number)) {
        fail(row.row, 'number', 'billing.duplicateRow', { row: firstRow.get(c.number)! });
        continue;
      }
      firstRow.set(c.number, row.row);
      if (c.readAt && !/^\d{4}-\d{2}-\d{2}$/.test(c.readAt)) {
        fail(row.row, 'readAt', 'validation.format');
        continue;
      }
      try {
        planned.push({ row, meter, plan: await planReading(trx, meter, { periodKey: periodText(c.periodKey), reading: c.reading }, jumpFactor) });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        const field = String(err.params.field ?? (err.details as { field?: string } | undefined)?.field ?? 'reading');
        const key = COLUMN_OF_FIELD[field] ?? 'reading';
        errors.push({ row: row.row, column: HEADER_OF[key], reason: t(lang, err.messageKey, { ...err.params, field: HEADER_OF[key] }) });
      }
    }
    if (errors.length) {
      throw new AppError(400, 'VALIDATION_FAILED', 'validation.importRows', { count: errors.length, field: 'file' }, { field: 'file', errors: errors.slice(0, MAX_REPORTED), truncated: errors.length > MAX_REPORTED });
    }
    for (const p of planned) {
      await insertReading(trx, ctx, p.meter, p.plan, { readAt: p.row.cells.readAt ? `${p.row.cells.readAt}T00:00:00+08:00` : null, readerName: p.row.cells.reader || null, source: 'xlsx' });
    }
    const review = planned.filter((p) => p.plan.status === 'review').length;
    await writeAudit(trx, ctx, { action: 'meterReading.import', entityType: 'community', entityId: input.communityId, after: { rows: rows.length, imported: planned.length, review } });
    return { imported: planned.length, review };
  });
}
