import { describe, expect, it } from 'vitest';
import { render } from './messages.ts';
import { planRooms, roomChanges } from './plan.ts';
import { planResidents, type ResidentsState } from './plan-residents.ts';
import { guessBuildingKind, parseDate, parseParkingRow, parseResidentRow, parseRoomRow, roomKey } from './rules.ts';
import { cellText } from './xlsx.ts';

const reasons = (p: { ok: boolean; errors?: Array<{ column: string; reason: Parameters<typeof render>[1] }> }) => (p.ok ? [] : p.errors!.map((e) => `${e.column}: ${render('zh-CN', e.reason)}`));

describe('parseDate', () => {
  it.each([
    ['2024-05-01', '2024-05-01'],
    ['2024/5/1', '2024-05-01'],
    ['2024.12.31', '2024-12-31'],
    ['2024年5月1日', '2024-05-01'],
    ['45413', '2024-05-01'], // an Excel day number
    ['2024-02-30', null],
    ['2023-02-29', null],
    ['1899-12-31', null],
    ['5/1/2024', null],
    ['明天', null],
  ])('%s → %s', (input, expected) => expect(parseDate(input)).toBe(expected));
});

describe('cellText', () => {
  it.each([
    [null, ''],
    ['  1203 ', '1203'],
    [12, '12'],
    [89.5, '89.5'],
    [0.1 + 0.2, '0.3'],
    [new Date(Date.UTC(2024, 4, 1)), '2024-05-01'],
    [{ richText: [{ text: '1' }, { text: '栋' }] }, '1栋'],
    [{ formula: 'A1*2', result: 178 }, '178'],
    [{ text: '链接', hyperlink: 'http://x' }, '链接'],
    [{ error: '#N/A' }, '#N/A'],
  ])('%j → %j', (value, expected) => expect(cellText(value)).toBe(expected));
});

describe('parseRoomRow', () => {
  const row = (over: Record<string, string> = {}) => ({ communityCode: 'JHY', building: '1栋', unit: '1单元', floor: '12', number: '1203', builtArea: '89.5', innerArea: '', kind: '', status: '', ...over });

  it('maps labels to codes and normalises numbers and areas', () => {
    expect(parseRoomRow(row({ number: ' b-101 ', kind: '商铺', status: '出租', innerArea: '70' }))).toEqual({
      ok: true,
      value: { communityCode: 'JHY', building: '1栋', unit: '1单元', floor: 12, number: 'B-101', builtArea: '89.50', innerArea: '70.00', kind: 'shop', status: 'rented' },
    });
    expect(parseRoomRow(row({ kind: 'garage', status: 'vacant' }))).toMatchObject({ ok: true, value: { kind: 'garage', status: 'vacant' } });
    const { innerArea: _, ...withoutInner } = row();
    expect(parseRoomRow(withoutInner)).toMatchObject({ ok: true, value: { innerArea: undefined, kind: null, status: null } });
  });

  it.each([
    [{ building: '' }, ['楼栋: 字段 楼栋 必填']],
    [{ floor: '0' }, ['楼层: 字段 楼层：楼层 0 超出该楼栋的层数']],
    [{ floor: '12层' }, ['楼层: 字段 楼层 格式不正确']],
    [{ number: '12#03' }, ['房号: 字段 房号：房号只能包含数字、字母、汉字和 -']],
    [{ builtArea: '-5' }, ['建筑面积: 字段 建筑面积：面积必须大于 0']],
    [{ builtArea: '89.555' }, ['建筑面积: 字段 建筑面积：面积最多两位小数']],
    [{ builtArea: '约90' }, ['建筑面积: 字段 建筑面积：面积应为数字']],
    [{ builtArea: '2500' }, ['建筑面积: 字段 建筑面积：面积 2500 ㎡ 不合理，请检查']],
    [{ builtArea: '2500', kind: '商铺' }, []],
    [{ innerArea: '95' }, ['套内面积: 字段 innerArea：套内面积不能大于建筑面积']],
    [{ kind: '别墅' }, ['房屋类型: 字段 房屋类型 必须是以下之一：住宅、商铺、办公、车库、储藏室']],
    [{ building: '', number: '' }, ['楼栋: 字段 楼栋 必填', '房号: 字段 房号 必填']],
  ])('%j → %j', (over, expected) => expect(reasons(parseRoomRow(row(over)))).toEqual(expected));
});

