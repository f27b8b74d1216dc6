import { describe, expect, it } from 'vitest';
import { AGING_BUCKETS, addBuckets, agingBucket, bucketDueRange, collectionRate, daysOverdue, emptyBuckets, meetsQuota, monthRangeDays, monthsBetween } from './aging.ts';

describe('agingBucket', () => {
  it.each([
    [-5, null],
    [0, null],
    [1, 'd1_30'],
    [30, 'd1_30'],
    [31, 'd31_90'],
    [90, 'd31_90'],
    [91, 'd91_180'],
    [180, 'd91_180'],
    [181, 'd181_365'],
    [365, 'd181_365'],
    [366, 'over365'],
    [3650, 'over365'],
  ])('%i days overdue → %s', (days, bucket) => {
    expect(agingBucket(days)).toBe(bucket);
  });

  it('refuses a fraction of a day', () => {
    expect(() => agingBucket(1.5)).toThrow(/whole number/);
  });

  it('the buckets cover every day from 1 on, without gaps or overlaps', () => {
    for (let i = 1; i < AGING_BUCKETS.length; i++) expect(AGING_BUCKETS[i].fromDays).toBe((AGING_BUCKETS[i - 1].toDays ?? NaN) + 1);
    expect(AGING_BUCKETS[0].fromDays).toBe(1);
    expect(AGING_BUCKETS.at(-1)!.toDays).toBeNull();
  });
});

describe('daysOverdue', () => {
  it.each([
    ['2026-11-23', '2026-11-23', 0],
    ['2026-11-23', '2026-11-22', 1],
    ['2026-11-23', '2026-11-24', -1],
    ['2026-03-01', '2026-02-28', 1],
    ['2024-03-01', '2024-02-28', 2],
    ['2026-11-23', '2025-11-23', 365],
    ['2025-01-01', '2024-01-01', 366],
  ])('%s − %s = %i', (asOf, due, days) => {
    expect(daysOverdue(asOf, due)).toBe(days);
  });
});

describe('bucketDueRange', () => {
  it.each([
    ['d1_30', '2026-11-23', { from: '2026-10-24', to: '2026-11-22' }],
    ['d31_90', '2026-11-23', { from: '2026-08-25', to: '2026-10-23' }],
    ['d91_180', '2026-11-23', { from: '2026-05-27', to: '2026-08-24' }],
    ['d181_365', '2026-11-23', { from: '2025-11-23', to: '2026-05-26' }],
    ['over365', '2026-11-23', { from: null, to: '2025-11-22' }],
  ] as const)('%s on %s', (bucket, asOf, range) => {
    expect(bucketDueRange(bucket, asOf)).toEqual(range);
  });

  it('agrees with agingBucket on every boundary', () => {
    const asOf = '2026-03-01';
    for (const days of [1, 30, 31, 90, 91, 180, 181, 365, 366, 800]) {
      const due = new Date(Date.parse(`${asOf}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
      const inRange = AGING_BUCKETS.filter((b) => {
        const r = bucketDueRange(b.key, asOf);
        return (r.from === null || due >= r.from) && due <= r.to;
      });
      expect(inRange.map((b) => b.key)).toEqual([agingBucket(days)]);
    }
  });
});

describe('buckets', () => {
  it('start at zero and add up', () => {
    const a = emptyBuckets();
    expect(a).toEqual({ d1_30: 0, d31_90: 0, d91_180: 0, d181_365: 0, over365: 0 });
    addBuckets(a, { d1_30: 100, d31_90: 0, d91_180: 5, d181_365: 0, over365: 7 });
    addBuckets(a, { d1_30: 1, d31_90: 2, d91_180: 0, d181_365: 0, over365: 0 });
    expect(a).toEqual({ d1_30: 101, d31_90: 2, d91_180: 5, d181_365: 0, over365: 7 });
  });
});

describe('months', () => {
  it.each([
    ['2026-01', '2026-11', { start: '2026-01-01', end: '2026-11-30' }, 11],
    ['2026-02', '2026-02', { start: '2026-02-01', end: '2026-02-28' }, 1],
    ['2024-02', '2024-02', { start: '2024-02-01', end: '2024-02-29' }, 1],
    ['2025-12', '2026-12', { start: '2025-12-01', end: '2026-12-31' }, 13],
  ])('%s … %s', (from, to, days, count) => {
    expect(monthRangeDays(from, to)).toEqual(days);
    expect(monthsBetween(from, to)).toBe(count);
  });
});

describe('collectionRate and meetsQuota', () => {
  it.each([
    [0, 0, null],
    [0, 100, 0],
    [100, 100, 100],
    [2, 3, 66.67],
    [1, 3, 33.33],
    [1, 8, 12.5],
    // 94.995 % is shown as 95.00 (half up)
    [18_999, 20_000, 95],
    [18_998, 20_000, 94.99],
    // large sums stay exact: 1 fen short of ¥100,000,000 of ¥100,000,000.01
    [9_999_999_999, 10_000_000_001, 100],
  ])('%i paid of %i billed → %s %', (paid, billed, rate) => {
    expect(collectionRate(paid, billed)).toBe(rate);
  });

  it.each([
    [95, 100, '95', true],
    [95, 100, '95.00', true],
    [95, 100, '95.01', false],
    [18_999, 20_000, '95', true],
    [18_998, 20_000, '95', false],
    [9_549, 10_000, '95.5', false],
    [9_550, 10_000, '95.5', true],
    [0, 0, '95', null],
    [50, 100, null, null],
  ])('%i of %i against %s → %s', (paid, billed, target, met) => {
    expect(meetsQuota(paid, billed, target)).toBe(met);
  });
});
