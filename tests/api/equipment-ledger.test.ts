import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { testApp, type TestApp } from '../helpers/app.ts';
import { type Client, companyRows, createBuilding, unique } from '../helpers/factories.ts';
import { anonymous, auditRows, createRoleUser, expectFieldError, sessionAs } from '../helpers/api.ts';
import { deskCompany, type DeskCompany, staff, type StaffClient } from '../helpers/servicedesk.ts';
import { signCode } from '../../src/core/signed-codes.ts';

let t: TestApp;
let a: DeskCompany;
let b: DeskCompany;
let tech: StaffClient;
let guard: StaffClient;

beforeAll(async () => {
  t = await testApp();
  [a, b] = await Promise.all([deskCompany(t), deskCompany(t, { communities: 1 })]);
  tech = await staff(t, a, 'technician', [a.communityIds[0]]);
  // Someone who files tickets at the desk and may look at equipment (the built-in guard role has no equipment.read).
  const reporter = await createRoleUser(t.db, a, ['equipment.read', 'ticket.create'], { communityIds: [a.communityIds[0]] });
  guard = { id: reporter.id, client: await sessionAs(t.app, t.db, reporter.id) };
});

async function item(body: Record<string, unknown> = {}, client: Client = a.desk) {
  const res = await client.post('/api/equipment', { communityId: a.communityIds[0], code: unique('DT-').slice(0, 30), name: '1号楼1号电梯', category: 'lift', location: '1号楼1单元', ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const LEDGER_TABLES = ['equipment', 'equipment_status_history', 'tickets'];
/** The ledger's rows of company A, link tables included (they have no id column to order by). */
async function ledgerRows() {
  const links = await Promise.all(['equipment_attachments', 'equipment_tickets'].map((table) => t.db.selectFrom(table as 'equipment_tickets').select((eb) => eb.fn.countAll<number>().as('n')).where('company_id', '=', a.companyId).executeTakeFirstOrThrow()));
  return { ...(await companyRows(t.db, a.companyId, LEDGER_TABLES)), links: links.map((l) => Number(l.n)) };
}

describe('every endpoint needs a session', () => {
  const id = randomUUID();
  it.each([
    ['GET', '/api/equipment'],
    ['POST', '/api/equipment'],
    ['GET', '/api/equipment.xlsx'],
    ['GET', `/api/equipment/${id}`],
    ['PATCH', `/api/equipment/${id}`],
    ['POST', `/api/equipment/${id}/status`],
    ['POST', `/api/equipment/${id}/faults`],
    ['GET', `/api/equipment/${id}/tickets`],
    ['GET', `/api/equipment/${id}/label.png`],
    ['GET', `/api/equipment/${id}/label.svg`],
    ['GET', '/api/equipment/scan/eq.x.y'],
    ['GET', '/api/equipment-labels.pdf'],
    ['GET', '/api/equipment-catalogue'],
    ['GET', '/api/equipment-figures'],
  ] as const)('%s %s → 401', async (method, url) => {
    const res = await anonymous(t.app, method, url, method === 'GET' ? undefined : {});
    expect(res.statusCode).toBe(401);
  });
});

describe('the ledger', () => {
  it('adds an item with its nameplate, people and first history row, and audits it', async () => {
    const building = await createBuilding(t.db, { company: a, communityId: a.communityIds[0] });
    const e = await item({
      buildingId: building.id, model: 'GeN2-MR', serialNo: 'SN-001', manufacturer: '奥的斯', madeOn: '2019-03-01', installedOn: '2019-08-15', specs: [{ label: '额定载重', value: '1000 kg' }],
      vendor: '奥的斯电梯', contractorName: '某某电梯维保公司', contractorPhone: '13812341234', responsibleId: tech.id,
    });
    expect(e).toMatchObject({ status: 'normal', building: { id: building.id }, responsible: { id: tech.id }, specs: [{ label: '额定载重', value: '1000 kg' }], contractorPhone: '13812341234' });
    expect(e.history).toHaveLength(1);
    expect(e.history[0]).toMatchObject({ fromStatus: null, toStatus: 'normal' });
    expect(await auditRows(t.db, e.id, 'equipment.create')).toHaveLength(1);
    const page = (await a.desk.get(`/api/equipment?communityId=${a.communityIds[0]}&q=${encodeURIComponent('SN-001')}`)).json();
    expect(page.items.map((x: { id: string }) => x.id)).toEqual([e.id]);
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const existing = await item();
    const before = await ledgerRows();
    const bad: Array<[Record<string, unknown>, string, number?]> = [
      [{ category: 'spaceship' }, 'category'],
      [{ name: '' }, 'name'],
      [{ communityId: b.communityIds[0] }, 'communityId'],
      [{ responsibleId: b.admin.id }, 'responsibleId'],
      [{ madeOn: '2020-01-01', installedOn: '2019-01-01' }, 'installedOn'],
      [{ madeOn: '2999-01-01' }, 'madeOn'],
      [{ contractorPhone: '12345' }, 'contractorPhone'],
      [{ buildingId: randomUUID() }, 'buildingId'],
      [{ code: existing.code }, 'code', 409],
    ];
    for (const [body, field, status] of bad) {
      const res = await a.desk.post('/api/equipment', { communityId: a.communityIds[0], code: unique('X-').slice(0, 20), name: '水泵', category: 'pump', ...body });
      if (status === 409) {
        expect(res.statusCode, res.body).toBe(409);
        expect(res.json().error.details.field).toBe(field);
      } else expectFieldError(res, field);
    }
    expect(await ledgerRows()).toEqual(before);
  });

  it('lets only managers add or edit items; technicians read', async () => {
    const res = await tech.client.post('/api/equipment', { communityId: a.communityIds[0], code: 'T-1', name: 'x', category: 'other' });
    expect(res.statusCode).toBe(403);
    const e = await item();
    expect((await tech.client.get(`/api/equipment/${e.id}`)).statusCode).toBe(200);
    expect((await tech.client.patch(`/api/equipment/${e.id}`, { name: '改名' })).statusCode).toBe(403);
    const edited = await a.desk.patch(`/api/equipment/${e.id}`, { name: '2号电梯', location: '2号楼' });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ name: '2号电梯', location: '2号楼' });
  });

  it('hides another company’s items (404) and items of communities the caller is not in', async () => {
    const e = await item();
    for (const url of [`/api/equipment/${e.id}`, `/api/equipment/${e.id}/tickets`, `/api/equipment/${e.id}/label.png`]) {
      expect((await b.desk.get(url)).statusCode).toBe(404);
    }
    expect((await b.desk.patch(`/api/equipment/${e.id}`, { name: 'x' })).statusCode).toBe(404);
    expect((await b.desk.post(`/api/equipment/${e.id}/status`, { status: 'stopped', reason: 'x' })).statusCode).toBe(404);
    expect((await b.desk.post(`/api/equipment/${e.id}/faults`, { description: '坏了' })).statusCode).toBe(404);
    const other = await item({ communityId: a.communityIds[1] });
    expect((await tech.client.get(`/api/equipment/${other.id}`)).statusCode).toBe(404);
    const list = (await tech.client.get('/api/equipment?pageSize=200')).json();
    expect(list.items.some((x: { id: string }) => x.id === other.id)).toBe(false);
    expect((await b.desk.get(`/api/equipment?communityId=${a.communityIds[0]}`)).statusCode).toBe(404);
  });

  it('exports the filtered ledger as .xlsx', async () => {
    const e = await item({ category: 'barrier', name: '东门道闸' });
    const res = await a.desk.get(`/api/equipment.xlsx?communityId=${a.communityIds[0]}&category=barrier`);
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as never);
    const values = wb.worksheets[0].getSheetValues().flat().map(String);
    expect(values).toContain(e.code);
    expect(values).toContain('东门道闸');
  });
});

