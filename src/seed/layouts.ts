import type { BuildingKind, RoomKind } from '../db/schema.ts';

/**
 * The shape of the demo estates: buildings, unit entrances, rooms per floor, areas, zones and parking. Pure data;
 * estate.ts turns it into rows. Company A: 锦华苑 (high-rise towers and a shopping street), 碧澜湾 (33-floor towers,
 * a villa area, shops), 云栖居 (multi-storey and mid-rise); about 2,900 rooms. Company B: 和煦园, about 250.
 */

export interface BuildingLayout {
  name: string;
  kind: BuildingKind;
  floorsAbove: number;
  floorsBelow?: number;
  lifts?: number;
  /** Unit entrances; rooms repeat per unit. Empty: the building has none. */
  units: string[];
  /** Rooms per floor in each unit (or in the building when it has no units). */
  perFloor: number;
  roomKind: RoomKind;
  /** Built-up area by position on the floor, cycled. */
  areas: number[];
  /** Floors holding rooms; default every floor above ground. */
  roomFloors?: number[];
  /** Room number from floor and position (0-based); default 1203 style. */
  number?: (floor: number, pos: number) => string;
  zone?: string;
  phase?: string;
}

export interface CommunityLayout {
  code: string;
  name: string;
  address: string;
  division: { provinceCode: string; cityCode: string; districtCode: string };
  landArea: number;
  greenArea: number;
  serviceLevel: 'level1' | 'level2' | 'level3';
  communityType: 'commercial' | 'resettlement' | 'enterpriseDorm' | 'openOld' | 'office';
  phases: string[];
  /** Zones (片区) with the username of the responsible staff member. */
  zones: Array<{ name: string; responsible: string }>;
  commonParts: Array<{ name: string; kind: string; location: string; zone?: string; responsible: string }>;
  buildings: BuildingLayout[];
  parking: { under: number; above: number };
  committee: number;
  plates: { province: string; cities: string };
  /** Stop after this many rooms (a benchmark community's last tower is partly built). */
  roomLimit?: number;
}

const tower = (n: number, over: Partial<BuildingLayout> = {}): BuildingLayout => ({
  name: `${n}栋`,
  kind: 'highRise',
  floorsAbove: 32,
  floorsBelow: 2,
  lifts: 4,
  units: ['1单元', '2单元'],
  perFloor: 2,
  roomKind: 'residence',
  areas: [128.56, 98.32],
  ...over,
});

const shops = (name: string, count: number, zone: string, phase?: string): BuildingLayout => ({
  name,
  kind: 'commercial',
  floorsAbove: 2,
  units: [],
  perFloor: Math.ceil(count / 2),
  roomKind: 'shop',
  areas: [45.5, 62.8, 88.0, 120.4, 56.3],
  number: (floor, pos) => `S-${floor}${String(pos + 1).padStart(2, '0')}`,
  zone,
  phase,
});

const villas = (area: string, count: number): BuildingLayout => ({
  name: `别墅${area}区`,
  kind: 'villa',
  floorsAbove: 3,
  floorsBelow: 1,
  units: [],
  perFloor: count,
  roomKind: 'residence',
  areas: [268.5, 312.8, 245.6],
  roomFloors: [1],
  number: (_floor, pos) => `${area}-${String(pos + 1).padStart(2, '0')}`,
  zone: '别墅区',
});

