import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { expectFieldError } from '../helpers/api.ts';
import { compileWeeklyReport } from '../../src/modules/quality/report.ts';
import { qualityJobs } from '../../src/modules/quality/jobs.ts';
import { pdfText, qualityCompany, type QualityCompany } from './quality-fixtures.ts';

let t: TestApp;
let a: QualityCompany;
let b: QualityCompany;
let community: { id: string; name: string; time_zone: string };

/**
 * A hand-made week, 2026-11-09 (Mon) to 11-15 in Asia/Shanghai:
 *  A  scheduled, submitted 11-11: items cleaning 10 / cleaning 10 (−2) / security 5; findings N1 (item 1, −3, cleaning,
 *     due 11-12 10:00, closed, rectified 09:00: on time) and N2 (no item, −1, security, due 11-13 10:00, still open).
 *     Score 25 − 3 − 2 − 1 = 19.
 *  B  ad hoc, planned 11-14, not done.
 *  C  cross, submitted 11-13: one cleaning item 10 (−5); finding N3 (cleaning, 0, due 11-15 18:00, closed but rectified
 *     11-16: late). Score 5.
 *  Old inspection of 11-02 with N4 (due 11-10 12:00, rectified, not verified), N5 (cancelled, due in the week) and
 *  N6 (due 11-17, open: next week's).
 *  A reward of 3 points to the cleaner on 11-12, a penalty on 11-20 (next week).
 */
async function handMadeWeek() {
  const co = a;
  const c1 = co.communityIds[0]!;
  const base = { company_id: co.companyId, community_id: c1, template_id: co.templateId, template_version: 1, inspector_id: co.inspector.id };
  const insp = async (kind: 'scheduled' | 'adhoc' | 'cross', planned: string, status: 'planned' | 'submitted', score: number | null, max: number, items: Array<[string, number, number, 'cleaning' | 'security']>) => {
    const row = await t.db.insertInto('quality_inspections').values({ ...base, kind, title: `${kind}-${planned}`, planned_on: planned, status, score, max_score: max }).returning('id').executeTakeFirstOrThrow();
    const ids: string[] = [];
    for (const [n, [label, maxPoints, deducted, kindOf]] of items.entries()) {
      const it = await t.db.insertInto('quality_inspection_items').values({ company_id: co.companyId, inspection_id: row.id, sort_order: n + 1, label, max_points: maxPoints, deducted, department_kind: kindOf }).returning('id').executeTakeFirstOrThrow();
      ids.push(it.id);
    }
    return { id: row.id, items: ids };
  };
  let no = 900000;
  const notice = async (inspectionId: string, itemId: string | null, deduction: number, departmentId: string, deadline: string, status: 'open' | 'rectified' | 'closed' | 'cancelled', rectified: string | null) =>
    t.db
      .insertInto('quality_notices')
      .values({ company_id: co.companyId, community_id: c1, no: `ZG2026-${++no}`, inspection_id: inspectionId, item_id: itemId, description: `问题${no}`, deduction, department_id: departmentId, deadline_at: new Date(deadline), status, rectified_at: rectified ? new Date(rectified) : null })
      .execute();
  const A = await insp('scheduled', '2026-11-11', 'submitted', 19, 25, [['地面', 10, 0, 'cleaning'], ['电梯', 10, 2, 'cleaning'], ['岗亭', 5, 0, 'security']]);
  await notice(A.id, A.items[0]!, 3, co.cleaningId, '2026-11-12T10:00:00+08:00', 'closed', '2026-11-12T09:00:00+08:00');
  await notice(A.id, null, 1, co.securityId, '2026-11-13T10:00:00+08:00', 'open', null);
  await insp('adhoc', '2026-11-14', 'planned', null, 25, [['地面', 10, 0, 'cleaning']]);
  const C = await insp('cross', '2026-11-13', 'submitted', 5, 10, [['绿化', 10, 5, 'cleaning']]);
  await notice(C.id, null, 0, co.cleaningId, '2026-11-15T18:00:00+08:00', 'closed', '2026-11-16T08:00:00+08:00');
  const old = await insp('scheduled', '2026-11-02', 'submitted', 10, 10, [['地面', 10, 0, 'cleaning']]);
  await notice(old.id, null, 0, co.cleaningId, '2026-11-10T12:00:00+08:00', 'rectified', '2026-11-10T11:00:00+08:00');
  await notice(old.id, null, 0, co.cleaningId, '2026-11-11T12:00:00+08:00', 'cancelled', null);
  await notice(old.id, null, 0, co.cleaningId, '2026-11-17T12:00:00+08:00', 'open', null);
  await t.db.insertInto('quality_rewards').values({ company_id: co.companyId, community_id: c1, kind: 'reward', user_id: co.cleaner.id, points: 3, reason: '主动整改', occurred_on: '2026-11-12' }).execute();
  await t.db.insertInto('quality_rewards').values({ company_id: co.companyId, community_id: c1, kind: 'penalty', user_id: co.cleaner.id, points: 1, reason: '下周', occurred_on: '2026-11-20' }).execute();
}

