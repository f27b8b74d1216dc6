import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { type Client, createCompany, createOwnerUser, createStaffUser, login, type TestCompany, uniquePhone } from '../helpers/factories.ts';
import { auditRows, createRoleUser, multipart } from '../helpers/api.ts';
import { idCheckChar } from '../../src/modules/residents/rules.ts';

const ROOM_HEADERS = ['小区编码', '楼栋', '单元', '楼层', '房号', '建筑面积', '套内面积', '房屋类型', '状态'];
const PARKING_HEADERS = ['小区编码', '区域', '车位号', '类型', '使用方式'];
const RESIDENT_HEADERS = ['小区编码', '姓名', '手机号', '证件类型', '证件号', '楼栋', '单元', '房号', '关系', '产权份额', '入伙日期', '租期开始', '租期结束', '车牌'];

let t: TestApp;
let co: TestCompany;
let other: TestCompany;
let admin: Client;
let code: string;

beforeAll(async () => {
  t = await testApp();
  co = await createCompany(t.db);
  other = await createCompany(t.db);
  admin = await login(t.app, co.admin.username);
  code = (await t.db.selectFrom('communities').select('code').where('id', '=', co.communityIds[0]).executeTakeFirstOrThrow()).code;
});

async function xlsx(headers: string[], rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('数据');
  ws.addRow(headers);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function upload(client: Client | null, kind: string, data: Buffer, query = '') {
  const body = multipart({ data, filename: `${kind}.xlsx`, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
  return t.app.inject({ method: 'POST', url: `/api/imports/${kind}${query}`, payload: body.payload, headers: { ...body.headers, ...(client && { cookie: client.cookie, 'x-csrf-token': client.csrf }) } });
}

async function readXlsx(res: LightMyRequestResponse) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  const rows: unknown[][] = [];
  // Blank cells as null, every row as wide as the header.
  ws.eachRow((row) => rows.push(Array.from({ length: ws.columnCount }, (_, i) => (row.values as unknown[])[i + 1] ?? null)));
  return { ws, rows };
}

/** Validates and applies in one go, expecting success. */
async function importAll(client: Client, kind: string, data: Buffer, skipErrors = false) {
  const v = await upload(client, kind, data);
  expect(v.statusCode, v.body).toBe(201);
  const a = await client.post(`/api/imports/${v.json().id}/apply${skipErrors ? '?skipErrors=true' : ''}`);
  expect(a.statusCode, a.body).toBe(200);
  return { validated: v.json(), applied: a.json() };
}

const countRooms = async (communityId: string) => Number((await t.db.selectFrom('rooms').select((eb) => eb.fn.countAll().as('n')).where('community_id', '=', communityId).executeTakeFirstOrThrow()).n);

function validId(birth: string, seq: number): string {
  const first17 = `320102${birth}${String(seq).padStart(3, '0')}`;
  return first17 + idCheckChar(first17);
}

describe('GET /api/imports/templates/:kind', () => {
  it('is an .xlsx with the Chinese header row, an example row, widths and dropdowns for enum columns', async () => {
    const res = await admin.get('/api/imports/templates/rooms');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(String(res.headers['content-disposition'])).toContain(encodeURIComponent('房屋导入模板.xlsx'));
    const { ws, rows } = await readXlsx(res);
    expect(rows[0]).toEqual(ROOM_HEADERS);
    expect(rows[1]).toEqual(['JHY', '1栋', '1单元', 12, '1203', 89.5, 72.3, '住宅', '已交房']);
    expect(ws.getColumn(1).width).toBe(12);
    const validations = (ws as unknown as { dataValidations: { model: Record<string, { type: string; formulae: string[] }> } }).dataValidations.model;
    const kindList = Object.entries(validations).find(([addr]) => addr.startsWith('H2'));
    expect(kindList?.[1]).toMatchObject({ type: 'list', formulae: ['"住宅,商铺,办公,车库,储藏室"'] });
    for (const kind of ['parking', 'residents']) expect((await admin.get(`/api/imports/templates/${kind}`)).statusCode).toBe(200);
  });

  it('401 without a session, 400 for an unknown kind, 403 without estate.read / resident.read', async () => {
    expect((await t.app.inject({ url: '/api/imports/templates/rooms' })).statusCode).toBe(401);
    expect((await admin.get('/api/imports/templates/bills')).statusCode).toBe(400);
    const cleaner = await login(t.app, (await createStaffUser(t.db, co, { role: 'cleaner' })).username);
    expect((await cleaner.get('/api/imports/templates/rooms')).statusCode).toBe(403);
    const technician = await login(t.app, (await createStaffUser(t.db, co, { role: 'technician' })).username);
    expect((await technician.get('/api/imports/templates/rooms')).statusCode).toBe(200);
    expect((await technician.get('/api/imports/templates/residents')).statusCode).toBe(403);
  });
});

describe('rooms import', () => {
  const good = () => [
    [code, '1栋', '1单元', 1, '101', 89.5, 72, '住宅', '已交房'],
    [code, '1栋', '1单元', 1, '102', '90.00', null, '住宅', '未售'],
    [code, '1栋', '2单元', 2, '201', 120.25, 100, '住宅', null],
    [code, '商业楼', null, 1, 's-01', 45, null, '商铺', '空置'],
  ];
  const bad = () => [
    [code, '1栋', '1单元', 1, '101', 80, null, '住宅', null], // duplicate of row 2
    ['NOPE', '1栋', '1单元', 3, '301', 80, null, null, null],
    [code, '1栋', '1单元', 3, '302', 0, null, null, null],
    [code, '1栋', '1单元', 3, '303', 8950, null, '住宅', null],
    [code, '1栋', '1单元', 3, '304', 80, null, null, '已卖'],
    [code, '1栋', '1单元', 3, '305', 80, 90, null, null],
    [code, '1栋', '1单元', 0, '306', 80, null, null, null],
  ];

  it('reports each bad row by Excel row number, Chinese column and reason, writes nothing, then applies the good rows', async () => {
    const community = co.communityIds[0];
    const file = await xlsx(ROOM_HEADERS, [...good(), ...bad()]);
    const v = await upload(admin, 'rooms', file);
    expect(v.statusCode, v.body).toBe(201);
    const job = v.json();
    expect(job).toMatchObject({ kind: 'rooms', status: 'validated', communityId: community, communityCode: code, sheetRows: 11, counts: { create: 4, update: 0, unchanged: 0, error: 7 }, processed: 0, total: 4 });
    const byRow = (row: number) => job.errors.filter((e: { row: number }) => e.row === row);
    expect(byRow(6)).toEqual([{ row: 6, column: '房号', reason: '与第 2 行重复' }]);
    expect(byRow(7)).toEqual([{ row: 7, column: '小区编码', reason: '小区编码 NOPE 不存在或无权访问' }]);
    expect(byRow(8)).toEqual([{ row: 8, column: '建筑面积', reason: '字段 建筑面积：面积必须大于 0' }]);
    expect(byRow(9)).toEqual([{ row: 9, column: '建筑面积', reason: '字段 建筑面积：面积 8950 ㎡ 不合理，请检查' }]);
    expect(byRow(10)[0]).toMatchObject({ column: '状态' });
    expect(byRow(10)[0].reason).toContain('未售、空置、已交房、装修中、已入住、出租');
    expect(byRow(11)[0]).toMatchObject({ column: '套内面积', reason: '字段 innerArea：套内面积不能大于建筑面积' });
    expect(byRow(12)[0]).toMatchObject({ column: '楼层' });
    expect(job.notes.join()).toContain('将新建楼栋：1栋（2 层）、商业楼（1 层）');
    expect(await countRooms(community)).toBe(0);

    const en = await admin.get(`/api/imports/${job.id}`, { 'accept-language': 'en' });
    expect(en.json().errors[0].reason).toBe('Same as row 2');

    const refused = await admin.post(`/api/imports/${job.id}/apply`);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.message).toContain('skipErrors=true');
    expect(await countRooms(community)).toBe(0);

    const applied = await admin.post(`/api/imports/${job.id}/apply?skipErrors=true`);
    expect(applied.statusCode, applied.body).toBe(200);
    expect(applied.json()).toMatchObject({ status: 'applied', processed: 4, total: 4, percent: 100, skipErrors: true, result: { create: 4, update: 0, unchanged: 0, error: 7 } });
    expect(applied.json().finishedAt).toBeTruthy();
    expect(await countRooms(community)).toBe(4);
    const b1 = await t.db.selectFrom('buildings').selectAll().where('community_id', '=', community).where('name', '=', '1栋').executeTakeFirstOrThrow();
    expect(b1).toMatchObject({ floors_above: 2, kind: 'villa' });
    const shops = await t.db.selectFrom('buildings').selectAll().where('community_id', '=', community).where('name', '=', '商业楼').executeTakeFirstOrThrow();
    expect(shops.kind).toBe('commercial');
    const units = await t.db.selectFrom('building_units').select('name').where('building_id', '=', b1.id).orderBy('sort_order').execute();
    expect(units.map((u) => u.name)).toEqual(['1单元', '2单元']);
    const room = await t.db.selectFrom('rooms').selectAll().where('building_id', '=', shops.id).executeTakeFirstOrThrow();
    expect(room).toMatchObject({ number: 'S-01', built_area: '45.00', kind: 'shop', status: 'vacant' });
    const history = await t.db.selectFrom('room_status_history').selectAll().where('room_id', '=', room.id).execute();
    expect(history).toMatchObject([{ from_status: null, to_status: 'vacant' }]);
    expect(await auditRows(t.db, job.id, 'import.apply')).toHaveLength(1);

    const twice = await admin.post(`/api/imports/${job.id}/apply?skipErrors=true`);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.message).toContain('已导入');

    // The same file again: nothing new, nothing duplicated.
    const again = await importAll(admin, 'rooms', file, true);
    expect(again.validated.counts).toEqual({ create: 0, update: 0, unchanged: 4, error: 7 });
    expect(again.validated.notes).toEqual([]);
    expect(again.applied.result).toMatchObject({ create: 0, update: 0, unchanged: 4 });
    expect(await countRooms(community)).toBe(4);
    expect(await t.db.selectFrom('buildings').select('id').where('community_id', '=', community).execute()).toHaveLength(2);
  });

  it('exports the same columns; export → re-import changes nothing; an edited export updates by natural key', async () => {
    const community = co.communityIds[1];
    const code2 = (await t.db.selectFrom('communities').select('code').where('id', '=', community).executeTakeFirstOrThrow()).code;
    await importAll(admin, 'rooms', await xlsx(ROOM_HEADERS, good().map((r) => [code2, ...r.slice(1)])));
    const exp = await admin.get(`/api/exports/rooms?communityId=${community}`);
    expect(exp.statusCode).toBe(200);
    const { rows } = await readXlsx(exp);
    expect(rows[0]).toEqual(ROOM_HEADERS);
    expect(rows).toHaveLength(5);
    expect(rows).toContainEqual([code2, '1栋', '1单元', 1, '101', 89.5, 72, '住宅', '已交房']);

    const same = await upload(admin, 'rooms', exp.rawPayload);
    expect(same.json().counts).toEqual({ create: 0, update: 0, unchanged: 4, error: 0 });
    expect(same.json().communityId).toBe(community);

    const edited = rows.slice(1).map((r) => (r[4] === '101' ? [...r.slice(0, 5), 91, r[6], r[7], '装修中'] : r));
    const upd = await importAll(admin, 'rooms', await xlsx(ROOM_HEADERS, edited));
    expect(upd.validated.counts).toEqual({ create: 0, update: 1, unchanged: 3, error: 0 });
    expect(upd.applied.result).toMatchObject({ update: 1, unchanged: 3 });
    const room = await t.db.selectFrom('rooms').selectAll().where('community_id', '=', community).where('number', '=', '101').executeTakeFirstOrThrow();
    expect(room).toMatchObject({ built_area: '91.00', status: 'renovating' });
    const history = await t.db.selectFrom('room_status_history').select(['from_status', 'to_status']).where('room_id', '=', room.id).orderBy('id').execute();
    expect(history).toEqual([{ from_status: null, to_status: 'delivered' }, { from_status: 'delivered', to_status: 'renovating' }]);
    expect(await countRooms(community)).toBe(4);
  });

  it('applies large sheets in batches with progress, refuses a job being applied, resumes one whose process died', async () => {
    const c = await createCompany(t.db, { communities: 1 });
    const a = await login(t.app, c.admin.username);
    const rows = Array.from({ length: 1234 }, (_, i) => ['C1', `${1 + Math.floor(i / 400)}号楼`, null, 1 + Math.floor((i % 400) / 8), `${1 + Math.floor((i % 400) / 8)}0${1 + (i % 8)}`, 88.8, null, null, null]);
    const v = await upload(a, 'rooms', await xlsx(ROOM_HEADERS, rows));
    expect(v.statusCode, v.body).toBe(201);
    expect(v.json().counts).toEqual({ create: 1234, update: 0, unchanged: 0, error: 0 });
    const id = v.json().id;
    const { rows: pending } = await t.db.selectFrom('import_jobs').select('rows').where('id', '=', id).executeTakeFirstOrThrow();

    // Another request is applying it right now.
    await t.db.updateTable('import_jobs').set({ status: 'applying', updated_at: new Date() }).where('id', '=', id).execute();
    const busy = await a.post(`/api/imports/${id}/apply`);
    expect(busy.statusCode).toBe(409);
    expect(busy.json().error.details.status).toBe('applying');
    await t.db.updateTable('import_jobs').set({ status: 'validated' }).where('id', '=', id).execute();

    const seen: number[] = [];
    const applying = a.post(`/api/imports/${id}/apply`);
    for (let i = 0; i < 200 && seen.at(-1) !== 1234; i++) seen.push((await a.get(`/api/imports/${id}`)).json().processed);
    const done = await applying;
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'applied', processed: 1234, total: 1234, percent: 100, result: { create: 1234 } });
    expect(seen).toEqual([...seen].sort((x, y) => x - y));
    expect(seen.every((n) => [0, 500, 1000, 1234].includes(n))).toBe(true);
    expect(await countRooms(c.communityIds[0])).toBe(1234);
    expect((await t.db.selectFrom('import_jobs').select('rows').where('id', '=', id).executeTakeFirstOrThrow()).rows).toEqual([]);

    // A process killed after its first batch: the job stays 'applying' with 500 rows done and no progress since.
    await t.db
      .updateTable('import_jobs')
      .set({ status: 'applying', processed: 500, rows: JSON.stringify(pending), result: JSON.stringify({ create: 500, update: 0, unchanged: 0, error: 0 }), finished_at: null, updated_at: new Date(Date.now() - 3_600_000) })
      .where('id', '=', id)
      .execute();
    const resumed = await a.post(`/api/imports/${id}/apply`);
    expect(resumed.statusCode, resumed.body).toBe(200);
    expect(resumed.json()).toMatchObject({ status: 'applied', processed: 1234, result: { create: 500, unchanged: 734 } });
    expect(await countRooms(c.communityIds[0])).toBe(1234);
  });
});

