import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { ValidationError } from '../../core/errors.ts';
import { type Column, COLUMNS, EXAMPLES, type ImportKind, SHEET_NAMES } from './columns.ts';
import type { SheetRow } from './rules.ts';

/** Reading and writing the .xlsx files of imports, templates and exports. */

export const MAX_ROWS = 50_000;
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The text of a cell as a person sees it: numbers unformatted, dates as YYYY-MM-DD, formulas by their result. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Math.round(value * 1e6) / 1e6);
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    const v = value as { richText?: Array<{ text: string }>; result?: unknown; text?: unknown; error?: string };
    if (Array.isArray(v.richText)) return v.richText.map((p) => p.text).join('').trim();
    if ('result' in v) return cellText(v.result);
    if ('text' in v) return cellText(v.text);
    if (v.error) return v.error;
  }
  return String(value).trim();
}

/**
 * Reads the first sheet: row 1 holds the headers (matched by their Chinese name, in any order; unknown columns are
 * ignored), every non-empty row after it is data. Streams the file so memory stays flat for large sheets.
 */
export async function readSheet(kind: ImportKind, data: Buffer): Promise<{ rows: SheetRow[] }> {
  const known = new Map(COLUMNS[kind].map((c) => [c.header, c]));
  const byIndex = new Map<number, Column>();
  const rows: SheetRow[] = [];
  let headerSeen = false;
  try {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(data), { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit', entries: 'emit' });
    for await (const sheet of reader) {
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        const values = row.values as unknown[];
        if (!headerSeen) {
          values.forEach((v, i) => {
            const c = known.get(cellText(v).replace(/\s|\*/g, ''));
            if (c) byIndex.set(i, c);
          });
          headerSeen = true;
          continue;
        }
        const cells: Record<string, string> = {};
        let empty = true;
        for (const [i, c] of byIndex) {
          cells[c.key] = cellText(values[i]);
          if (cells[c.key]) empty = false;
        }
        if (empty) continue;
        if (rows.length >= MAX_ROWS) throw new ValidationError('file', 'validation.tooManyRows', { max: MAX_ROWS });
        rows.push({ row: row.number, cells });
      }
      break; // only the first sheet
    }
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    throw new ValidationError('file', 'validation.xlsx');
  }
  if (!headerSeen) throw new ValidationError('file', 'validation.xlsx');
  const present = new Set([...byIndex.values()].map((c) => c.key));
  const missing = COLUMNS[kind].find((c) => c.required && !present.has(c.key));
  if (missing) throw new ValidationError(missing.header, 'validation.required');
  return { rows };
}

export type CellValue = string | number | null;

/**
 * A workbook of one kind: bold frozen header row, column widths, text format where digits must survive (phones,
 * ID numbers), dropdowns on enum columns and notes on the headers that need explaining.
 */
export async function writeSheet(kind: ImportKind, rows: CellValue[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Anju 安居';
  const ws = wb.addWorksheet(SHEET_NAMES[kind], { views: [{ state: 'frozen', ySplit: 1 }] });
  const columns = COLUMNS[kind];
  ws.columns = columns.map((c) => ({ header: c.header, key: c.key, width: c.width, style: c.text ? { numFmt: '@' } : {} }));
  const header = ws.getRow(1);
  header.font = { bold: true };
  header.eachCell((cell, i) => {
    const c = columns[i - 1];
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: c.required ? 'FFFCE4D6' : 'FFDDEBF7' } };
    if (c.note) cell.note = c.note;
  });
  for (const r of rows) ws.addRow(r);
  const last = Math.max(rows.length + 1, 1000);
  // One validation per column range rather than per cell (exceljs has the range API but not its type).
  const validations = (ws as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations;
  columns.forEach((c, i) => {
    if (!c.options) return;
    const letter = ws.getColumn(i + 1).letter;
    validations.add(`${letter}2:${letter}${last}`, {
      type: 'list',
      allowBlank: !c.required,
      formulae: [`"${c.options.join(',')}"`],
      showErrorMessage: true,
      errorTitle: c.header,
      error: `请选择：${c.options.join('、')}`,
    });
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export function template(kind: ImportKind): Promise<Buffer> {
  return writeSheet(kind, [EXAMPLES[kind]]);
}