describe('parseParkingRow', () => {
  it.each([
    [{ area: '地下', number: ' b1-01 ' }, []],
    [{ area: 'under', number: 'B1-01', mode: '固定' }, []],
    [{ area: '屋顶', number: 'R1' }, ['区域: 字段 区域 必须是以下之一：地上、地下']],
    [{ area: '地上', number: 'X'.repeat(21) }, ['车位号: 字段 车位号 太长（至多 20）']],
    [{ area: '地上', number: 'A1', kind: '超大' }, ['类型: 字段 类型 必须是以下之一：标准、大型、小型、充电、无障碍、车库']],
  ])('%j → %j', (over, expected) => expect(reasons(parseParkingRow({ communityCode: 'JHY', ...over }))).toEqual(expected));
});

describe('parseResidentRow', () => {
  const base = { communityCode: 'JHY', name: '张伟', phone: '13800138001' };
  it('reads identity, room link and plates', () => {
    const p = parseResidentRow({ ...base, phone: '138 0013-8001', idNumber: '320102199001011232', building: '1栋', unit: '1单元', number: '1203', relation: '业主', share: '50%', moveInDate: '2024/5/1', plates: '苏A12345，苏ed12345 苏A12345' });
    expect(p).toEqual({
      ok: true,
      value: {
        communityCode: 'JHY',
        name: '张伟',
        phone: '13800138001',
        idType: 'idCard',
        idNumber: '320102199001011232',
        birthday: '1990-01-01',
        gender: 'male',
        room: { building: '1栋', unit: '1单元', number: '1203', relation: 'owner', share: '50.00', moveInDate: '2024-05-01', leaseStart: null, leaseEnd: null },
        plates: [
          { plate: '苏A12345', energy: 'fuel' },
          { plate: '苏ED12345', energy: 'newEnergy' },
        ],
      },
    });
  });

  it.each([
    [{ phone: '23800138001' }, ['手机号: 字段 手机号 不是有效的手机号']],
    [{ phone: '' }, ['手机号: 字段 手机号 必填']],
    [{ idNumber: '320102199001011233' }, ['证件号: 字段 证件号：身份证号无效（校验位错误）']],
    [{ idNumber: '320102199002301232' }, ['证件号: 字段 证件号：身份证号无效（出生日期无效）']],
    [{ idNumber: 'E12345678', idType: '护照' }, []],
    [{ plates: '苏A1234' }, ['车牌: 字段 车牌：车牌号格式不正确']],
    [{ plates: '沪O12345' }, ['车牌: 字段 车牌：车牌号格式不正确']],
    [{ building: '1栋', number: '101' }, ['关系: 字段 关系 必填']],
    [{ relation: '租客', building: '1栋', number: '101', leaseStart: '2025-01-01' }, ['租期结束: 字段 租期结束 必填']],
    [{ relation: '租客', building: '1栋', number: '101', leaseStart: '2025-01-01', leaseEnd: '2024-12-31' }, ['租期结束: 字段 租期结束：结束日期不能早于开始日期']],
    [{ relation: '业主', building: '1栋', number: '101', share: '120' }, ['产权份额: 字段 产权份额：份额应为 0.01–100 之间的数字']],
    [{ relation: '业主', building: '1栋', number: '101', moveInDate: '2024-13-01' }, ['入伙日期: 字段 入伙日期：日期应为 YYYY-MM-DD']],
  ])('%j → %j', (over, expected) => expect(reasons(parseResidentRow({ ...base, ...over }))).toEqual(expected));
});

describe('guessBuildingKind', () => {
  it.each([
    [33, ['residence'], 'highRise'],
    [11, ['residence'], 'midRise'],
    [6, ['residence', 'storage'], 'multiStorey'],
    [3, ['residence'], 'villa'],
    [2, ['shop'], 'commercial'],
    [20, ['office'], 'office'],
    [2, ['shop', 'residence'], 'villa'],
  ] as const)('%i floors of %j → %s', (floors, kinds, expected) => expect(guessBuildingKind(floors, kinds)).toBe(expected));
});

