import { describe, expect, it } from 'vitest';
import { periodKey, type Period } from './scheduler.ts';

describe('periodKey', () => {
  it.each<[string, Period, string, string]>([
    // 00:30 on National Day in Shanghai is still 30 September in UTC.
    ['2026-09-30T16:30:00Z', 'day', 'Asia/Shanghai', '2026-10-01'],
    ['2026-09-30T16:30:00Z', 'hour', 'Asia/Shanghai', '2026-10-01T00'],
    ['2026-09-30T16:30:00Z', 'minute', 'Asia/Shanghai', '2026-10-01T00:30'],
    ['2026-09-30T15:59:59Z', 'day', 'Asia/Shanghai', '2026-09-30'],
    ['2026-09-30T15:59:59Z', 'hour', 'Asia/Shanghai', '2026-09-30T23'],
    ['2026-09-30T15:59:59Z', 'minute', 'Asia/Shanghai', '2026-09-30T23:59'],
    ['2026-09-30T16:00:00Z', 'minute', 'Asia/Shanghai', '2026-10-01T00:00'],
    // Year end and a leap day.
    ['2026-12-31T16:05:00Z', 'day', 'Asia/Shanghai', '2027-01-01'],
    ['2028-02-28T16:00:00Z', 'day', 'Asia/Shanghai', '2028-02-29'],
    // The same instant in UTC and in another zone.
    ['2026-09-30T16:30:00Z', 'day', 'UTC', '2026-09-30'],
    ['2026-09-30T16:30:00Z', 'hour', 'UTC', '2026-09-30T16'],
    ['2026-11-22T01:05:00Z', 'hour', 'Asia/Urumqi', '2026-11-22T07'],
    // Midnight is hour 00, never 24.
    ['2026-11-21T16:00:00Z', 'hour', 'Asia/Shanghai', '2026-11-22T00'],
  ])('%s %s in %s → %s', (at, period, zone, expected) => {
    expect(periodKey(new Date(at), period, zone)).toBe(expected);
  });

  it('gives every minute of a Shanghai day the same day key and a distinct minute key', () => {
    const start = Date.parse('2026-09-30T16:00:00Z');
    const minutes = new Set<string>();
    for (let i = 0; i < 24 * 60; i++) {
      const at = new Date(start + i * 60_000);
      expect(periodKey(at, 'day', 'Asia/Shanghai')).toBe('2026-10-01');
      minutes.add(periodKey(at, 'minute', 'Asia/Shanghai'));
    }
    expect(minutes.size).toBe(24 * 60);
  });
});
