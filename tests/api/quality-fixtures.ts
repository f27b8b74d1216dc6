import sharp from 'sharp';
import { expect } from 'vitest';
import type { TestApp } from '../helpers/app.ts';
import { type Client, createCompany, createStaffUser, type TestCompany, unique } from '../helpers/factories.ts';
import { sessionAs, upload } from '../helpers/api.ts';

/** A company set up for quality checks: departments, an inspector per community, rectifiers, a manager. */
export interface QualityCompany extends TestCompany {
  admin2: Client;
  inspector: { id: string; client: Client };
  /** A quality inspector of the second community only: a cross-inspector for the first. */
  crossInspector: { id: string; client: Client };
  manager: { id: string; client: Client };
  /** A cleaner holding a post of the cleaning department. */
  cleaner: { id: string; client: Client };
  /** The cleaning department's head. */
  head: { id: string; client: Client };
  /** A guard: may rectify, but not the cleaning department's notices. */
  guard: { id: string; client: Client };
  cleaningId: string;
  securityId: string;
  templateId: string;
}

async function person(t: TestApp, co: TestCompany, role: string, communityIds: string[]) {
  const u = await createStaffUser(t.db, co, { role, communityIds });
  return { id: u.id, client: await sessionAs(t.app, t.db, u.id) };
}

export async function qualityCompany(t: TestApp): Promise<QualityCompany> {
  const co = await createCompany(t.db, { communities: 2 });
  const [c1, c2] = co.communityIds as [string, string];
  const admin2 = await sessionAs(t.app, t.db, co.admin.id);
  const [inspector, crossInspector, manager, cleaner, head, guard] = await Promise.all([
    person(t, co, 'quality', [c1]),
    person(t, co, 'quality', [c2]),
    person(t, co, 'manager', [c1]),
    person(t, co, 'cleaner', [c1]),
    person(t, co, 'cleaner', [c1]),
    person(t, co, 'security', [c1]),
  ]);
  const cleaning = await t.db.insertInto('departments').values({ company_id: co.companyId, name: unique('保洁部'), kind: 'cleaning', head_id: head.id }).returning('id').executeTakeFirstOrThrow();
  const security = await t.db.insertInto('departments').values({ company_id: co.companyId, name: unique('秩序部'), kind: 'security', head_id: guard.id }).returning('id').executeTakeFirstOrThrow();
  const post = await t.db.insertInto('posts').values({ company_id: co.companyId, community_id: c1, department_id: cleaning.id, name: unique('保洁岗') }).returning('id').executeTakeFirstOrThrow();
  await t.db.insertInto('post_members').values({ post_id: post.id, user_id: cleaner.id, company_id: co.companyId }).execute();
  const res = await admin2.post('/api/quality/templates', {
    name: unique('保洁周检'),
    items: [
      { label: '大堂地面干净无污渍', maxPoints: 10, departmentKind: 'cleaning' },
      { label: '电梯轿厢干净', maxPoints: 10, departmentKind: 'cleaning' },
      { label: '岗亭整洁、着装规范', maxPoints: 5, departmentKind: 'security' },
    ],
  });
  expect(res.statusCode, res.body).toBe(201);
  return { ...co, admin2, inspector, crossInspector, manager, cleaner, head, guard, cleaningId: cleaning.id, securityId: security.id, templateId: res.json().id };
}

export async function photo(t: TestApp, client: Client): Promise<string> {
  const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#3a7' } }).png().toBuffer();
  const res = await upload(t.app, client, { data: png, filename: 'p.png', contentType: 'image/png' });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

const DAY = 86_400_000;
export const inDays = (n: number) => new Date(Date.now() + n * DAY).toISOString();
export const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/** An ad hoc inspection by the community's inspector, ordered by the administrator. */
export async function inspection(co: QualityCompany, opts: Record<string, unknown> = {}) {
  const res = await co.admin2.post('/api/quality/inspections', { communityId: co.communityIds[0], templateId: co.templateId, kind: 'adhoc', plannedOn: today(), inspectorId: co.inspector.id, ...opts });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

/** A finding of `inspectionId` to the cleaning department, due in `days` days; returns the notice. */
export async function finding(co: QualityCompany, inspectionId: string, opts: Record<string, unknown> = {}, client: Client = co.inspector.client) {
  const res = await client.post(`/api/quality/inspections/${inspectionId}/findings`, { description: '大堂地面有污渍', location: '1栋大堂', deduction: 2, departmentId: co.cleaningId, deadlineAt: inDays(2), ...opts });
  expect(res.statusCode, res.body).toBe(201);
  const notices = res.json().notices as Array<{ id: string; no: string; status: string }>;
  return notices[notices.length - 1]!;
}

export { pdfText } from '../helpers/pdf-text.ts';