describe('planRooms', () => {
  const codes = { code: 'JHY', visible: new Set(['JHY', 'BLW']) };
  const cells = (building: string, floor: number, number: string, extra: Record<string, string> = {}) => ({ communityCode: 'JHY', building, unit: '', floor: String(floor), number, builtArea: '90', ...extra });

  it('decides create / update / unchanged against stored rooms and plans the buildings and units it needs', () => {
    const state = {
      buildings: new Map([['1栋', { floorsAbove: 6, floorsBelow: 1, units: new Set<string>() }]]),
      rooms: new Map([[roomKey('1栋', null, '101'), { floor: 1, builtArea: '90.00', innerArea: null, kind: 'residence' as const, status: 'vacant' as const }], [roomKey('1栋', null, '102'), { floor: 1, builtArea: '80.00', innerArea: null, kind: 'residence' as const, status: 'vacant' as const }]]),
    };
    const plan = planRooms(
      [
        { row: 2, cells: cells('1栋', 1, '101') },
        { row: 3, cells: cells('1栋', 1, '102') },
        { row: 4, cells: cells('1栋', -1, 'B01', { unit: '地下' }) },
        { row: 5, cells: cells('2栋', 18, '1801') },
        { row: 6, cells: cells('2栋', -2, 'B201') },
        { row: 7, cells: cells('1栋', 7, '701') },
        { row: 8, cells: cells('1栋', 1, '101') },
        { row: 9, cells: { ...cells('1栋', 1, '109'), communityCode: 'BLW' } },
      ],
      codes,
      state,
    );
    expect(plan.items.map((i) => [i.row, i.action])).toEqual([
      [2, 'unchanged'],
      [3, 'update'],
      [4, 'create'],
      [5, 'create'],
      [6, 'create'],
    ]);
    expect(plan.counts).toEqual({ create: 3, update: 1, unchanged: 1, error: 3 });
    expect(plan.errors.map((e) => [e.row, e.column, render('zh-CN', e.reason)])).toEqual([
      [7, '楼层', '字段 楼层：楼层 7 超出该楼栋的层数'],
      [8, '房号', '与第 2 行重复'],
      [9, '小区编码', '本次导入的小区编码是 JHY，此行是 BLW'],
    ]);
    expect(plan.newBuildings).toEqual([{ name: '2栋', kind: 'highRise', floorsAbove: 18, floorsBelow: 2, units: [] }]);
    expect(plan.newUnits).toEqual([{ building: '1栋', unit: '地下' }]);
  });

  it('roomChanges ignores columns the sheet leaves blank', () => {
    const stored = { floor: 3, builtArea: '90.00', innerArea: '75.00', kind: 'residence' as const, status: 'occupied' as const };
    expect(roomChanges({ building: '1栋', unit: null, number: '301', floor: 3, builtArea: '90.00', innerArea: undefined, kind: null, status: null }, stored)).toBeNull();
    expect(roomChanges({ building: '1栋', unit: null, number: '301', floor: 3, builtArea: '90.00', innerArea: null, kind: null, status: 'rented' }, stored)).toEqual({ innerArea: null, status: 'rented' });
  });
});

describe('planResidents', () => {
  const codes = { code: 'JHY', visible: new Set(['JHY']) };
  const person = (phone: string, over: Record<string, string> = {}) => ({ communityCode: 'JHY', name: '张伟', phone, building: '1栋', number: '101', relation: '业主', ...over });

  it('counts stored owners the file does not mention against the 100 % share', () => {
    const state: ResidentsState = {
      rooms: new Map([[roomKey('1栋', null, '101'), 'room-1']]),
      people: new Map([['13900000001', { id: 'p-1', name: '张伟', idType: 'idCard', idNumber: null }]]),
      idHolders: new Map(),
      links: new Map([['room-1', [{ phone: '13900000001', relation: 'owner', share: '60.00', moveInDate: null, leaseStart: null, leaseEnd: null }]]]),
      plates: new Map(),
    };
    const plan = planResidents(
      [
        { row: 2, cells: person('13900000002', { share: '40' }) },
        { row: 3, cells: person('13900000003', { name: '李娜', share: '1' }) },
      ],
      codes,
      state,
    );
    expect(plan.counts).toEqual({ create: 1, update: 0, unchanged: 0, error: 1 });
    expect(plan.errors.map((e) => [e.row, e.column])).toEqual([[3, '产权份额']]);
    // The stored 60 % owner named in the file with a new share is replaced, not added.
    const replaced = planResidents([{ row: 2, cells: person('13900000001', { share: '50' }) }, { row: 3, cells: person('13900000002', { name: '李娜', share: '50' }) }], codes, state);
    expect(replaced.counts).toEqual({ create: 1, update: 1, unchanged: 0, error: 0 });
  });
});
