import {
  type Pdf,
  type TableCell,
  FONT,
  amountInChineseCapitals,
  bottomOf,
  contentWidth,
  drawTable,
  formatYuan,
  pageFooters,
  renderPdf,
} from '../../core/pdf.ts';

/**
 * Printed billing documents — pure, data in, PDF out: the 收款收据 of a payment (A5 landscape, Chinese or English
 * labels) and the 催缴通知书 for rooms in arrears (A4, one letter per room, a batch in one PDF).
 */

export { amountInChineseCapitals, formatYuan };

export interface ReceiptData {
  companyName: string;
  communityName: string;
  /** SJ2026-000001 */
  number: string;
  /** ISO instant; printed as the community's local date and time. */
  issuedAt: string;
  timeZone: string;
  payerName: string | null;
  roomLabel: string | null;
  method: string;
  tradeNo: string;
  collectorName: string | null;
  lines: Array<{ itemName: string; periodLabel: string; amountFen: number }>;
  toBalanceFen: number;
  balanceKindLabel: string | null;
  totalFen: number;
  refundedFen: number;
  /** The print count: 1 is the original, a higher count is marked 补打. */
  copy: number;
  lang: 'zh-CN' | 'en';
}

export interface NoticeData {
  companyName: string;
  companyPhone: string | null;
  communityName: string;
  roomLabel: string;
  ownerName: string | null;
  /** YYYY-MM-DD */
  asOf: string;
  lines: Array<{ itemName: string; periodLabel: string; dueDate: string; owedFen: number }>;
  totalFen: number;
  /** YYYY-MM-DD */
  payBy: string | null;
}

// ── 收款收据 ─────────────────────────────────────────────────────────────────────────────────────────────────

const RECEIPT_ZH = {
  heading: '收款收据',
  headingSpacing: 8,
  colon: '：',
  number: '收据编号',
  date: '收款日期',
  community: '小区',
  room: '房号',
  payer: '交款人',
  item: '收费项目',
  period: '所属期间',
  amount: '金额（元）',
  toBalance: (kind: string | null) => (kind ? `存入预存款（${kind}）` : '存入预存款'),
  totalInWords: '合计人民币（大写）',
  method: '收款方式',
  tradeNo: '交易号',
  collector: '收款人',
  seal: '收款单位（盖章）',
  refunded: (yuan: string) => `已退款 ${yuan} 元`,
  reprint: (copy: number) => `补打 第${copy}次打印`,
  page: (n: number, count: number) => `第 ${n}/${count} 页`,
  methods: {
    cash: '现金',
    pos: '刷卡（POS）',
    transfer: '银行转账',
    wechatpay: '微信支付',
    alipay: '支付宝',
    sandbox: '沙箱支付（测试）',
  } as Record<string, string>,
};

const RECEIPT_EN: typeof RECEIPT_ZH = {
  heading: 'RECEIPT',
  headingSpacing: 3,
  colon: ': ',
  number: 'No.',
  date: 'Date',
  community: 'Community',
  room: 'Room',
  payer: 'Payer',
  item: 'Item',
  period: 'Period',
  amount: 'Amount (CNY)',
  toBalance: (kind) => (kind ? `Prepaid deposit (${kind})` : 'Prepaid deposit'),
  totalInWords: 'Total in Chinese capitals',
  method: 'Method',
  tradeNo: 'Trade no.',
  collector: 'Collector',
  seal: 'Company seal',
  refunded: (yuan) => `Refunded CNY ${yuan}`,
  reprint: (copy) => `REPRINT · print ${copy}`,
  page: (n, count) => `page ${n}/${count}`,
  methods: {
    cash: 'Cash',
    pos: 'Card (POS)',
    transfer: 'Bank transfer',
    wechatpay: 'WeChat Pay',
    alipay: 'Alipay',
    sandbox: 'Sandbox (test)',
  },
};

const RED = '#c0392b';
const GREY = '#555555';

