import type { RoomKind, RoomStatus } from '../../db/schema.ts';
import { CN_MOBILE } from '../../core/validation.ts';
import { checkArea, normalizeRoomNumber } from '../estate/rules.ts';
import { checkIdNumber, checkPlate } from '../residents/rules.ts';
import {
  type Column,
  COLUMNS,
  ID_TYPE_LABELS,
  type ImportKind,
  PARKING_AREA_LABELS,
  PARKING_KIND_LABELS,
  PARKING_MODE_LABELS,
  RELATION_LABELS,
  ROOM_KIND_LABELS,
  ROOM_STATUS_LABELS,
} from './columns.ts';
import type { Reason } from './messages.ts';

/**
 * Pure checks of one spreadsheet row at a time: the same rules and messages as the API, with the column named by
 * its Chinese header. No I/O; comparing with the database happens in plan.ts.
 */

/** A data row as read: cell text by column key; a key is absent when the sheet has no such column. */
export interface SheetRow {
  row: number;
  cells: Record<string, string>;
}
export interface RowError {
  row: number;
  column: string;
  reason: Reason;
}
export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: Array<Omit<RowError, 'row'>> };

const AREA_MESSAGES = { notPositive: 'validation.areaNotPositive', decimals: 'validation.areaDecimals', absurd: 'validation.areaAbsurd', format: 'validation.areaFormat' } as const;

/** Collects errors per column while a row is read, then yields the value or every error of the row. */
class RowReader {
  readonly errors: Array<Omit<RowError, 'row'>> = [];
  constructor(
    private readonly kind: ImportKind,
    readonly cells: Record<string, string>,
  ) {}

  col(key: string): Column {
    return COLUMNS[this.kind].find((c) => c.key === key)!;
  }
  fail(key: string, reason: Reason) {
    const column = this.col(key).header;
    this.errors.push({ column, reason: { ...reason, params: { field: column, ...reason.params } } });
  }
  has(key: string): boolean {
    return key in this.cells;
  }
  text(key: string, max = 40): string | null {
    const v = this.cells[key]?.trim() ?? '';
    if (!v) {
      if (this.col(key).required) this.fail(key, { key: 'validation.required' });
      return null;
    }
    if ([...v].length > max) {
      this.fail(key, { key: 'validation.tooLong', params: { max } });
      return null;
    }
    return v;
  }
  choice<M extends Record<string, string>>(key: string, map: M): M[keyof M] | null {
    const v = this.text(key);
    if (v === null) return null;
    if (!Object.hasOwn(map, v)) {
      // Codes are accepted too, so a sheet written by a program need not know the labels.
      const code = Object.values(map).find((c) => c === v);
      if (code) return code as M[keyof M];
      this.fail(key, { key: 'validation.enum', params: { options: Object.keys(map).join('、') } });
      return null;
    }
    return map[v as keyof M];
  }
  date(key: string): string | null {
    const v = this.text(key, 20);
    if (v === null) return null;
    const d = parseDate(v);
    if (!d) this.fail(key, { key: 'import.date' });
    return d;
  }
  result<T>(value: T): Parsed<T> {
    return this.errors.length ? { ok: false, errors: this.errors } : { ok: true, value };
  }
}