beforeAll(async () => {
  t = await testApp();
  [a, b] = await Promise.all([qualityCompany(t), qualityCompany(t)]);
  community = await t.db.selectFrom('communities').select(['id', 'name', 'time_zone']).where('id', '=', a.communityIds[0]!).executeTakeFirstOrThrow();
  await handMadeWeek();
});

describe('the weekly supervision report', () => {
  it('has the figures of the hand-made week', async () => {
    const r = await compileWeeklyReport(t.db, a.companyId, community, '2026-11-09', new Date('2026-11-20T00:00:00Z'));
    expect(r).toMatchObject({ weekStart: '2026-11-09', weekEnd: '2026-11-15', inspectionsPlanned: 3, inspectionsDone: 2, averagePercent: 68.6, findingsTotal: 3 });
    expect(r.inspections.map((i) => [i.kind, i.plannedOn, i.score, i.findings])).toEqual([
      ['scheduled', '2026-11-11', 19, 2],
      ['cross', '2026-11-13', 5, 1],
      ['adhoc', '2026-11-14', null, 0],
    ]);
    const names = await t.db.selectFrom('departments').select(['id', 'name']).where('id', 'in', [a.cleaningId, a.securityId]).execute();
    const nameOf = (id: string) => names.find((n) => n.id === id)!.name;
    expect(r.findingsByDepartment).toEqual([
      { department: nameOf(a.cleaningId), findings: 2, deducted: 3 },
      { department: nameOf(a.securityId), findings: 1, deducted: 1 },
    ]);
    // Due in the week: N1, N2, N3, N4 (N5 cancelled, N6 next week); closed on time: N1 only.
    expect(r.rectification).toEqual({ due: 4, closedOnTime: 1, rate: 25 });
    expect(r.overdue.map((o) => o.description)).toEqual(['问题900002']);
    expect(r.departmentScores).toEqual(
      expect.arrayContaining([
        { department: nameOf(a.cleaningId), kind: 'cleaning', percent: 66.7 },
        { department: nameOf(a.securityId), kind: 'security', percent: 100 },
      ]),
    );
    expect(r.rewards).toEqual([{ kind: 'reward', target: expect.any(String), points: 3, amountFen: null, reason: '主动整改' }]);
  });

  it('is compiled and stored by the Monday job, once per community and day', async () => {
    const job = qualityJobs.find((j) => j.name === 'quality-weekly-report')!;
    const ctx = (periodKey: string, now: string) => ({ periodKey, now: new Date(now), communityId: community.id, companyId: a.companyId });
    expect(await job.run(t.app.deps, ctx('2026-11-15', '2026-11-15T02:00:00Z'))).toEqual({ compiled: false });
    expect(await job.run(t.app.deps, ctx('2026-11-16', '2026-11-16T02:00:00Z'))).toEqual({ compiled: true });
    const stored = await t.db.selectFrom('quality_reports').select(['week_start', 'compiled_by']).where('community_id', '=', community.id).execute();
    expect(stored).toEqual([{ week_start: '2026-11-09', compiled_by: null }]);
    const res = await a.admin2.get(`/api/quality/reports/weekly?communityId=${community.id}&week=2026-11-12`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ weekStart: '2026-11-09', compiledAt: '2026-11-16T02:00:00.000Z', rectification: { due: 4, closedOnTime: 1 } });
  });

  it('is compiled again on demand by a quality manager', async () => {
    const res = await a.inspector.client.post('/api/quality/reports/weekly', { communityId: community.id, week: '2026-11-09' });
    expect(res.statusCode, res.body).toBe(200);
    expect(Date.parse(res.json().compiledAt)).toBeGreaterThan(Date.parse('2026-11-20T00:00:00Z'));
    expect((await a.cleaner.client.post('/api/quality/reports/weekly', { communityId: community.id })).statusCode).toBe(403);
    expectFieldError(await a.admin2.post('/api/quality/reports/weekly', { communityId: b.communityIds[0] }), 'communityId');
    expectFieldError(await a.admin2.get(`/api/quality/reports/weekly?communityId=${community.id}&week=2026-13-01`), 'week');
    expect((await b.admin2.get(`/api/quality/reports/weekly?communityId=${community.id}`)).statusCode).toBe(404);
    expect((await b.admin2.get(`/api/quality/reports/weekly.xlsx?communityId=${community.id}`)).statusCode).toBe(404);
  });

  it('exports an .xlsx that reads back', async () => {
    const res = await a.admin2.get(`/api/quality/reports/weekly.xlsx?communityId=${community.id}&week=2026-11-09`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain("filename*=UTF-8''");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['概况', '检查记录', '问题按部门', '部门得分率', '逾期整改', '奖优罚劣']);
    const summary = wb.getWorksheet('概况')!;
    const values = summary.getSheetValues().filter(Boolean).map((r) => (r as unknown[]).slice(1));
    expect(values).toContainEqual(['整改率', '25%']);
    expect(values).toContainEqual(['已完成检查', '2']);
    expect(wb.getWorksheet('检查记录')!.rowCount).toBe(4);
    expect(wb.getWorksheet('逾期整改')!.getRow(2).getCell(2).value).toBe('问题900002');
  });

  it('exports a PDF with its Chinese text', async () => {
    const res = await a.admin2.get(`/api/quality/reports/weekly.pdf?communityId=${community.id}&week=2026-11-09`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const text = pdfText(res.rawPayload).join('\n');
    expect(text).toContain('品质督导周报');
    expect(text).toContain('整改率');
    expect(text).toContain('25%');
    expect(text).toContain('问题900002');
    const en = await a.admin2.get(`/api/quality/reports/weekly.pdf?communityId=${community.id}&week=2026-11-09`, { 'accept-language': 'en' });
    expect(pdfText(en.rawPayload).join('\n')).toContain('Rectification rate');
  });
});

