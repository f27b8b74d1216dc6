import { describe, expect, it } from 'vitest';
import { pdfText } from '../../../tests/helpers/pdf-text.ts';
import { fontBytes } from '../../core/pdf.ts';
import {
  type NoticeData,
  type ReceiptData,
  amountInChineseCapitals,
  formatYuan,
  renderNotices,
  renderReceipt,
} from './pdf.ts';

describe('formatYuan', () => {
  it.each([
    [0, '0.00'],
    [1, '0.01'],
    [10, '0.10'],
    [100, '1.00'],
    [1000, '10.00'],
    [1005, '10.05'],
    [10050, '100.50'],
    [99999, '999.99'],
    [100000, '1,000.00'],
    [123456, '1,234.56'],
    [100100, '1,001.00'],
    [1000000, '10,000.00'],
    [10000001, '100,000.01'],
    [12345678912, '123,456,789.12'],
    [-123456, '-1,234.56'],
    [-5, '-0.05'],
    [Number.MAX_SAFE_INTEGER, '90,071,992,547,409.91'],
  ])('%i 分 → %s', (fen, expected) => {
    expect(formatYuan(fen)).toBe(expected);
  });

  it.each([0.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])('rejects %d', (fen) => {
    expect(() => formatYuan(fen)).toThrow(RangeError);
  });
});

describe('amountInChineseCapitals', () => {
  it.each([
    // The brief's and the People's Bank's examples.
    [123456, '壹仟贰佰叁拾肆元伍角陆分'],
    [10000, '壹佰元整'],
    [100500, '壹仟零伍元整'],
    [5, '伍分'],
    [1050, '拾元伍角'],
    [168032, '壹仟陆佰捌拾元叁角贰分'],
    [140902, '壹仟肆佰零玖元零贰分'],
    [32504, '叁佰贰拾伍元零肆分'],
    [10700053, '拾万柒仟元伍角叁分'],
    // 角 and 分 alone: no 零元 in front, no 整 after.
    [1, '壹分'],
    [10, '壹角'],
    [15, '壹角伍分'],
    // Whole 元: 整.
    [100, '壹元整'],
    [1000, '拾元整'],
    [1500, '拾伍元整'],
    [100100, '壹仟零壹元整'],
    [1000000, '壹万元整'],
    [11000000, '拾壹万元整'],
    [0, '零元整'],
    // A zero 角 before 分 is written 零; a run of zeros inside the 元 part is one 零.
    [1005, '拾元零伍分'],
    [10050, '壹佰元伍角'],
    [10005, '壹佰元零伍分'],
    [10000001, '拾万元零壹分'],
    [100001000, '壹佰万零壹拾元整'],
    [1001000, '壹万零壹拾元整'],
    [1000100000, '壹仟万壹仟元整'],
    [1070000, '壹万零柒佰元整'],
    [100070000, '壹佰万零柒佰元整'],
    [10000000001, '壹亿元零壹分'],
    [1001000000, '壹仟零壹万元整'],
    [10000000000, '壹亿元整'],
    [10000000100, '壹亿零壹元整'],
    [10001000000, '壹亿零壹万元整'],
    [12000000000, '壹亿贰仟万元整'],
    [12345678912, '壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元壹角贰分'],
    [99999999999999, '玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分'],
    [-10000, '负壹佰元整'],
  ])('%i 分 → %s', (fen, expected) => {
    expect(amountInChineseCapitals(fen)).toBe(expected);
  });

  it.each([0.5, Number.NaN, 1e14])('rejects %d', (fen) => {
    expect(() => amountInChineseCapitals(fen)).toThrow(RangeError);
  });
});


const pageCount = (pdf: Buffer) => pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g)?.length ?? 0;

// ── 收款收据 ─────────────────────────────────────────────────────────────────────────────────────────────────

const receipt: ReceiptData = {
  companyName: '安居物业服务有限公司',
  communityName: '阳光花园',
  number: 'SJ2026-000001',
  issuedAt: '2026-11-23T06:05:00.000Z',
  timeZone: 'Asia/Shanghai',
  payerName: '张三',
  roomLabel: '1栋1单元101',
  method: 'wechatpay',
  tradeNo: 'P20261123140500ABCDEF',
  collectorName: '李四',
  lines: [
    { itemName: '物业服务费', periodLabel: '2026-11', amountFen: 28956 },
    { itemName: '水费', periodLabel: '2026-10-17 ~ 2026-11-16', amountFen: 4512 },
  ],
  toBalanceFen: 50000,
  balanceKindLabel: '物业费',
  totalFen: 83468,
  refundedFen: 10000,
  copy: 2,
  lang: 'zh-CN',
};