describe('parking import', () => {
  it('checks area, number and labels; upserts by community + number', async () => {
    const c = await createCompany(t.db, { communities: 1 });
    const a = await login(t.app, c.admin.username);
    const rows = [
      ['C1', '地下', 'b1-001', '标准', '固定'],
      ['C1', '地下', 'B1-002', '充电', null],
      ['C1', '地上', 'A-01', null, '共享'],
      ['C1', '地下', 'B1-001', null, null],
      ['C1', '楼顶', 'R-01', null, null],
      ['C1', null, 'R-02', null, null],
    ];
    const v = await upload(a, 'parking', await xlsx(PARKING_HEADERS, rows));
    expect(v.statusCode, v.body).toBe(201);
    expect(v.json().counts).toEqual({ create: 3, update: 0, unchanged: 0, error: 3 });
    expect(v.json().errors).toEqual([
      { row: 5, column: '车位号', reason: '与第 2 行重复' },
      { row: 6, column: '区域', reason: '字段 区域 必须是以下之一：地上、地下' },
      { row: 7, column: '区域', reason: '字段 区域 必填' },
    ]);
    await a.post(`/api/imports/${v.json().id}/apply?skipErrors=true`);
    const spaces = await t.db.selectFrom('parking_spaces').select(['number', 'area', 'kind', 'mode']).where('company_id', '=', c.companyId).orderBy('number').execute();
    expect(spaces).toEqual([
      { number: 'A-01', area: 'above', kind: 'standard', mode: 'shared' },
      { number: 'B1-001', area: 'under', kind: 'standard', mode: 'fixed' },
      { number: 'B1-002', area: 'under', kind: 'charging', mode: 'shared' },
    ]);
    const exp = await a.get(`/api/exports/parking?communityId=${c.communityIds[0]}`);
    const { rows: exported } = await readXlsx(exp);
    expect(exported[0]).toEqual(PARKING_HEADERS);
    const again = await upload(a, 'parking', exp.rawPayload);
    expect(again.json().counts).toEqual({ create: 0, update: 0, unchanged: 3, error: 0 });
    const edited = await importAll(a, 'parking', await xlsx(PARKING_HEADERS, [['C1', '地下', 'B1-002', '充电', '固定']]));
    expect(edited.applied.result).toMatchObject({ create: 0, update: 1 });
    expect((await t.db.selectFrom('parking_spaces').select('mode').where('company_id', '=', c.companyId).where('number', '=', 'B1-002').executeTakeFirstOrThrow()).mode).toBe('fixed');
  });
});