export async function renderReceipt(data: ReceiptData): Promise<Buffer> {
  const t = data.lang === 'en' ? RECEIPT_EN : RECEIPT_ZH;
  const field = (label: string, value: string | null) => `${label}${t.colon}${value ?? '—'}`;
  const issuedAt = localDateTime(data.issuedAt, data.timeZone);
  const options = { size: 'A5', layout: 'landscape', margin: 32, title: `${t.heading} ${data.number}`, lang: data.lang } as const;

  return renderPdf(options, (doc) => {
    const left = doc.page.margins.left;
    const width = contentWidth(doc);

    doc.font(FONT.bold).fontSize(15).text(data.companyName, { align: 'center' });
    const headingY = doc.y + 2;
    doc.fontSize(20).text(t.heading, left, headingY, { align: 'center', width, characterSpacing: t.headingSpacing });
    const headingWidth = doc.widthOfString(t.heading, { characterSpacing: t.headingSpacing }) + 24;
    const ruleX = left + (width - headingWidth) / 2;
    doc.lineWidth(0.8).moveTo(ruleX, doc.y + 1).lineTo(ruleX + headingWidth, doc.y + 1).stroke('black');
    doc.moveTo(ruleX, doc.y + 4).lineTo(ruleX + headingWidth, doc.y + 4).stroke('black');
    if (data.copy > 1) stamp(doc, t.reprint(data.copy), headingY);

    doc.y += 14;
    doc.font(FONT.regular).fontSize(10);
    twoSides(doc, field(t.number, data.number), field(t.date, issuedAt));
    twoSides(doc, `${field(t.community, data.communityName)}    ${field(t.room, data.roomLabel)}`, field(t.payer, data.payerName));
    doc.y += 4;

    const rows: Array<Array<string | TableCell>> = data.lines.map(
      (line) => [line.itemName, line.periodLabel, formatYuan(line.amountFen)],
    );
    if (data.toBalanceFen > 0) rows.push([t.toBalance(data.balanceKindLabel), '', formatYuan(data.toBalanceFen)]);
    rows.push([
      { text: `${t.totalInWords}${t.colon}${amountInChineseCapitals(data.totalFen)}`, span: 2, bold: true },
      { text: `¥${formatYuan(data.totalFen)}`, bold: true, align: 'right' },
    ]);
    drawTable(doc, {
      columns: [
        { header: t.item, width: Math.round(width * 0.38) },
        { header: t.period, width: width - Math.round(width * 0.38) - Math.round(width * 0.22) },
        { header: t.amount, width: Math.round(width * 0.22), align: 'right' },
      ],
      rows,
      fontSize: 10,
      keepLastRows: 1,
    });

    doc.y += 8;
    doc.font(FONT.regular).fontSize(10);
    twoSides(doc, field(t.method, t.methods[data.method] ?? data.method), field(t.tradeNo, data.tradeNo));
    if (data.refundedFen > 0) {
      doc.font(FONT.bold).fillColor(RED).text(t.refunded(formatYuan(data.refundedFen)), left, doc.y);
      doc.fillColor('black').font(FONT.regular);
    }
    doc.y += 14;
    if (doc.y + 2 * doc.currentLineHeight(true) > bottomOf(doc)) doc.addPage();
    twoSides(doc, field(t.collector, data.collectorName), `${t.seal}${t.colon.trim()}`, 0.62);

    const pages = doc.bufferedPageRange().count;
    if (pages > 1) pageFooters(doc, 0, pages, (n, count) => `${data.number} · ${t.page(n, count)}`);
  });
}

/** A red framed mark (补打) at the right of the heading. */
function stamp(doc: Pdf, text: string, y: number): void {
  doc.font(FONT.bold).fontSize(11);
  const width = doc.widthOfString(text) + 16;
  const x = doc.page.width - doc.page.margins.right - width;
  doc.lineWidth(1.2).rect(x, y + 2, width, 22).stroke(RED);
  doc.fillColor(RED).text(text, x, y + 6, { width, align: 'center', lineBreak: false });
  doc.fillColor('black');
}

/**
 * One line with a left part and a right part: right-aligned, or starting at `rightFrom` (a fraction of the width)
 * to leave room after it, e.g. for the seal.
 */