describe('status with history', () => {
  it('records who, when and why; stop and restart need a manager; a technician clears a fault', async () => {
    const e = await item();
    const r1 = await tech.client.post(`/api/equipment/${e.id}/status`, { status: 'fault', reason: '异响' });
    expect(r1.statusCode, r1.body).toBe(200);
    expect((await tech.client.post(`/api/equipment/${e.id}/status`, { status: 'stopped', reason: '改造' })).statusCode).toBe(403);
    const r2 = await tech.client.post(`/api/equipment/${e.id}/status`, { status: 'normal', reason: '更换轴承后恢复' });
    expect(r2.statusCode).toBe(200);
    expectFieldError(await tech.client.post(`/api/equipment/${e.id}/status`, { status: 'normal', reason: '再次' }), 'status');
    expectFieldError(await a.desk.post(`/api/equipment/${e.id}/status`, { status: 'stopped', reason: '' }), 'reason');
    const r3 = await a.desk.post(`/api/equipment/${e.id}/status`, { status: 'stopped', reason: '改造停用' });
    expect(r3.statusCode).toBe(200);
    expectFieldError(await a.desk.post(`/api/equipment/${e.id}/status`, { status: 'fault', reason: 'x' }), 'status');
    const history = r3.json().history;
    expect(history.map((h: { toStatus: string }) => h.toStatus)).toEqual(['stopped', 'normal', 'fault', 'normal']);
    expect(history[1]).toMatchObject({ fromStatus: 'fault', reason: '更换轴承后恢复' });
    expect(history[1].changedBy).toBeTruthy();
    expect(await auditRows(t.db, e.id, 'equipment.status')).toHaveLength(3);
  });
});