describe('scores over time', () => {
  it('per department and person by week', async () => {
    const res = await a.admin2.get(`/api/quality/scores?communityId=${community.id}&from=2026-11-02&to=2026-11-15&period=week`);
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json();
    expect(s.periods).toEqual(['2026-11-02', '2026-11-09']);
    expect(s.overall).toEqual([100, 68.6]);
    const cleaning = s.departments.find((d: { id: string }) => d.id === a.cleaningId);
    // N1, N3, N4, N6 (N5 was cancelled).
    expect(cleaning).toMatchObject({ percents: [100, 66.7], findings: 4 });
    const cleaner = s.people.find((p: { id: string }) => p.id === a.cleaner.id);
    expect(cleaner).toMatchObject({ rewardPoints: 3, penaltyPoints: 0 });
    const monthly = (await a.admin2.get(`/api/quality/scores?communityId=${community.id}&from=2026-11-01&to=2026-11-30&period=month`)).json();
    expect(monthly.periods).toEqual(['2026-11']);
    expect(monthly.people.find((p: { id: string }) => p.id === a.cleaner.id)).toMatchObject({ rewardPoints: 3, penaltyPoints: 1 });
  });

  it('refuses a reversed or too long range, 404 for another company', async () => {
    expectFieldError(await a.admin2.get(`/api/quality/scores?communityId=${community.id}&from=2026-11-15&to=2026-11-01`), 'to');
    expectFieldError(await a.admin2.get(`/api/quality/scores?communityId=${community.id}&from=2024-01-01&to=2026-11-01`), 'to');
    expectFieldError(await a.admin2.get(`/api/quality/scores?communityId=${community.id}&to=2026-11-01`), 'from');
    expect((await b.admin2.get(`/api/quality/scores?communityId=${community.id}&from=2026-11-01&to=2026-11-15`)).statusCode).toBe(404);
    expect((await a.cleaner.client.get(`/api/quality/scores?communityId=${community.id}&from=2026-11-01&to=2026-11-15`)).statusCode).toBe(403);
  });

  it('lists the pickers: departments, rectifiers of the community, inspectors anywhere', async () => {
    const r = (await a.admin2.get(`/api/quality/assignees?communityId=${community.id}`)).json();
    expect(r.departments.map((d: { id: string }) => d.id)).toEqual(expect.arrayContaining([a.cleaningId, a.securityId]));
    expect(r.rectifiers.map((p: { id: string }) => p.id)).toEqual(expect.arrayContaining([a.cleaner.id, a.head.id, a.guard.id]));
    expect(r.inspectors.map((p: { id: string }) => p.id)).toEqual(expect.arrayContaining([a.inspector.id, a.crossInspector.id]));
    expect((await b.admin2.get(`/api/quality/assignees?communityId=${community.id}`)).statusCode).toBe(404);
  });
});
