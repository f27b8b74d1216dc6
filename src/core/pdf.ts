import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';

/**
 * Printed documents (收据, 催缴通知书, …): a pdfkit document with Noto Sans SC registered, rendered to a Buffer, and a
 * plain bordered table that breaks across pages. pdfkit embeds only the glyphs a document uses (with a ToUnicode
 * map, so the text can be searched and copied), which keeps a one-page receipt near 20 KB although the font is 10 MB.
 */

export type Pdf = PDFKit.PDFDocument;

/** Names the fonts are registered under in every document made by `renderPdf`. */
export const FONT = { regular: 'NotoSansSC', bold: 'NotoSansSC-Bold' } as const;

const FONT_FILES = {
  regular: '400Regular/NotoSansSC_400Regular.ttf',
  bold: '700Bold/NotoSansSC_700Bold.ttf',
} as const;

// Read once per process: the files are 10 MB each and every document needs them. (pdfkit still parses the bytes
// per document — a few milliseconds, measured in billing/pdf.test.ts.)
const fontCache = new Map<keyof typeof FONT_FILES, Buffer>();

export function fontBytes(weight: keyof typeof FONT_FILES): Buffer {
  let bytes = fontCache.get(weight);
  if (!bytes) {
    // Resolved from this module, not the working directory, so the CLI works wherever it is started.
    const dir = dirname(createRequire(import.meta.url).resolve('@expo-google-fonts/noto-sans-sc/package.json'));
    bytes = readFileSync(join(dir, FONT_FILES[weight]));
    fontCache.set(weight, bytes);
  }
  return bytes;
}

export interface PdfOptions {
  size: 'A4' | 'A5';
  layout?: 'portrait' | 'landscape';
  /** Page margin in points (72 pt = 25.4 mm). */
  margin: number;
  title: string;
  lang: 'zh-CN' | 'en';
}

/** Creates a document, lets `draw` fill it and resolves with the finished PDF. */
export function renderPdf(options: PdfOptions, draw: (doc: Pdf) => void): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const doc = new PDFDocument({
      size: options.size,
      layout: options.layout ?? 'portrait',
      margin: options.margin,
      lang: options.lang,
      displayTitle: true,
      // Kept until the end so that page footers ("2/3") can be written once the page count is known.
      bufferPages: true,
      info: { Title: options.title, Producer: 'Anju', Creator: 'Anju' },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    try {
      doc.registerFont(FONT.regular, fontBytes('regular'));
      doc.registerFont(FONT.bold, fontBytes('bold'));
      doc.font(FONT.regular);
      draw(doc);
      doc.end();
    } catch (error) {
      reject(error);
    }
  });
}

/** The width between the margins of the current page. */
export function contentWidth(doc: Pdf): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

/** The lowest y the content may reach on the current page. */
export function bottomOf(doc: Pdf): number {
  return doc.page.height - doc.page.margins.bottom;
}

/**
 * Writes `text(n, count)` small and grey in the bottom margin of `count` buffered pages starting at page index
 * `first`, then returns to the last page.
 */
export function pageFooters(doc: Pdf, first: number, count: number, text: (n: number, count: number) => string): void {
  for (let n = 1; n <= count; n++) {
    doc.switchToPage(first + n - 1);
    const { margins } = doc.page;
    const bottom = margins.bottom;
    // Text below the bottom margin would otherwise start a new page.
    margins.bottom = 0;
    doc.font(FONT.regular).fontSize(8).fillColor('#777777');
    doc.text(text(n, count), margins.left, doc.page.height - bottom / 2 - 4, {
      width: contentWidth(doc),
      align: 'center',
      lineBreak: false,
    });
    doc.fillColor('black');
    margins.bottom = bottom;
  }
  const range = doc.bufferedPageRange();
  doc.switchToPage(range.start + range.count - 1);
}

export interface TableColumn {
  header: string;
  /** Points; the columns' widths add up to the table's width. */
  width: number;
  align?: 'left' | 'center' | 'right';
}

export interface TableCell {
  text: string;
  /** How many columns the cell covers (default 1). */
  span?: number;
  align?: 'left' | 'center' | 'right';
  bold?: boolean;
}

export interface TableOptions {
  columns: TableColumn[];
  rows: Array<Array<string | TableCell>>;
  fontSize: number;
  padding?: number;
  /** Rows that must stay on the page of the row before them, e.g. the total under the last line. */
  keepLastRows?: number;
}

const HEADER_FILL = '#f2f2f2';
const RULE = '#444444';

/**
 * Draws a bordered table at the current position (left margin, `doc.y`); the header is repeated when the rows
 * continue on a new page. Cells wrap inside their column. Leaves `doc.y` under the table.
 */
