import { describe, expect, it } from 'vitest';
import { buildGrid, canChangeStatus, checkArea, floorsOf, normalizeRoomNumber } from './rules.ts';

describe('checkArea', () => {
  it.each([
    ['89.5', 'residence', { ok: true, value: '89.50' }],
    [120, 'residence', { ok: true, value: '120.00' }],
    ['0.01', 'storage', { ok: true, value: '0.01' }],
    ['0', 'residence', { ok: false, reason: 'notPositive' }],
    ['-3', 'residence', { ok: false, reason: 'notPositive' }],
    ['89.555', 'residence', { ok: false, reason: 'decimals' }],
    ['12000', 'residence', { ok: false, reason: 'absurd' }],
    ['12000', 'shop', { ok: true, value: '12000.00' }],
    ['600', 'garage', { ok: false, reason: 'absurd' }],
    ['abc', 'residence', { ok: false, reason: 'format' }],
    ['1e3', 'residence', { ok: false, reason: 'format' }],
  ] as const)('%s m² (%s)', (input, kind, expected) => {
    expect(checkArea(input, kind)).toEqual(expected);
  });
});

describe('normalizeRoomNumber', () => {
  it.each([
    ['1203', '1203'],
    [' b101 ', 'B101'],
    ['1-1203', '1-1203'],
    ['商铺12', '商铺12'],
    ['12 03', '1203'],
    ['', null],
    ['12/03', null],
    ['12345678901234567', null],
  ])('%j → %j', (input, out) => expect(normalizeRoomNumber(input)).toBe(out));
});

describe('floorsOf', () => {
  it('lists floors top-down without a floor 0', () => {
    expect(floorsOf(3, 2)).toEqual([3, 2, 1, -1, -2]);
    expect(floorsOf(33, 0)).toHaveLength(33);
  });
});

describe('canChangeStatus', () => {
  it.each([
    ['unsold', 'vacant', true],
    ['vacant', 'occupied', true],
    ['occupied', 'rented', true],
    ['occupied', 'unsold', false],
    ['rented', 'delivered', false],
    ['unsold', 'occupied', false],
  ] as const)('%s → %s: %s', (from, to, ok) => expect(canChangeStatus(from, to)).toBe(ok));
});

describe('buildGrid', () => {
  it('lays a 33-floor, 8-per-floor tower out top-down with counts', () => {
    const rooms = [];
    for (let f = 1; f <= 33; f++) for (let r = 1; r <= 8; r++) {
      rooms.push({ id: `${f}-${r}`, unitName: r <= 4 ? '1单元' : '2单元', floor: f, number: `${f}${String(r).padStart(2, '0')}`, status: (r % 2 ? 'occupied' : 'vacant') as 'occupied' | 'vacant' });
    }
    const grid = buildGrid(rooms.reverse(), 33, 1);
    expect(grid.floors).toHaveLength(34);
    expect(grid.floors[0].floor).toBe(33);
    expect(grid.floors[33]).toEqual({ floor: -1, rooms: [] });
    expect(grid.floors[32].rooms.map((r) => r.number)).toEqual(['101', '102', '103', '104', '105', '106', '107', '108']);
    expect(grid.counts).toEqual({ occupied: 132, vacant: 132 });
    expect(grid.total).toBe(264);
  });
  it('sorts numbers naturally (2 before 10)', () => {
    const grid = buildGrid([
      { id: 'a', unitName: null, floor: 1, number: '10', status: 'vacant' },
      { id: 'b', unitName: null, floor: 1, number: '2', status: 'vacant' },
    ], 1, 0);
    expect(grid.floors[0].rooms.map((r) => r.number)).toEqual(['2', '10']);
  });
});