describe('report fault', () => {
  it('files a public-repair ticket at the item’s location linked to it, and sets 故障 with the ticket in the history', async () => {
    const e = await item({ location: '3号楼地下泵房', category: 'pump', name: '生活水泵1号' });
    const res = await tech.client.post(`/api/equipment/${e.id}/faults`, { description: '水泵漏水，压力不足', urgency: 'urgent' });
    expect(res.statusCode, res.body).toBe(201);
    const { ticket, equipment } = res.json();
    expect(equipment.status).toBe('fault');
    expect(equipment.history[0]).toMatchObject({ fromStatus: 'normal', toStatus: 'fault', ticket: { id: ticket.id, no: ticket.no } });
    const row = await t.db.selectFrom('tickets').selectAll().where('id', '=', ticket.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: 'publicRepair', location: '3号楼地下泵房', community_id: a.communityIds[0], urgency: 'urgent', channel: 'patrol', created_by: tech.id });
    expect(row.title).toContain(e.code);
    const tickets = (await tech.client.get(`/api/equipment/${e.id}/tickets`)).json();
    expect(tickets).toEqual([expect.objectContaining({ id: ticket.id, source: 'report' })]);

    // A second report of the same fault adds a ticket and leaves the status as it is.
    const again = await guard.client.post(`/api/equipment/${e.id}/faults`, { description: '仍在漏水' });
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json().equipment.history.filter((h: { toStatus: string }) => h.toStatus === 'fault')).toHaveLength(1);
    expect((await tech.client.get(`/api/equipment/${e.id}/tickets`)).json()).toHaveLength(2);
  });

  it('files lift faults under the lift category, refuses a stopped item and callers who may not report', async () => {
    const e = await item();
    const res = await tech.client.post(`/api/equipment/${e.id}/faults`, { description: '困人' });
    const cat = await t.db.selectFrom('tickets as t').innerJoin('ticket_categories as c', 'c.id', 't.category_id').select('c.code').where('t.id', '=', res.json().ticket.id).executeTakeFirstOrThrow();
    expect(cat.code).toBe('elevator');
    const stopped = await item();
    await a.desk.post(`/api/equipment/${stopped.id}/status`, { status: 'stopped', reason: '停用' });
    expectFieldError(await tech.client.post(`/api/equipment/${stopped.id}/faults`, { description: '坏了' }), 'status');
    expectFieldError(await tech.client.post(`/api/equipment/${e.id}/faults`, { description: '' }), 'description');
    const reader = await createRoleUser(t.db, a, ['equipment.read'], { communityIds: [a.communityIds[0]] });
    const readerClient = await sessionAs(t.app, t.db, reader.id);
    expect((await readerClient.post(`/api/equipment/${e.id}/faults`, { description: '坏了' })).statusCode).toBe(403);
  });
});

