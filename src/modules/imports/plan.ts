import type { RoomKind, RoomStatus } from '../../db/schema.ts';
import type { Reason } from './messages.ts';
import { type ParkingRow, type Parsed, type RoomRow, type RowError, type SheetRow, guessBuildingKind, parseParkingRow, parseRoomRow, roomKey } from './rules.ts';

/**
 * Compares checked rows with what is stored and decides, per row, create / update / unchanged — or an error that
 * needs the stored state (floor outside its building, a duplicate inside the file, another community's code).
 * Pure: the caller loads the stored state.
 */

export type Action = 'create' | 'update' | 'unchanged';
export interface Counts {
  create: number;
  update: number;
  unchanged: number;
  error: number;
}
export interface Plan<T> {
  items: Array<T & { row: number; action: Action }>;
  errors: RowError[];
  counts: Counts;
  notes: Reason[];
}

export interface CommunityCodes {
  /** The community this import writes to. */
  code: string;
  /** Every community code of the caller's company that they may see. */
  visible: ReadonlySet<string>;
}

export function communityError(given: string, codes: CommunityCodes): Reason | null {
  if (given === codes.code) return null;
  return codes.visible.has(given) ? { key: 'import.otherCommunity', params: { expected: codes.code, code: given } } : { key: 'import.unknownCommunity', params: { code: given } };
}

/**
 * Runs the row checks and the community check, then `decide` for each good row; `decide` returns the action or the
 * errors that need stored state. Counts each bad row once however many columns are wrong.
 */
export function planRows<R extends { communityCode: string }, T>(
  rows: SheetRow[],
  parse: (cells: Record<string, string>) => Parsed<R>,
  codes: CommunityCodes,
  decide: (value: R, row: number) => { errors: Array<Omit<RowError, 'row'>> } | { item: T; action: Action },
): Plan<T> {
  const plan: Plan<T> = { items: [], errors: [], counts: { create: 0, update: 0, unchanged: 0, error: 0 }, notes: [] };
  for (const { row, cells } of rows) {
    const parsed = parse(cells);
    let errors: Array<Omit<RowError, 'row'>>;
    if (!parsed.ok) errors = parsed.errors;
    else {
      const wrongCommunity = communityError(parsed.value.communityCode, codes);
      if (wrongCommunity) errors = [{ column: '小区编码', reason: wrongCommunity }];
      else {
        const d = decide(parsed.value, row);
        if ('errors' in d) errors = d.errors;
        else {
          plan.items.push({ ...d.item, row, action: d.action });
          plan.counts[d.action] += 1;
          continue;
        }
      }
    }
    plan.counts.error += 1;
    plan.errors.push(...errors.map((e) => ({ row, ...e })));
  }
  return plan;
}

export interface StoredRoom {
  floor: number;
  builtArea: string;
  innerArea: string | null;
  kind: RoomKind;
  status: RoomStatus;
}
export interface RoomsState {
  buildings: Map<string, { floorsAbove: number; floorsBelow: number; units: Set<string> }>;
  /** By roomKey(building, unit, number). */
  rooms: Map<string, StoredRoom>;
}
export type RoomItem = Omit<RoomRow, 'communityCode'>;
export interface NewBuilding {
  name: string;
  kind: ReturnType<typeof guessBuildingKind>;
  floorsAbove: number;
  floorsBelow: number;
  units: string[];
}

/** What a room row would change; null when it changes nothing. */
export function roomChanges(item: RoomItem, stored: StoredRoom): Partial<StoredRoom> | null {
  const changes: Partial<StoredRoom> = {};
  if (item.floor !== stored.floor) changes.floor = item.floor;
  if (item.builtArea !== stored.builtArea) changes.builtArea = item.builtArea;
  if (item.innerArea !== undefined && item.innerArea !== stored.innerArea) changes.innerArea = item.innerArea;
  if (item.kind && item.kind !== stored.kind) changes.kind = item.kind;
  if (item.status && item.status !== stored.status) changes.status = item.status;
  return Object.keys(changes).length ? changes : null;
}