function twoSides(doc: Pdf, leftText: string, rightText: string, rightFrom?: number): void {
  const left = doc.page.margins.left;
  const width = contentWidth(doc);
  const y = doc.y;
  const split = rightFrom ?? 0.5;
  doc.text(leftText, left, y, { width: width * split - 8 });
  const afterLeft = doc.y;
  doc.text(rightText, left + width * split, y, { width: width * (1 - split), align: rightFrom === undefined ? 'right' : 'left' });
  doc.x = left;
  doc.y = Math.max(afterLeft, doc.y) + 2;
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** The local "YYYY-MM-DD HH:mm" of an instant in a time zone. */
function localDateTime(iso: string, timeZone: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) throw new RangeError(`${iso} is not a date and time`);
  let format = dateTimeFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    dateTimeFormats.set(timeZone, format);
  }
  const part = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}`;
}

// ── 催缴通知书 ───────────────────────────────────────────────────────────────────────────────────────────────

const BODY = 11;

/** One PDF with a letter per room, each starting on a new page; a long list of lines continues on the next page. */
export async function renderNotices(notices: NoticeData[], opts: { title?: string }): Promise<Buffer> {
  if (notices.length === 0) throw new RangeError('renderNotices needs at least one notice');
  const title = opts.title ?? '催缴通知书';
  return renderPdf({ size: 'A4', margin: 56, title, lang: 'zh-CN' }, (doc) => {
    notices.forEach((notice, index) => {
      if (index > 0) doc.addPage();
      const first = doc.bufferedPageRange().count - 1;
      drawNotice(doc, notice, title);
      // A letter that runs over names its room on every page, so a printed batch can be sorted again.
      const pages = doc.bufferedPageRange().count - first;
      if (pages > 1) {
        pageFooters(doc, first, pages, (n, count) => `${notice.communityName} ${notice.roomLabel} · 第 ${n}/${count} 页`);
      }
    });
  });
}

function drawNotice(doc: Pdf, notice: NoticeData, title: string): void {
  const left = doc.page.margins.left;
  const width = contentWidth(doc);
  const paragraph = (text: string) => {
    doc.font(FONT.regular).fontSize(BODY).text(text, left, doc.y, { width, indent: 2 * BODY, lineGap: 5 });
    doc.y += 6;
  };

  doc.font(FONT.bold).fontSize(13).fillColor(GREY).text(notice.companyName, left, doc.y, { width, align: 'center' });
  doc.fillColor('black').fontSize(22).text(title, left, doc.y + 4, { width, align: 'center', characterSpacing: 4 });
  doc.y += 18;

  doc.font(FONT.bold).fontSize(BODY + 1).text(`尊敬的${notice.ownerName ?? ''}业主：`, left, doc.y, { width });
  doc.y += 6;
  paragraph(
    `您好！感谢您一直以来对我们工作的理解与支持。经核对，截至${chineseDate(notice.asOf)}，` +
      `您位于${notice.communityName} ${notice.roomLabel}的房屋尚有以下费用未缴纳：`,
  );

  const rows: Array<Array<string | TableCell>> = notice.lines.map(
    (line) => [line.itemName, line.periodLabel, line.dueDate, formatYuan(line.owedFen)],
  );
  rows.push([
    { text: `合计：人民币${amountInChineseCapitals(notice.totalFen)}`, span: 3, bold: true },
    { text: `¥${formatYuan(notice.totalFen)}`, bold: true, align: 'right' },
  ]);
  drawTable(doc, {
    columns: [
      { header: '收费项目', width: width - 150 - 90 - 100 },
      { header: '所属期间', width: 150 },
      { header: '应缴日期', width: 90, align: 'center' },
      { header: '欠费金额（元）', width: 100, align: 'right' },
    ],
    rows,
    fontSize: 10,
    keepLastRows: 1,
  });
  doc.y += 14;

  paragraph(
    notice.payBy
      ? `恳请您于${chineseDate(notice.payBy)}前，到小区物业服务中心或通过业主端在线缴纳上述费用。`
      : '恳请您在方便时尽早到小区物业服务中心或通过业主端在线缴纳上述费用。',
  );
  paragraph(
    `如您已缴纳，请忽略本通知；如对费用有疑问，欢迎到物业服务中心咨询` +
      `${notice.companyPhone ? `或致电${notice.companyPhone}` : ''}，我们将认真为您核实。`,
  );
  paragraph('特此说明：依照《中华人民共和国民法典》第九百四十四条的规定，本公司不会以停止供水、供电、供热、供燃气等方式催交物业费。');
  paragraph('感谢您的理解与支持！');

  // The signature stays together: company and date on the same page.
  if (doc.y + 3 * doc.currentLineHeight(true) + 24 > bottomOf(doc)) doc.addPage();
  doc.y += 24;
  doc.font(FONT.regular).fontSize(BODY);
  doc.text(notice.companyName, left, doc.y, { width, align: 'right' });
  doc.text(chineseDate(notice.asOf), left, doc.y + 4, { width, align: 'right' });
}

/** 2026-11-23 → 2026年11月23日 (anything else is printed as given). */
function chineseDate(day: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  return match ? `${match[1]}年${Number(match[2])}月${Number(match[3])}日` : day;
}
