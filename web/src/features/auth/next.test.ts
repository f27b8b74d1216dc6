import { describe, expect, it } from 'vitest';
import { isPhonePath, safeNext, staffLoginHref } from './next.ts';

describe('safeNext', () => {
  it.each([
    ['/m/equipment/scan/eq.1.abc', '/m/equipment/scan/eq.1.abc'],
    ['/field/patrols?day=2026-11-23', '/field/patrols?day=2026-11-23'],
    ['//evil.example.com/x', null],
    ['https://evil.example.com', null],
    ['/\\evil.example.com', null],
    ['', null],
    [null, null],
    [undefined, null],
  ])('%s → %s', (input, out) => {
    expect(safeNext(input)).toBe(out);
  });
});

describe('staffLoginHref', () => {
  it.each([
    [{ from: '/patrol/scan/cp.1.x' }, `/login?next=${encodeURIComponent('/m/patrol/scan/cp.1.x')}`],
    [{ from: '/login' }, '/login'],
    [{ from: '//evil' }, '/login'],
    [null, '/login'],
    [undefined, '/login'],
  ])('%j → %s', (state, href) => {
    expect(staffLoginHref(state)).toBe(href);
  });
});

describe('isPhonePath', () => {
  it.each([
    ['/m', true],
    ['/m/', true],
    ['/m/patrol', true],
    ['/mobile', false],
    ['/field/patrols', false],
  ])('%s → %s', (p, yes) => {
    expect(isPhonePath(p)).toBe(yes);
  });
});
