/**
 * The spreadsheet columns of each import kind and the Chinese labels of enum values. The template, the export and
 * the parser all read these, so an export can be edited and imported again. No server imports: the web may use it.
 */

export const IMPORT_KINDS = ['rooms', 'parking', 'residents'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export interface Column {
  /** The header as it appears in row 1 (Chinese); reports name columns by it. */
  header: string;
  key: string;
  width: number;
  required?: boolean;
  /** Allowed labels: the template gets a dropdown, the parser maps them to codes. */
  options?: readonly string[];
  /** Stored as text so Excel keeps leading zeros and 18-digit numbers (ID numbers, phones). */
  text?: boolean;
  note?: string;
}

/** label → code maps, in the order the dropdowns show them. */
export const ROOM_KIND_LABELS = { 住宅: 'residence', 商铺: 'shop', 办公: 'office', 车库: 'garage', 储藏室: 'storage' } as const;
export const ROOM_STATUS_LABELS = { 未售: 'unsold', 空置: 'vacant', 已交房: 'delivered', 装修中: 'renovating', 已入住: 'occupied', 出租: 'rented' } as const;
export const PARKING_AREA_LABELS = { 地上: 'above', 地下: 'under' } as const;
export const PARKING_KIND_LABELS = { 标准: 'standard', 大型: 'large', 小型: 'small', 充电: 'charging', 无障碍: 'accessible', 车库: 'garage' } as const;
export const PARKING_MODE_LABELS = { 固定: 'fixed', 共享: 'shared' } as const;
export const ID_TYPE_LABELS = { 身份证: 'idCard', 护照: 'passport', 港澳通行证: 'hkMacauPermit', 台湾通行证: 'taiwanPermit', 外国人居留证: 'foreignPermit', 其他: 'other' } as const;
export const RELATION_LABELS = { 业主: 'owner', 家属: 'family', 租客: 'tenant' } as const;

const labels = (map: Record<string, string>) => Object.keys(map);

/** code → label, for exports. */
export function labelOf<M extends Record<string, string>>(map: M, code: M[keyof M]): string {
  return Object.keys(map).find((k) => map[k] === code) ?? String(code);
}

export const ROOM_COLUMNS: readonly Column[] = [
  { header: '小区编码', key: 'communityCode', width: 12, required: true, text: true },
  { header: '楼栋', key: 'building', width: 12, required: true, text: true },
  { header: '单元', key: 'unit', width: 10, text: true },
  { header: '楼层', key: 'floor', width: 8, required: true, note: '地下层写负数，如 -1' },
  { header: '房号', key: 'number', width: 10, required: true, text: true },
  { header: '建筑面积', key: 'builtArea', width: 12, required: true, note: '㎡，最多两位小数' },
  { header: '套内面积', key: 'innerArea', width: 12 },
  { header: '房屋类型', key: 'kind', width: 12, options: labels(ROOM_KIND_LABELS) },
  { header: '状态', key: 'status', width: 10, options: labels(ROOM_STATUS_LABELS) },
];

export const PARKING_COLUMNS: readonly Column[] = [
  { header: '小区编码', key: 'communityCode', width: 12, required: true, text: true },
  { header: '区域', key: 'area', width: 8, required: true, options: labels(PARKING_AREA_LABELS) },
  { header: '车位号', key: 'number', width: 12, required: true, text: true },
  { header: '类型', key: 'kind', width: 10, options: labels(PARKING_KIND_LABELS) },
  { header: '使用方式', key: 'mode', width: 10, options: labels(PARKING_MODE_LABELS) },
];

export const RESIDENT_COLUMNS: readonly Column[] = [
  { header: '小区编码', key: 'communityCode', width: 12, required: true, text: true },
  { header: '姓名', key: 'name', width: 10, required: true, text: true },
  { header: '手机号', key: 'phone', width: 14, required: true, text: true },
  { header: '证件类型', key: 'idType', width: 12, options: labels(ID_TYPE_LABELS) },
  { header: '证件号', key: 'idNumber', width: 22, text: true },
  { header: '楼栋', key: 'building', width: 10, text: true },
  { header: '单元', key: 'unit', width: 10, text: true },
  { header: '房号', key: 'number', width: 10, text: true },
  { header: '关系', key: 'relation', width: 8, options: labels(RELATION_LABELS) },
  { header: '产权份额', key: 'share', width: 10, note: '业主的份额 %，空表示全部' },
  { header: '入伙日期', key: 'moveInDate', width: 12, text: true, note: 'YYYY-MM-DD' },
  { header: '租期开始', key: 'leaseStart', width: 12, text: true },
  { header: '租期结束', key: 'leaseEnd', width: 12, text: true },
  { header: '车牌', key: 'plates', width: 20, text: true, note: '多个车牌用逗号分开' },
];

export const COLUMNS: Record<ImportKind, readonly Column[]> = { rooms: ROOM_COLUMNS, parking: PARKING_COLUMNS, residents: RESIDENT_COLUMNS };

export const SHEET_NAMES: Record<ImportKind, string> = { rooms: '房屋', parking: '车位', residents: '住户' };

/** The second row of each template: one filled-in example. */
export const EXAMPLES: Record<ImportKind, Array<string | number>> = {
  rooms: ['JHY', '1栋', '1单元', 12, '1203', 89.5, 72.3, '住宅', '已交房'],
  parking: ['JHY', '地下', 'B1-001', '标准', '固定'],
  residents: ['JHY', '张伟', '13800138001', '身份证', '320102199001011232', '1栋', '1单元', '1203', '业主', '', '2024-05-01', '', '', '苏A12345'],
};

export function headerIndex(kind: ImportKind): Map<string, Column> {
  return new Map(COLUMNS[kind].map((c) => [c.header, c]));
}