describe('renderReceipt', () => {
  it('is a PDF with the Noto Sans SC subset embedded and every part of the receipt in its text', async () => {
    const pdf = await renderReceipt(receipt);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC-Regular/);
    expect(pdf.toString('latin1')).toMatch(/\/FontFile2 \d+ 0 R/);
    // Subset, not the 10 MB font.
    expect(pdf.length).toBeLessThan(100_000);
    expect(pageCount(pdf)).toBe(1);

    const [text] = pdfText(pdf);
    for (const part of [
      '安居物业服务有限公司',
      '收款收据',
      '收据编号：SJ2026-000001',
      '收款日期：2026-11-23 14:05', // 06:05 UTC in Shanghai
      '小区：阳光花园',
      '房号：1栋1单元101',
      '交款人：张三',
      '物业服务费',
      '2026-10-17 ~ 2026-11-16',
      '289.56',
      '45.12',
      '存入预存款（物业费）',
      '500.00',
      '合计人民币（大写）：捌佰叁拾肆元陆角捌分',
      '¥834.68',
      '收款方式：微信支付',
      '交易号：P20261123140500ABCDEF',
      '已退款 100.00 元',
      '收款人：李四',
      '补打 第2次打印',
    ]) {
      expect(text).toContain(part);
    }
  });

  it('leaves out what does not apply: 补打 on the original, the prepaid row, the refund; shows — for unknowns', async () => {
    const [text] = pdfText(
      await renderReceipt({
        ...receipt,
        copy: 1,
        toBalanceFen: 0,
        balanceKindLabel: null,
        totalFen: 33468,
        refundedFen: 0,
        payerName: null,
        roomLabel: null,
        collectorName: null,
        method: 'cash',
      }),
    );
    expect(text).toContain('收款方式：现金');
    expect(text).toContain('交款人：—');
    expect(text).toContain('房号：—');
    expect(text).toContain('收款人：—');
    expect(text).toContain('叁佰叁拾肆元陆角捌分');
    for (const absent of ['补打', '存入预存款', '已退款']) expect(text).not.toContain(absent);
  });

  it('prints English labels and keeps the Chinese data as it is', async () => {
    const [text] = pdfText(await renderReceipt({ ...receipt, lang: 'en', method: 'alipay' }));
    for (const part of [
      'RECEIPT',
      'No.: SJ2026-000001',
      'Date: 2026-11-23 14:05',
      'Payer: 张三',
      'Prepaid deposit (物业费)',
      'Total in Chinese capitals: 捌佰叁拾肆元陆角捌分',
      'Method: Alipay',
      'Refunded CNY 100.00',
      'REPRINT · print 2',
    ]) {
      expect(text).toContain(part);
    }
    expect(text).not.toContain('收款收据');
  });

  it('continues a long receipt on a second page with the header repeated and the number in the footer', async () => {
    const lines = Array.from({ length: 20 }, (_, i) => ({ itemName: `物业服务费${i + 1}`, periodLabel: '2026-11', amountFen: 100 }));
    const pdf = await renderReceipt({ ...receipt, lines, toBalanceFen: 0, totalFen: 2000 });
    const pages = pdfText(pdf);
    expect(pages).toHaveLength(2);
    expect(pages[1]).toContain('收费项目');
    expect(pages[1]).toContain('物业服务费20');
    expect(pages[1]).toContain('贰拾元整');
    expect(pages[0]).toContain('SJ2026-000001 · 第 1/2 页');
    expect(pages[1]).toContain('SJ2026-000001 · 第 2/2 页');
  });

  it('prints an unknown method as given and rejects an issuedAt that is not a date', async () => {
    expect(pdfText(await renderReceipt({ ...receipt, method: 'cheque' }))[0]).toContain('收款方式：cheque');
    await expect(renderReceipt({ ...receipt, issuedAt: 'yesterday' })).rejects.toThrow(RangeError);
  });
});