export function planRooms(rows: SheetRow[], codes: CommunityCodes, state: RoomsState): Plan<RoomItem> & { newBuildings: NewBuilding[]; newUnits: Array<{ building: string; unit: string }> } {
  const seen = new Map<string, number>();
  const fresh = new Map<string, { min: number; max: number; kinds: Set<RoomKind>; units: Set<string> }>();
  const newUnits = new Map<string, { building: string; unit: string }>();
  const plan = planRows<RoomRow, RoomItem>(rows, parseRoomRow, codes, (v, row) => {
    const key = roomKey(v.building, v.unit, v.number);
    const first = seen.get(key);
    if (first !== undefined) return { errors: [{ column: '房号', reason: { key: 'import.duplicateInFile', params: { other: first } } }] };
    const building = state.buildings.get(v.building);
    if (building && (v.floor > building.floorsAbove || v.floor < -building.floorsBelow)) {
      return { errors: [{ column: '楼层', reason: { key: 'validation.floorRange', params: { field: '楼层', floor: v.floor } } }] };
    }
    seen.set(key, row);
    if (!building) {
      const f = fresh.get(v.building) ?? { min: v.floor, max: v.floor, kinds: new Set(), units: new Set() };
      f.min = Math.min(f.min, v.floor);
      f.max = Math.max(f.max, v.floor);
      f.kinds.add(v.kind ?? 'residence');
      if (v.unit) f.units.add(v.unit);
      fresh.set(v.building, f);
    } else if (v.unit && !building.units.has(v.unit)) newUnits.set(`${v.building}\u0000${v.unit}`, { building: v.building, unit: v.unit });
    const { communityCode: _, ...item } = v;
    const stored = state.rooms.get(key);
    return { item, action: !stored ? 'create' : roomChanges(item, stored) ? 'update' : 'unchanged' };
  });
  const collator = new Intl.Collator('zh-CN', { numeric: true });
  const newBuildings = [...fresh.entries()]
    .sort(([a], [b]) => collator.compare(a, b))
    .map(([name, f]) => ({ name, kind: guessBuildingKind(f.max, f.kinds), floorsAbove: Math.max(f.max, 1), floorsBelow: Math.max(-f.min, 0), units: [...f.units].sort(collator.compare) }));
  if (newBuildings.length) plan.notes.push({ key: 'import.createBuildings', params: { names: newBuildings.map((b) => `${b.name}（${b.floorsAbove} 层）`).join('、') } });
  if (newUnits.size) plan.notes.push({ key: 'import.createUnits', params: { names: [...newUnits.values()].map((u) => `${u.building}-${u.unit}`).join('、') } });
  return { ...plan, newBuildings, newUnits: [...newUnits.values()] };
}

export type ParkingItem = Omit<ParkingRow, 'communityCode'>;
export interface StoredSpace {
  area: 'above' | 'under';
  kind: NonNullable<ParkingRow['kind']>;
  mode: 'fixed' | 'shared';
}

export function spaceChanged(item: ParkingItem, stored: StoredSpace): boolean {
  return item.area !== stored.area || (item.kind !== null && item.kind !== stored.kind) || (item.mode !== null && item.mode !== stored.mode);
}

export function planParking(rows: SheetRow[], codes: CommunityCodes, spaces: Map<string, StoredSpace>): Plan<ParkingItem> {
  const seen = new Map<string, number>();
  return planRows<ParkingRow, ParkingItem>(rows, parseParkingRow, codes, (v, row) => {
    const first = seen.get(v.number);
    if (first !== undefined) return { errors: [{ column: '车位号', reason: { key: 'import.duplicateInFile', params: { other: first } } }] };
    seen.set(v.number, row);
    const { communityCode: _, ...item } = v;
    const stored = spaces.get(v.number);
    return { item, action: !stored ? 'create' : spaceChanged(item, stored) ? 'update' : 'unchanged' };
  });
}