describe('residents import', () => {
  it('checks phone, ID checksum, plate, room, lease and shares; links owners, family and tenants; re-import and export round trip', async () => {
    const c = await createCompany(t.db, { communities: 1 });
    const community = c.communityIds[0];
    const a = await login(t.app, c.admin.username);
    await importAll(a, 'rooms', await xlsx(ROOM_HEADERS, [['C1', '1栋', '1单元', 1, '101', 90, null, null, '已交房'], ['C1', '1栋', '1单元', 1, '102', 90, null, null, '已交房']]));
    const [pA, pB, pC, pD] = [uniquePhone(), uniquePhone(), uniquePhone(), uniquePhone()];
    const idA = validId('19900101', 123);
    const badId = idA.slice(0, 17) + (idA[17] === '1' ? '2' : '1');
    const owner = await createOwnerUser(t.db, c, pA);
    const rows = [
      ['C1', '张伟', pA, '身份证', idA, '1栋', '1单元', '101', '业主', null, '2024-05-01', null, null, '苏A12345'],
      ['C1', '李娜', pB, null, null, '1栋', '1单元', '101', '家属', null, '2024-05-01', null, null, null],
      ['C1', '王芳', pC, '身份证', validId('19850315', 246), '1栋', '1单元', '102', '租客', null, null, '2025-01-01', '2026-12-31', '苏ED12345'],
      ['C1', '张伟', pA, '身份证', idA, '1栋', '1单元', '102', '业主', 100, null, null, null, '苏A12345'],
      ['C1', '赵六', '12345678901', null, null, null, null, null, null, null, null, null, null, null],
      ['C1', '钱七', pD, '身份证', badId, null, null, null, null, null, null, null, null, null],
      ['C1', '孙八', uniquePhone(), null, null, null, null, null, null, null, null, null, null, '苏A1234'],
      ['C1', '周九', uniquePhone(), null, null, '9栋', null, '999', '业主', null, null, null, null, null],
      ['C1', '吴十', uniquePhone(), null, null, '1栋', '1单元', '102', '租客', null, null, null, null, null],
      ['C1', '郑十一', uniquePhone(), null, null, '1栋', '1单元', '101', '业主', null, null, null, null, null],
      ['C1', '张三', pA, null, null, null, null, null, null, null, null, null, null, null],
      ['C1', '冯十二', uniquePhone(), null, null, null, null, null, null, null, null, null, null, '苏a·12345'],
    ];
    const v = await upload(a, 'residents', await xlsx(RESIDENT_HEADERS, rows));
    expect(v.statusCode, v.body).toBe(201);
    const job = v.json();
    expect(job.counts).toEqual({ create: 4, update: 0, unchanged: 0, error: 8 });
    const errors: Record<number, string> = {};
    for (const e of job.errors as Array<{ row: number; column: string; reason: string }>) errors[e.row] = [errors[e.row], `${e.column}|${e.reason}`].filter(Boolean).join(' / ');
    expect(errors).toEqual({
      6: '手机号|字段 手机号 不是有效的手机号',
      7: '证件号|字段 证件号：身份证号无效（校验位错误）',
      8: '车牌|字段 车牌：车牌号格式不正确',
      9: '房号|房屋 9栋-999 不存在，请先导入房屋',
      10: '租期开始|字段 租期开始 必填 / 租期结束|字段 租期结束 必填',
      11: '产权份额|该房屋现有业主份额合计已满 100%，不能再登记业主',
      12: '姓名|同一手机号在第 2 行的姓名不同',
      13: '车牌|与第 2 行重复',
    });
    expect(await t.db.selectFrom('residents').select('id').where('company_id', '=', c.companyId).execute()).toHaveLength(0);

    const applied = await a.post(`/api/imports/${job.id}/apply?skipErrors=true`);
    expect(applied.statusCode, applied.body).toBe(200);
    expect(applied.json().result).toMatchObject({ create: 4, update: 0, unchanged: 0 });
    const people = await t.db.selectFrom('residents').selectAll().where('company_id', '=', c.companyId).orderBy('phone').execute();
    expect(people).toHaveLength(3);
    const zhang = people.find((p) => p.phone === pA)!;
    expect(zhang).toMatchObject({ name: '张伟', id_number: idA, birthday: '1990-01-01', community_id: community });
    const links = await t.db
      .selectFrom('room_residents as l')
      .innerJoin('rooms as r', 'r.id', 'l.room_id')
      .innerJoin('residents as p', 'p.id', 'l.resident_id')
      .select(['r.number', 'p.name', 'l.relation', 'l.move_in_date', 'l.lease_end'])
      .where('l.company_id', '=', c.companyId)
      .orderBy('r.number')
      .orderBy('l.relation')
      .execute();
    expect(links).toEqual([
      { number: '101', name: '李娜', relation: 'family', move_in_date: '2024-05-01', lease_end: null },
      { number: '101', name: '张伟', relation: 'owner', move_in_date: '2024-05-01', lease_end: null },
      { number: '102', name: '张伟', relation: 'owner', move_in_date: null, lease_end: null },
      { number: '102', name: '王芳', relation: 'tenant', move_in_date: null, lease_end: '2026-12-31' },
    ]);
    const room102 = await t.db.selectFrom('rooms').select(['id', 'status']).where('community_id', '=', community).where('number', '=', '102').executeTakeFirstOrThrow();
    expect(room102.status).toBe('rented');
    expect(await t.db.selectFrom('room_status_history').select('to_status').where('room_id', '=', room102.id).orderBy('id').execute()).toEqual([{ to_status: 'delivered' }, { to_status: 'rented' }]);
    const plates = await t.db.selectFrom('vehicles').select(['plate', 'energy', 'resident_id']).where('company_id', '=', c.companyId).orderBy('plate').execute();
    expect(plates).toEqual([
      { plate: '苏A12345', energy: 'fuel', resident_id: zhang.id },
      { plate: '苏ED12345', energy: 'newEnergy', resident_id: people.find((p) => p.phone === pC)!.id },
    ]);
    expect((await t.db.selectFrom('users').select('resident_id').where('id', '=', owner.id).executeTakeFirstOrThrow()).resident_id).toBe(zhang.id);

    // Same file again: no duplicates; the export (in full for the administrator) re-imports unchanged.
    const again = await importAll(a, 'residents', await xlsx(RESIDENT_HEADERS, rows), true);
    expect(again.applied.result).toMatchObject({ create: 0, update: 0, unchanged: 4 });
    expect(await t.db.selectFrom('residents').select('id').where('company_id', '=', c.companyId).execute()).toHaveLength(3);
    expect(await t.db.selectFrom('room_residents').select('id').where('company_id', '=', c.companyId).execute()).toHaveLength(4);
    const exp = await a.get(`/api/exports/residents?communityId=${community}`);
    expect(exp.statusCode).toBe(200);
    const { rows: exported } = await readXlsx(exp);
    expect(exported[0]).toEqual(RESIDENT_HEADERS);
    expect(exported).toContainEqual(['C1', '张伟', pA, '身份证', idA, '1栋', '1单元', '101', '业主', null, '2024-05-01', null, null, '苏A12345']);
    const round = await upload(a, 'residents', exp.rawPayload);
    expect(round.json().counts).toEqual({ create: 0, update: 0, unchanged: 4, error: 0 });

    // A change of relation and a new move-in date are updates of the link, not new links.
    const moved = await importAll(a, 'residents', await xlsx(RESIDENT_HEADERS, [['C1', '李娜', pB, null, null, '1栋', '1单元', '101', '业主', 50, '2024-06-01', null, null, null]]), false).catch((e) => e);
    expect(moved).toBeInstanceOf(Error); // 张伟 holds 100 % of 101: another owner does not fit
    const half = await importAll(a, 'residents', await xlsx(RESIDENT_HEADERS, [['C1', '张伟', pA, null, null, '1栋', '1单元', '101', '业主', 50, null, null, null, null], ['C1', '李娜', pB, null, null, '1栋', '1单元', '101', '业主', 50, '2024-06-01', null, null, null]]));
    expect(half.applied.result).toMatchObject({ create: 0, update: 2 });
    expect(await t.db.selectFrom('room_residents').select('id').where('company_id', '=', c.companyId).execute()).toHaveLength(4);
  });

  it('masks phone and ID number in the export unless the caller has personal.viewFull', async () => {
    const c = await createCompany(t.db, { communities: 1 });
    const a = await login(t.app, c.admin.username);
    const phone = uniquePhone();
    const id = validId('19751230', 77);
    await importAll(a, 'residents', await xlsx(RESIDENT_HEADERS, [['C1', '陈静', phone, null, id, null, null, null, null, null, null, null, null, null]]));
    const service = await login(t.app, (await createStaffUser(t.db, c, { role: 'service' })).username);
    const { rows } = await readXlsx(await service.get(`/api/exports/residents?communityId=${c.communityIds[0]}`));
    expect(rows[1].slice(1, 5)).toEqual(['陈静', `${phone.slice(0, 3)}****${phone.slice(-4)}`, '身份证', `${id.slice(0, 4)}**********${id.slice(-4)}`]);
    const full = await readXlsx(await a.get(`/api/exports/residents?communityId=${c.communityIds[0]}`));
    expect(full.rows[1].slice(1, 5)).toEqual(['陈静', phone, '身份证', id]);
    const audit = await t.db.selectFrom('audit_log').select(['actor_id', 'after']).where('action', '=', 'import.export').where('entity_id', '=', c.communityIds[0]).orderBy('id').execute();
    expect(audit.map((r) => (r.after as { personalFull: boolean }).personalFull)).toEqual([false, true]);
  });
});