// ── 催缴通知书 ───────────────────────────────────────────────────────────────────────────────────────────────

const notice: NoticeData = {
  companyName: '安居物业服务有限公司',
  companyPhone: '0571-88886666',
  communityName: '阳光花园',
  roomLabel: '1栋1单元101',
  ownerName: '张三',
  asOf: '2026-11-23',
  lines: [
    { itemName: '物业服务费', periodLabel: '2026-09', dueDate: '2026-09-30', owedFen: 28956 },
    { itemName: '水费', periodLabel: '2026-09-17 ~ 2026-10-16', dueDate: '2026-10-31', owedFen: 3120 },
  ],
  totalFen: 32076,
  payBy: '2026-12-15',
};

describe('renderNotices', () => {
  it('writes the letter: owner, room, unpaid lines, total, pay-by date, phone and the 民法典 944 promise', async () => {
    const pdf = await renderNotices([notice], {});
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC-Regular/);
    const [text] = pdfText(pdf);
    for (const part of [
      '催缴通知书',
      '尊敬的张三业主：',
      '2026年11月23日',
      '阳光花园 1栋1单元101',
      '2026-09-17 ~ 2026-10-16',
      '2026-10-31',
      '289.56',
      '合计：人民币叁佰贰拾元柒角陆分',
      '¥320.76',
      '2026年12月15日前',
      '物业服务中心',
      '业主端',
      '0571-88886666',
      '不会以停止供水、供电、供热、供燃气等方式催交物业费',
    ]) {
      expect(text.replaceAll('\n', '')).toContain(part);
    }
  });

  it('asks without a date when there is no pay-by, and leaves out an unknown name and phone', async () => {
    const pdf = await renderNotices([{ ...notice, ownerName: null, companyPhone: null, payBy: null }], { title: '物业费缴费提醒' });
    const text = pdfText(pdf)[0].replaceAll('\n', '');
    expect(text).toContain('物业费缴费提醒');
    expect(text).toContain('尊敬的业主：');
    expect(text).toContain('尽早');
    expect(text).not.toContain('致电');
    expect(text).not.toContain('催缴通知书');
  });

  it('puts each notice on its own page and names the room on every page of a letter that runs over', async () => {
    const long = {
      ...notice,
      roomLabel: '2栋1单元1802',
      lines: Array.from({ length: 40 }, (_, i) => ({ itemName: '物业服务费', periodLabel: `第${i + 1}期`, dueDate: '2026-01-31', owedFen: 100 })),
      totalFen: 4000,
    };
    const pages = pdfText(await renderNotices([notice, long, notice], {}));
    expect(pages).toHaveLength(4);
    expect(pages[0]).toContain('1栋1单元101');
    expect(pages[1]).toContain('阳光花园 2栋1单元1802 · 第 1/2 页');
    expect(pages[2]).toContain('第40期');
    expect(pages[2]).toContain('阳光花园 2栋1单元1802 · 第 2/2 页');
    expect(pages[3]).toContain('1栋1单元101');
    expect(pages[0]).not.toContain('页');
  });

  it('rejects an empty batch', async () => {
    await expect(renderNotices([], {})).rejects.toThrow(RangeError);
  });
});

describe('speed', () => {
  it('renders a receipt in well under a second and 200 notices in a few seconds, the font read once', async () => {
    expect(fontBytes('regular')).toBe(fontBytes('regular'));
    await renderReceipt(receipt); // warm: fonts read, layout code compiled

    let started = performance.now();
    await renderReceipt(receipt);
    const receiptMs = performance.now() - started;

    const batch = Array.from({ length: 200 }, (_, i) => ({ ...notice, roomLabel: `${Math.floor(i / 20) + 1}栋${(i % 20) + 101}` }));
    started = performance.now();
    const pdf = await renderNotices(batch, {});
    const noticesMs = performance.now() - started;

    expect(pageCount(pdf)).toBeGreaterThanOrEqual(200);
    expect(receiptMs).toBeLessThan(1000);
    expect(noticesMs).toBeLessThan(8000);
    console.info(`1 receipt: ${receiptMs.toFixed(0)} ms; 200 notices: ${noticesMs.toFixed(0)} ms, ${(pdf.length / 1024).toFixed(0)} KB`);
  });
});
