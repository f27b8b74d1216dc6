import type { RoomKind, RoomStatus } from '../../db/schema.ts';

/**
 * Pure rules of the property structure: areas, room numbers, status changes, the floor-by-room grid.
 */

/** The largest plausible area of a single room by kind, m². Larger is a typing error (e.g. 1200 for 120.0). */
export const MAX_AREA: Record<RoomKind, number> = { residence: 2000, shop: 20000, office: 20000, garage: 500, storage: 500 };

export type AreaCheck = { ok: true; value: string } | { ok: false; reason: 'notPositive' | 'decimals' | 'absurd' | 'format' };

/** An area in m² with at most two decimals, > 0 and plausible for the kind; returned as an exact decimal string. */
export function checkArea(input: string | number, kind: RoomKind = 'residence'): AreaCheck {
  const text = typeof input === 'number' ? String(input) : input.trim();
  if (!/^-?\d+(\.\d+)?$/.test(text)) return { ok: false, reason: 'format' };
  const [, decimals = ''] = text.split('.');
  if (decimals.length > 2) return { ok: false, reason: 'decimals' };
  const n = Number(text);
  if (!(n > 0)) return { ok: false, reason: 'notPositive' };
  if (n > MAX_AREA[kind]) return { ok: false, reason: 'absurd' };
  return { ok: true, value: n.toFixed(2) };
}

/** Room numbers as people write them: 1203, 1-1203, B101, 商铺12. Letters upper-cased, spaces removed. */
export function normalizeRoomNumber(input: string): string | null {
  const n = input.trim().toUpperCase().replace(/\s+/g, '');
  return /^[0-9A-Z\u4e00-\u9fa5-]{1,16}$/.test(n) ? n : null;
}

/** Floors of a building top-down, skipping 0: 33 … 1, -1, -2. */
export function floorsOf(floorsAbove: number, floorsBelow: number): number[] {
  const out: number[] = [];
  for (let f = floorsAbove; f >= 1; f--) out.push(f);
  for (let f = -1; f >= -floorsBelow; f--) out.push(f);
  return out;
}

/**
 * Which status changes staff may record by hand. Move-in, handover, move-out and renting follow from their
 * workflows; a manual change outside this table needs the workflow instead.
 */
export const STATUS_TRANSITIONS: Record<RoomStatus, RoomStatus[]> = {
  unsold: ['vacant', 'delivered'],
  vacant: ['delivered', 'renovating', 'occupied', 'rented', 'unsold'],
  delivered: ['renovating', 'occupied', 'rented', 'vacant'],
  renovating: ['occupied', 'delivered', 'rented', 'vacant'],
  occupied: ['renovating', 'rented', 'vacant'],
  rented: ['occupied', 'vacant', 'renovating'],
};

export function canChangeStatus(from: RoomStatus, to: RoomStatus): boolean {
  return STATUS_TRANSITIONS[from].includes(to);
}

export interface GridRoom {
  id: string;
  unitName: string | null;
  floor: number;
  number: string;
  status: RoomStatus;
}

/** Lays rooms out floor by floor (top first), ordered by unit and number, and counts them by status. */
export function buildGrid(rooms: GridRoom[], floorsAbove: number, floorsBelow: number) {
  const byFloor = new Map<number, GridRoom[]>();
  for (const f of floorsOf(floorsAbove, floorsBelow)) byFloor.set(f, []);
  const counts: Partial<Record<RoomStatus, number>> = {};
  for (const r of rooms) {
    if (!byFloor.has(r.floor)) byFloor.set(r.floor, []);
    byFloor.get(r.floor)!.push(r);
    counts[r.status] = (counts[r.status] ?? 0) + 1;
  }
  const collator = new Intl.Collator('zh-CN', { numeric: true });
  const floors = [...byFloor.entries()]
    .sort(([a], [b]) => b - a)
    .map(([floor, list]) => ({
      floor,
      rooms: list.sort((a, b) => collator.compare(a.unitName ?? '', b.unitName ?? '') || collator.compare(a.number, b.number)),
    }));
  return { floors, counts, total: rooms.length };
}