describe('access', () => {
  let job: string;
  beforeAll(async () => {
    const v = await upload(admin, 'parking', await xlsx(PARKING_HEADERS, [[code, '地下', 'X-1', null, null]]));
    job = v.json().id;
  });

  it('401 for every endpoint without a session', async () => {
    for (const [method, url] of [
      ['GET', '/api/imports'],
      ['GET', `/api/imports/${job}`],
      ['POST', `/api/imports/${job}/apply`],
      ['GET', `/api/exports/rooms?communityId=${co.communityIds[0]}`],
    ] as const) {
      expect((await t.app.inject({ method, url })).statusCode, url).toBe(401);
    }
    expect((await upload(null, 'rooms', await xlsx(ROOM_HEADERS, []))).statusCode).toBe(401);
  });

  it('400 naming the field: another tenant’s or unknown community, no file, not a workbook, a missing column', async () => {
    const file = await xlsx(ROOM_HEADERS, [[code, '1栋', null, 1, '1', 50, null, null, null]]);
    const foreign = await upload(admin, 'rooms', file, `?communityId=${other.communityIds[0]}`);
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().error.details.field).toBe('communityId');
    const unknownCode = await upload(admin, 'rooms', await xlsx(ROOM_HEADERS, [['ZZZ', '1栋', null, 1, '1', 50, null, null, null]]));
    expect(unknownCode.statusCode).toBe(400);
    expect(unknownCode.json().error.details.field).toBe('communityId');
    const notXlsx = await upload(admin, 'rooms', Buffer.from('not a spreadsheet at all'));
    expect(notXlsx.statusCode).toBe(400);
    expect(notXlsx.json().error.details.field).toBe('file');
    const missing = await upload(admin, 'rooms', await xlsx(['小区编码', '楼栋', '楼层', '建筑面积'], [[code, '1栋', 1, 50]]));
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.message).toBe('字段 房号 必填');
    const noFile = await admin.post('/api/imports/rooms', {});
    expect(noFile.statusCode).toBe(400);
    expect(noFile.json().error.details.field).toBe('file');
    const exp = await admin.get(`/api/exports/rooms?communityId=${other.communityIds[0]}`);
    expect(exp.statusCode).toBe(400);
    expect(exp.json().error.details.field).toBe('communityId');
    expect((await admin.get('/api/exports/rooms')).statusCode).toBe(400);
    expect((await admin.post(`/api/imports/${job}/apply?skipErrors=yes`)).statusCode).toBe(400);
  });

  it('404 for another company’s job and for a job in a community the caller is not assigned to', async () => {
    const outsider = await login(t.app, other.admin.username);
    expect((await outsider.get(`/api/imports/${job}`)).statusCode).toBe(404);
    expect((await outsider.post(`/api/imports/${job}/apply`)).statusCode).toBe(404);
    expect((await outsider.get('/api/imports')).json().items.map((j: { id: string }) => j.id)).not.toContain(job);
    const elsewhere = await login(t.app, (await createRoleUser(t.db, co, ['estate.read', 'estate.manage'], { communityIds: [co.communityIds[1]] })).username);
    expect((await elsewhere.get(`/api/imports/${job}`)).statusCode).toBe(404);
    expect((await admin.get(`/api/imports/${job}`)).statusCode).toBe(200);
    expect((await admin.get('/api/imports?kind=parking')).json().items.map((j: { id: string }) => j.id)).toContain(job);
  });

  it('403 without the kind’s permission: estate.manage for rooms and parking, resident.manage for residents', async () => {
    const cashier = await login(t.app, (await createStaffUser(t.db, co, { role: 'cashier' })).username);
    expect((await upload(cashier, 'rooms', await xlsx(ROOM_HEADERS, []))).statusCode).toBe(403);
    expect((await cashier.get(`/api/imports/${job}`)).statusCode).toBe(403);
    expect((await cashier.post(`/api/imports/${job}/apply`)).statusCode).toBe(403);
    expect((await cashier.get(`/api/exports/parking?communityId=${co.communityIds[0]}`)).statusCode).toBe(200);
    const service = await login(t.app, (await createStaffUser(t.db, co, { role: 'service' })).username);
    expect((await upload(service, 'parking', await xlsx(PARKING_HEADERS, []))).statusCode).toBe(403);
    expect((await upload(service, 'residents', await xlsx(RESIDENT_HEADERS, [[code, '某人', uniquePhone()]]))).statusCode).toBe(201);
    const cleaner = await login(t.app, (await createStaffUser(t.db, co, { role: 'cleaner' })).username);
    expect((await cleaner.get(`/api/exports/rooms?communityId=${co.communityIds[0]}`)).statusCode).toBe(403);
    expect((await cleaner.get(`/api/exports/residents?communityId=${co.communityIds[0]}`)).statusCode).toBe(403);
    expect((await cleaner.get('/api/imports')).statusCode).toBe(403);
  });
});