/** 2024-05-01, 2024/5/1, 2024.5.1 or an Excel day number → 'YYYY-MM-DD'; null when not a real date. */
export function parseDate(input: string): string | null {
  let y: number, m: number, d: number;
  const parts = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(input.trim());
  if (parts) [y, m, d] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  else if (/^\d{4,5}$/.test(input.trim())) {
    // Excel's day 1 is 1900-01-01, counting the non-existent 1900-02-29; day numbers here are after 1900.
    const date = new Date(Date.UTC(1899, 11, 30) + Number(input) * 86_400_000);
    [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
  } else return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d || y < 1900 || y > 2100) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function readArea(r: RowReader, key: string, kind: RoomKind): string | null {
  const v = r.text(key, 12);
  if (v === null) return null;
  const c = checkArea(v, kind);
  if (!c.ok) {
    r.fail(key, { key: AREA_MESSAGES[c.reason], params: { value: v } });
    return null;
  }
  return c.value;
}

function readRoomNumber(r: RowReader, key: string): string | null {
  const v = r.text(key, 16);
  if (v === null) return null;
  const n = normalizeRoomNumber(v);
  if (!n) r.fail(key, { key: 'validation.roomNumber' });
  return n;
}

function readName(r: RowReader, key: string): string | null {
  const v = r.text(key);
  return v === null ? null : v.replace(/\s+/g, ' ');
}

export interface RoomRow {
  communityCode: string;
  building: string;
  unit: string | null;
  floor: number;
  number: string;
  builtArea: string;
  /** undefined: the sheet has no 套内面积 column, keep what is stored. */
  innerArea: string | null | undefined;
  /** null: not given (new rooms get 住宅 / 未售, existing ones keep theirs). */
  kind: RoomKind | null;
  status: RoomStatus | null;
}

export function parseRoomRow(cells: Record<string, string>): Parsed<RoomRow> {
  const r = new RowReader('rooms', cells);
  const communityCode = r.text('communityCode');
  const building = readName(r, 'building');
  const unit = readName(r, 'unit');
  const floorText = r.text('floor', 4);
  let floor: number | null = null;
  if (floorText !== null) {
    floor = /^-?\d+$/.test(floorText) ? Number(floorText) : null;
    if (floor === null) r.fail('floor', { key: 'validation.format' });
    else if (floor === 0 || floor < -20 || floor > 200) r.fail('floor', { key: 'validation.floorRange', params: { floor } });
  }
  const number = readRoomNumber(r, 'number');
  const kind = r.choice('kind', ROOM_KIND_LABELS);
  const status = r.choice('status', ROOM_STATUS_LABELS);
  const builtArea = readArea(r, 'builtArea', kind ?? 'residence');
  let innerArea: string | null | undefined = r.has('innerArea') ? readArea(r, 'innerArea', kind ?? 'residence') : undefined;
  if (builtArea && innerArea && Number(innerArea) > Number(builtArea)) {
    r.fail('innerArea', { key: 'validation.innerArea' });
    innerArea = null;
  }
  return r.result({ communityCode: communityCode!, building: building!, unit, floor: floor!, number: number!, builtArea: builtArea!, innerArea, kind, status });
}

export interface ParkingRow {
  communityCode: string;
  area: 'above' | 'under';
  number: string;
  kind: (typeof PARKING_KIND_LABELS)[keyof typeof PARKING_KIND_LABELS] | null;
  mode: 'fixed' | 'shared' | null;
}

export function parseParkingRow(cells: Record<string, string>): Parsed<ParkingRow> {
  const r = new RowReader('parking', cells);
  const communityCode = r.text('communityCode');
  const area = r.choice('area', PARKING_AREA_LABELS);
  const raw = r.text('number', 20);
  const number = raw === null ? null : raw.toUpperCase().replace(/\s+/g, '');
  const kind = r.choice('kind', PARKING_KIND_LABELS);
  const mode = r.choice('mode', PARKING_MODE_LABELS);
  return r.result({ communityCode: communityCode!, area: area!, number: number!, kind, mode });
}

export type IdType = (typeof ID_TYPE_LABELS)[keyof typeof ID_TYPE_LABELS];
export type Relation = (typeof RELATION_LABELS)[keyof typeof RELATION_LABELS];

export interface ResidentRow {
  communityCode: string;
  name: string;
  phone: string;
  idType: IdType;
  idNumber: string | null;
  birthday: string | null;
  gender: 'male' | 'female' | null;
  /** Present when the row links the person to a room. */
  room: { building: string; unit: string | null; number: string; relation: Relation; share: string | null; moveInDate: string | null; leaseStart: string | null; leaseEnd: string | null } | null;
  plates: Array<{ plate: string; energy: 'fuel' | 'newEnergy' }>;
}

export function parseResidentRow(cells: Record<string, string>): Parsed<ResidentRow> {
  const r = new RowReader('residents', cells);
  const communityCode = r.text('communityCode');
  const name = readName(r, 'name');
  const rawPhone = r.text('phone', 20);
  const phone = rawPhone === null ? null : rawPhone.replace(/[\s-]/g, '');
  if (phone !== null && !CN_MOBILE.test(phone)) r.fail('phone', { key: 'validation.phone' });
  const idNumberRaw = r.text('idNumber');
  const idType = r.choice('idType', ID_TYPE_LABELS) ?? 'idCard';
  let idNumber: string | null = null;
  let birthday: string | null = null;
  let gender: 'male' | 'female' | null = null;
  if (idNumberRaw !== null) {
    if (idType === 'idCard') {
      const c = checkIdNumber(idNumberRaw);
      if (c.ok) [idNumber, birthday, gender] = [c.normalized, c.birthday, c.gender];
      else r.fail('idNumber', { key: 'validation.idNumber', params: { reason: c.reason } });
    } else idNumber = idNumberRaw.toUpperCase();
  }
  const building = readName(r, 'building');
  const unit = readName(r, 'unit');
  const number = readRoomNumber(r, 'number');
  const relation = r.choice('relation', RELATION_LABELS);
  let share: string | null = null;
  const shareText = r.text('share', 8);
  if (shareText !== null) {
    const s = shareText.replace(/%$/, '');
    if (/^\d+(\.\d{1,2})?$/.test(s) && Number(s) > 0 && Number(s) <= 100) share = Number(s).toFixed(2);
    else r.fail('share', { key: 'import.share' });
  }
  const moveInDate = r.date('moveInDate');
  const leaseStart = r.date('leaseStart');
  const leaseEnd = r.date('leaseEnd');
  let room: ResidentRow['room'] = null;
  const wantsRoom = Boolean(building || number || relation);
  if (wantsRoom) {
    if (!building) r.fail('building', { key: 'validation.required' });
    if (!number && !r.errors.some((e) => e.column === '房号')) r.fail('number', { key: 'validation.required' });
    if (!relation && !r.errors.some((e) => e.column === '关系')) r.fail('relation', { key: 'validation.required' });
    if (relation === 'tenant' && !leaseStart && !r.errors.some((e) => e.column === '租期开始')) r.fail('leaseStart', { key: 'validation.required' });
    if (relation === 'tenant' && !leaseEnd && !r.errors.some((e) => e.column === '租期结束')) r.fail('leaseEnd', { key: 'validation.required' });
    if (leaseStart && leaseEnd && leaseEnd < leaseStart) r.fail('leaseEnd', { key: 'validation.dateOrder' });
    if (building && number && relation) room = { building, unit, number, relation, share: relation === 'owner' ? share : null, moveInDate, leaseStart, leaseEnd };
  }
  const plates: ResidentRow['plates'] = [];
  const platesText = r.text('plates', 200);
  for (const p of platesText ? platesText.split(/[,，、;；\s]+/).filter(Boolean) : []) {
    const c = checkPlate(p);
    if (!c.ok) r.fail('plates', { key: 'validation.plate' });
    else if (!plates.some((x) => x.plate === c.normalized)) plates.push({ plate: c.normalized, energy: c.energy });
  }
  return r.result({ communityCode: communityCode!, name: name!, phone: phone!, idType, idNumber, birthday, gender, room, plates });
}

/** A room's natural key inside one community: building + unit + number. */
export function roomKey(building: string, unit: string | null, number: string): string {
  return `${building}\u0000${unit ?? ''}\u0000${number}`;
}

export function roomLabelOf(building: string, unit: string | null, number: string): string {
  return [building, unit, number].filter(Boolean).join('-');
}

/** The building type a new building gets from its rooms: shops → 商业, ≤ 3 floors → 别墅, ≤ 6 多层, ≤ 11 小高层, else 高层. */
export function guessBuildingKind(maxFloor: number, kinds: Iterable<RoomKind>): 'highRise' | 'midRise' | 'multiStorey' | 'villa' | 'office' | 'commercial' {
  const set = new Set(kinds);
  if (set.size > 0 && [...set].every((k) => k === 'shop')) return 'commercial';
  if (set.size > 0 && [...set].every((k) => k === 'office')) return 'office';
  if (maxFloor <= 3) return 'villa';
  if (maxFloor <= 6) return 'multiStorey';
  if (maxFloor <= 11) return 'midRise';
  return 'highRise';
}