export function drawTable(doc: Pdf, options: TableOptions): void {
  const { columns, fontSize } = options;
  const padding = options.padding ?? 4;
  const x0 = doc.page.margins.left;
  const header: TableCell[] = columns.map((column) => ({ text: column.header, align: column.align, bold: true }));
  const rows = options.rows.map((row) => row.map((cell) => (typeof cell === 'string' ? { text: cell } : cell)));

  const layout = (row: TableCell[]) => {
    let column = 0;
    return row.map((cell) => {
      const span = cell.span ?? 1;
      const x = x0 + columns.slice(0, column).reduce((sum, c) => sum + c.width, 0);
      const width = columns.slice(column, column + span).reduce((sum, c) => sum + c.width, 0);
      const align = cell.align ?? (span === 1 ? columns[column].align : undefined) ?? 'left';
      column += span;
      return { cell, x, width, align };
    });
  };
  const heightOf = (row: TableCell[]) =>
    Math.max(
      ...layout(row).map(({ cell, width }) => {
        doc.font(cell.bold ? FONT.bold : FONT.regular).fontSize(fontSize);
        return doc.heightOfString(cell.text || ' ', { width: width - 2 * padding });
      }),
    ) +
    2 * padding;

  const drawRow = (row: TableCell[], fill?: string) => {
    const height = heightOf(row);
    const y = doc.y;
    for (const { cell, x, width, align } of layout(row)) {
      if (fill) doc.rect(x, y, width, height).fill(fill);
      doc.lineWidth(0.6).rect(x, y, width, height).stroke(RULE);
      doc
        .fillColor('black')
        .font(cell.bold ? FONT.bold : FONT.regular)
        .fontSize(fontSize)
        .text(cell.text, x + padding, y + padding, { width: width - 2 * padding, align });
    }
    doc.x = x0;
    doc.y = y + height;
  };

  // The header never stays alone at the foot of a page.
  if (doc.y + heightOf(header) + (rows.length ? heightOf(rows[0]) : 0) > bottomOf(doc)) doc.addPage();
  drawRow(header, HEADER_FILL);
  const keep = options.keepLastRows ?? 0;
  rows.forEach((row, index) => {
    // The last row of the body takes the kept rows along, so a total never sits alone at the top of a page.
    const together = index === rows.length - keep - 1 ? rows.slice(index) : index >= rows.length - keep ? [] : [row];
    const needed = together.reduce((sum, r) => sum + heightOf(r), 0) || heightOf(row);
    if (doc.y + needed > bottomOf(doc)) {
      doc.addPage();
      drawRow(header, HEADER_FILL);
    }
    drawRow(row);
  });
  doc.font(FONT.regular);
}

// ── Money on paper ──────────────────────────────────────────────────────────────────────────────────────────

function checkFen(fen: number): void {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`${fen} is not a whole number of 分`);
}

/** 123456 分 → "1,234.56" (integer arithmetic: no rounding can creep in). */
export function formatYuan(fen: number): string {
  checkFen(fen);
  const abs = Math.abs(fen);
  const cents = abs % 100;
  const yuan = String((abs - cents) / 100).replace(/\B(?=(\d{3})+$)/g, ',');
  return `${fen < 0 ? '-' : ''}${yuan}.${String(cents).padStart(2, '0')}`;
}

const DIGITS = '零壹贰叁肆伍陆柒捌玖';
const UNITS = ['', '拾', '佰', '仟'];
const GROUPS = ['', '万', '亿'];

/**
 * 大写金额 as the People's Bank's rules for bills and receipts write it: 1234.56 元 → 壹仟贰佰叁拾肆元伍角陆分,
 * 100 元 → 壹佰元整, 1005 元 → 壹仟零伍元整, 0.05 元 → 伍分, 10.05 元 → 拾元零伍分, 107000.53 元 → 拾万柒仟元伍角叁分.
 * One 零 stands for a run of zeros inside the 元 part, except zeros ending a 万 or 亿 group (the bank accepts both
 * 拾万柒仟 and 拾万零柒仟; we write the first, as the number is read); 零 is written between 元 and 分 when the 角
 * digit is zero; 整 follows 元 only. A leading 壹拾 is written 拾. Up to 9999 亿元.
 */
export function amountInChineseCapitals(fen: number): string {
  checkFen(fen);
  if (fen < 0) return `负${amountInChineseCapitals(-fen)}`;
  if (fen >= 1e14) throw new RangeError(`${fen} 分 is more than 9999 亿元`);
  const jiao = Math.floor(fen / 10) % 10;
  const cents = fen % 10;
  const yuan = String((fen - (fen % 100)) / 100);

  let text = '';
  if (yuan !== '0') {
    let zero = false;
    let groupUsed = false;
    for (let i = 0; i < yuan.length; i++) {
      const digit = Number(yuan[i]);
      const power = yuan.length - 1 - i;
      if (digit === 0) {
        zero = text !== '';
      } else {
        if (zero) text += '零';
        zero = false;
        groupUsed = true;
        const leadingTen = digit === 1 && power % 4 === 1 && text === '';
        text += (leadingTen ? '' : DIGITS[digit]) + UNITS[power % 4];
      }
      if (power % 4 === 0) {
        // Zeros at the end of a 万 or 亿 group are not written: 107000 → 拾万柒仟, but 10700 → 壹万零柒佰.
        if (groupUsed) {
          text += GROUPS[power / 4];
          zero = false;
        }
        groupUsed = false;
      }
    }
    text += '元';
  }
  if (jiao === 0 && cents === 0) return text === '' ? '零元整' : `${text}整`;
  if (jiao !== 0) text += `${DIGITS[jiao]}角`;
  else if (text !== '') text += '零';
  if (cents !== 0) text += `${DIGITS[cents]}分`;
  return text;
}