describe('QR labels', () => {
  it('carry a signed scan address that resolves only for the signing company', async () => {
    const e = await item();
    const png = await a.desk.get(`/api/equipment/${e.id}/label.png`);
    expect(png.statusCode).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    const svg = await a.desk.get(`/api/equipment/${e.id}/label.svg`);
    expect(svg.body).toContain('<svg');
    const code = await signCode(t.db, a.companyId, 'eq', e.id);
    const ok = await tech.client.get(`/api/equipment/scan/${code}`);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ id: e.id });

    const forged = `${code.slice(0, -2)}${code.endsWith('AA') ? 'BB' : 'AA'}`;
    expect((await tech.client.get(`/api/equipment/scan/${forged}`)).statusCode).toBe(404);
    expect((await tech.client.get(`/api/equipment/scan/eq.${e.id}.x`)).statusCode).toBe(404);
    // A code printed by company B for its own key, naming A's item: not A's signature.
    const byB = await signCode(t.db, b.companyId, 'eq', e.id);
    expect((await tech.client.get(`/api/equipment/scan/${byB}`)).statusCode).toBe(404);
    // A's genuine code scanned by B's staff: B's key does not verify it.
    expect((await b.desk.get(`/api/equipment/scan/${code}`)).statusCode).toBe(404);
    // A patrol checkpoint code of the same id is not an equipment code.
    expect((await tech.client.get(`/api/equipment/scan/${await signCode(t.db, a.companyId, 'cp', e.id)}`)).statusCode).toBe(404);
  });

  it('prints a PDF sheet for a community or chosen items', async () => {
    const e = await item();
    const res = await a.desk.get(`/api/equipment-labels.pdf?communityId=${a.communityIds[0]}&ids=${e.id}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expectFieldError(await a.desk.get(`/api/equipment-labels.pdf?communityId=${a.communityIds[0]}&ids=nope`), 'ids');
    expectFieldError(await a.desk.get(`/api/equipment-labels.pdf?communityId=${a.communityIds[0]}&ids=${randomUUID()}`), 'ids');
    expect((await b.desk.get(`/api/equipment-labels.pdf?communityId=${a.communityIds[0]}`)).statusCode).toBe(404);
  });
});

describe('figures', () => {
  it('counts the intact rate over items in service, stopped excluded, by category', async () => {
    const co = await deskCompany(t, { communities: 1 });
    const c = co.communityIds[0];
    const ids: string[] = [];
    for (const [i, category] of ['pump', 'pump', 'pump', 'pump', 'fire'].entries()) {
      const res = await co.desk.post('/api/equipment', { communityId: c, code: `P-${i}`, name: `设备${i}`, category, location: '泵房' });
      ids.push(res.json().id);
    }
    await co.desk.post(`/api/equipment/${ids[0]}/status`, { status: 'fault', reason: '漏水' });
    await co.desk.post(`/api/equipment/${ids[1]}/status`, { status: 'stopped', reason: '备用停用' });
    const f = (await co.desk.get(`/api/equipment-figures?communityId=${c}`)).json();
    expect(f.total).toEqual({ normal: 3, fault: 1, stopped: 1, intactRate: 75 });
    expect(f.byCategory).toEqual([
      { category: 'pump', normal: 2, fault: 1, stopped: 1, intactRate: 66.67 },
      { category: 'fire', normal: 1, fault: 0, stopped: 0, intactRate: 100 },
    ]);
    expect(f.faultsByMonth).toHaveLength(12);
    expect(f.faultsByMonth.at(-1).count).toBe(1);
    expect((await b.desk.get(`/api/equipment-figures?communityId=${c}`)).statusCode).toBe(404);
  });

  it('offers the catalogue with default cycles', async () => {
    const cat = (await tech.client.get('/api/equipment-catalogue')).json();
    const lift = cat.find((c: { code: string }) => c.code === 'lift');
    expect(lift.plans[0]).toMatchObject({ cycle: 'everyNDays', interval: 15 });
    expect(lift.inspections[0]).toMatchObject({ kind: 'liftAnnual', cycleMonths: 12 });
  });
});
