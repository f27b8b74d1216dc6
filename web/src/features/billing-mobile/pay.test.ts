import { afterEach, describe, expect, it } from 'vitest';
import type { TFunction } from 'i18next';
import { idempotencyKey } from '../../../../src/modules/billing/payment-schema.ts';
import type { OwnerBilling, OwnerLine, OwnerPayResult } from './api.ts';
import { byPeriod, newIdempotencyKey, ownerCommunities, payTarget, recalledPayment, rememberPayment, selectedLateFees, selectedOwed } from './pay.ts';
import { periodLabel } from './labels.ts';

const ORIGIN = 'https://wy.example.com';
const PAYMENT = '6f1c2a3b-0000-4000-8000-000000000001';
const result = (over: Partial<OwnerPayResult>): OwnerPayResult => ({ paymentId: PAYMENT, tradeNo: 'AJ20261123ABC', amountFen: 47782, status: 'pending', payUrl: null, ...over });

const line = (id: string, periodKey: string, owedFen: number, status = 'unpaid', lateFeeAccruedFen = 0): OwnerLine => ({
  kind: 'charge',
  lateFeeAccruedFen,
  id,
  itemName: '物业费',
  itemKind: 'property',
  periodKey,
  periodStart: `${periodKey}-01`,
  periodEnd: `${periodKey}-28`,
  amountFen: owedFen,
  paidFen: 0,
  owedFen,
  status,
  dueDate: `${periodKey}-16`,
});

describe('newIdempotencyKey', () => {
  it('makes keys the server accepts, a new one each time', () => {
    const keys = Array.from({ length: 50 }, newIdempotencyKey);
    for (const k of keys) expect(idempotencyKey.safeParse(k).success, k).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('payTarget', () => {
  it.each([
    ['the sandbox: a page of this site, with the payment id added', result({ payUrl: '/m/pay/sandbox?tradeNo=AJ20261123ABC' }), { kind: 'route', path: `/pay/sandbox?tradeNo=AJ20261123ABC&paymentId=${PAYMENT}` }],
    ['the sandbox behind a public address', result({ payUrl: `${ORIGIN}/m/pay/sandbox?tradeNo=X1` }), { kind: 'route', path: `/pay/sandbox?tradeNo=X1&paymentId=${PAYMENT}` }],
    ['Alipay’s gateway: leave the site', result({ payUrl: 'https://openapi.alipay.com/gateway.do?biz=1' }), { kind: 'external', url: 'https://openapi.alipay.com/gateway.do?biz=1' }],
    ['this site outside the owner pages: leave the app', result({ payUrl: `${ORIGIN}/pay?x=1` }), { kind: 'external', url: `${ORIGIN}/pay?x=1` }],
    ['WeChat Pay native: a QR code', result({ qrCode: 'weixin://wxpay/bizpayurl?pr=abc' }), { kind: 'qr', code: 'weixin://wxpay/bizpayurl?pr=abc' }],
    ['a replay of a payment already made: its result', result({ status: 'succeeded', payUrl: null }), { kind: 'result', paymentId: PAYMENT }],
    ['a replay of a closed payment: its result, not the provider', result({ status: 'closed', payUrl: '/m/pay/sandbox?tradeNo=A' }), { kind: 'result', paymentId: PAYMENT }],
    ['nothing to open: the result page, which waits', result({}), { kind: 'result', paymentId: PAYMENT }],
  ])('%s', (_name, input, expected) => {
    expect(payTarget(input, ORIGIN)).toEqual(expected);
  });
});

describe('bills', () => {
  const lines = [line('a', '2026-10', 23141), line('b', '2026-11', 23141), line('c', '2026-11', 1500, 'partial'), line('d', '2026-09', 9999, 'paid'), line('e', '2026-08', 10000, 'unpaid', 150)];

  it('groups by period in the order given', () => {
    expect(byPeriod(lines).map((g) => [g.periodKey, g.lines.map((l) => l.id)])).toEqual([
      ['2026-10', ['a']],
      ['2026-11', ['b', 'c']],
      ['2026-09', ['d']],
      ['2026-08', ['e']],
    ]);
  });

  it.each([
    [['a', 'b', 'c'], 23141 + 23141 + 1500],
    [['a'], 23141],
    [[], 0],
    // A paid line left in the selection adds nothing.
    [['a', 'd'], 23141],
    // An overdue line owes its late fee as of today too.
    [['a', 'e'], 23141 + 10000 + 150],
  ])('what %j still owe: %i 分', (ids, fen) => {
    expect(selectedOwed(lines, new Set(ids))).toBe(fen);
  });

  it('tells the late fees apart', () => {
    expect(selectedLateFees(lines, new Set(['a', 'e']))).toBe(150);
    expect(selectedLateFees(lines, new Set(['a']))).toBe(0);
  });
});

describe('ownerCommunities', () => {
  const billing = (rooms: Array<Record<string, unknown>>, payments: Array<{ communityId: string; communityName: string }>) => ({ rooms, payments, providers: [] }) as unknown as OwnerBilling;

  it('takes them from the rooms, then from the payments (a home since sold), each once', () => {
    expect(ownerCommunities(billing([{ communityId: 'c1', community: '锦华苑' }], [{ communityId: 'c2', communityName: '碧澜湾' }, { communityId: 'c1', communityName: '锦华苑' }]))).toEqual([
      { id: 'c1', name: '锦华苑' },
      { id: 'c2', name: '碧澜湾' },
    ]);
    expect(ownerCommunities(billing([{ communityId: 'c1', community: '锦华苑' }, { communityId: 'c1', community: '锦华苑' }], []))).toEqual([{ id: 'c1', name: '锦华苑' }]);
    expect(ownerCommunities(billing([], []))).toEqual([]);
  });
});

describe('remembering the payment of a trade number', () => {
  afterEach(() => {
    delete (globalThis as { sessionStorage?: Storage }).sessionStorage;
  });

  it('recalls it in the same tab, keeping the last 20', () => {
    const data = new Map<string, string>();
    (globalThis as { sessionStorage?: Pick<Storage, 'getItem' | 'setItem'> }).sessionStorage = { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
    for (let i = 0; i < 25; i++) rememberPayment(`T${i}`, `P${i}`);
    expect(recalledPayment('T24')).toBe('P24');
    expect(recalledPayment('T5')).toBe('P5');
    expect(recalledPayment('T4')).toBeNull();
  });

  it('is quietly unavailable without storage', () => {
    expect(() => rememberPayment('T1', 'P1')).not.toThrow();
    expect(recalledPayment('T1')).toBeNull();
  });
});

describe('periodLabel', () => {
  const t = ((key: string, o?: Record<string, unknown>) => `${key.replace('billingMobile.', '')}${JSON.stringify(o ?? {})}`) as unknown as TFunction;
  it.each([
    ['2026-11', 'periodMonth{"year":"2026","month":11}'],
    ['2026-01', 'periodMonth{"year":"2026","month":1}'],
    ['2026-Q4', 'periodQuarter{"year":"2026","n":"4"}'],
    ['2026-H1', 'periodHalfFirst{"year":"2026"}'],
    ['2026-H2', 'periodHalfSecond{"year":"2026"}'],
    ['2026', 'periodYear{"year":"2026"}'],
    ['later', 'later'],
  ])('%s', (key, expected) => {
    expect(periodLabel(t, key)).toBe(expected);
  });
});