export const COMPANY_A_LAYOUTS: CommunityLayout[] = [
  {
    code: 'JHY',
    name: '锦华苑',
    address: '江苏省南京市鼓楼区中山北路 88 号',
    division: { provinceCode: '320000', cityCode: '320100', districtCode: '320106' },
    landArea: 62000,
    greenArea: 22300,
    serviceLevel: 'level1',
    communityType: 'commercial',
    phases: ['一期', '二期'],
    zones: [
      { name: '东区', responsible: 'kefu' },
      { name: '西区', responsible: 'baoan' },
      { name: '商业区', responsible: 'shoufei' },
    ],
    commonParts: [
      { name: '中心花园', kind: '绿地', location: '3栋与6栋之间', zone: '东区', responsible: 'kefu' },
      { name: '1号水泵房', kind: '设备房', location: '地下一层 B1-07', responsible: 'weixiu' },
      { name: '消防控制室', kind: '设备房', location: '1栋一层', responsible: 'baoan' },
      { name: '地下车库', kind: '车库', location: '地下一、二层', responsible: 'baoan' },
    ],
    buildings: [
      ...[1, 2, 3, 4].map((n) => tower(n, { zone: '东区', phase: '一期' })),
      ...[5, 6].map((n) => tower(n, { zone: '西区', phase: '二期' })),
      ...[7, 8].map((n) => tower(n, { kind: 'midRise', floorsAbove: 11, floorsBelow: 1, lifts: 2, areas: [89.6, 76.2], zone: '西区', phase: '二期' })),
      shops('商业街', 40, '商业区', '一期'),
    ],
    parking: { under: 560, above: 40 },
    committee: 5,
    plates: { province: '苏', cities: 'AAAAAB' },
  },
  {
    code: 'BLW',
    name: '碧澜湾',
    address: '江苏省南京市建邺区江东中路 266 号',
    division: { provinceCode: '320000', cityCode: '320100', districtCode: '320105' },
    landArea: 88000,
    greenArea: 35200,
    serviceLevel: 'level1',
    communityType: 'commercial',
    phases: [],
    zones: [
      { name: '高层区', responsible: 'jingli' },
      { name: '别墅区', responsible: 'weixiu' },
      { name: '商业区', responsible: 'jingli' },
    ],
    commonParts: [
      { name: '湖景步道', kind: '道路', location: '小区南侧', zone: '别墅区', responsible: 'weixiu' },
      { name: '高低压配电房', kind: '设备房', location: '1栋地下一层', responsible: 'weixiu' },
    ],
    buildings: [
      // The benchmark's tower: 33 floors, 8 rooms a floor, no unit entrances.
      ...[1, 2, 3].map((n) => tower(n, { floorsAbove: 33, lifts: 6, units: [], perFloor: 8, areas: [143.2, 89.5, 89.5, 118.7, 118.7, 89.5, 89.5, 143.2], zone: '高层区' })),
      ...['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'].map((a) => villas(a, 12)),
      shops('临湖商铺', 30, '商业区'),
    ],
    parking: { under: 420, above: 60 },
    committee: 5,
    plates: { province: '苏', cities: 'AAAAAB' },
  },
  {
    code: 'YSJ',
    name: '云栖居',
    address: '江苏省南京市江宁区双龙大道 1208 号',
    division: { provinceCode: '320000', cityCode: '320100', districtCode: '320115' },
    landArea: 71000,
    greenArea: 24800,
    serviceLevel: 'level2',
    communityType: 'commercial',
    phases: ['一组团', '二组团'],
    zones: [
      { name: '一组团', responsible: 'admin' },
      { name: '二组团', responsible: 'admin' },
    ],
    commonParts: [
      { name: '二次供水泵房', kind: '设备房', location: '9栋东侧', responsible: 'admin' },
      { name: '儿童乐园', kind: '游乐设施', location: '中心广场', zone: '一组团', responsible: 'admin' },
    ],
    buildings: [
      ...Array.from({ length: 20 }, (_, i) =>
        tower(i + 1, { kind: 'multiStorey', floorsAbove: 6, floorsBelow: 0, lifts: 0, units: ['1单元', '2单元', '3单元'], areas: [92.4, 76.8], zone: i < 10 ? '一组团' : '二组团', phase: i < 10 ? '一组团' : '二组团' }),
      ),
      ...[21, 22, 23, 24].map((n) => tower(n, { kind: 'midRise', floorsAbove: 18, floorsBelow: 1, lifts: 2, areas: [105.3, 88.6], zone: '二组团', phase: '二组团' })),
      shops('社区商业', 24, '一组团', '一组团'),
    ],
    parking: { under: 300, above: 80 },
    committee: 3,
    plates: { province: '苏', cities: 'AAAAAB' },
  },
];

export const COMPANY_B_LAYOUTS: CommunityLayout[] = [
  {
    code: 'HXY',
    name: '和煦园',
    address: '江苏省苏州市姑苏区人民路 520 号',
    division: { provinceCode: '320000', cityCode: '320500', districtCode: '320508' },
    landArea: 24000,
    greenArea: 8400,
    serviceLevel: 'level2',
    communityType: 'openOld',
    phases: [],
    zones: [{ name: '全区', responsible: 'admin-b' }],
    commonParts: [{ name: '自行车棚', kind: '车棚', location: '5栋北侧', zone: '全区', responsible: 'admin-b' }],
    buildings: [
      ...Array.from({ length: 10 }, (_, i) => tower(i + 1, { kind: 'multiStorey', floorsAbove: 6, floorsBelow: 0, lifts: 0, areas: [78.5, 66.2], zone: '全区' })),
      shops('沿街商铺', 10, '全区'),
    ],
    parking: { under: 0, above: 80 },
    committee: 3,
    plates: { province: '苏', cities: 'EEEEA' },
  },
];

/** One community of a benchmark company: towers of 33 floors, 2 units, 4 rooms per floor (264 rooms each). */
export function scaleLayout(code: string, rooms: number): CommunityLayout {
  const perTower = 33 * 2 * 4;
  const towers = Math.ceil(rooms / perTower);
  return {
    code,
    name: `压测小区${code}`,
    address: '江苏省南京市玄武区',
    division: { provinceCode: '320000', cityCode: '320100', districtCode: '320102' },
    landArea: 100000,
    greenArea: 30000,
    serviceLevel: 'level2',
    communityType: 'commercial',
    phases: [],
    zones: [],
    commonParts: [],
    buildings: Array.from({ length: towers }, (_, i) => tower(i + 1, { floorsAbove: 33, perFloor: 4, areas: [128.5, 96.3, 96.3, 128.5] })),
    parking: { under: Math.round(rooms * 0.4), above: 0 },
    committee: 0,
    plates: { province: '苏', cities: 'AAAB' },
    roomLimit: rooms,
  };
}

export interface RoomSpec {
  building: string;
  unit: string | null;
  floor: number;
  number: string;
  kind: RoomKind;
  area: number;
}

/** Every room of a building, floor by floor. `limit` cuts the last building of a benchmark community short. */
export function roomsOf(b: BuildingLayout, limit = Infinity): RoomSpec[] {
  const out: RoomSpec[] = [];
  const floors = b.roomFloors ?? Array.from({ length: b.floorsAbove }, (_, i) => i + 1);
  const units = b.units.length ? b.units : [null];
  for (const unit of units) {
    for (const floor of floors) {
      for (let pos = 0; pos < b.perFloor && out.length < limit; pos++) {
        const number = b.number ? b.number(floor, pos) : `${floor}${String(pos + 1).padStart(2, '0')}`;
        out.push({ building: b.name, unit, floor, number, kind: b.roomKind, area: b.areas[pos % b.areas.length] });
      }
    }
  }
  return out;
}
