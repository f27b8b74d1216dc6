import { expect } from 'vitest';
import type { TestApp } from './app.ts';
import { type Client, createCompany, createStaffUser, type TestCompany, unique } from './factories.ts';
import { sessionAs } from './api.ts';

/** A company with two communities, a logged-in administrator and manager, and the three standard 8-hour shifts. */
export interface RosterCompany extends TestCompany {
  admin2: Client;
  manager: Client;
  communityId: string;
  shifts: { day: string; swing: string; night: string };
  departmentId: string;
}

export async function rosterCompany(t: TestApp): Promise<RosterCompany> {
  const co = await createCompany(t.db, { communities: 2 });
  const admin2 = await sessionAs(t.app, t.db, co.admin.id);
  const manager = await sessionAs(t.app, t.db, (await createStaffUser(t.db, co, { role: 'manager', communityIds: co.communityIds })).id);
  const communityId = co.communityIds[0];
  const shift = async (name: string, code: string, startTime: string, endTime: string) => {
    const res = await admin2.post('/api/shifts', { communityId, name, code, startTime, endTime });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };
  const shifts = { day: await shift('早班', 'day', '08:00', '16:00'), swing: await shift('中班', 'swing', '16:00', '00:00'), night: await shift('夜班', 'night', '00:00', '08:00') };
  const dept = await admin2.post('/api/departments', { name: unique('秩序部'), kind: 'security' });
  expect(dept.statusCode, dept.body).toBe(201);
  return { ...co, admin2, manager, communityId, shifts, departmentId: dept.json().id };
}

export async function guard(t: TestApp, co: TestCompany, communityIds = co.communityIds.slice(0, 1)) {
  return createStaffUser(t.db, co, { role: 'security', communityIds });
}

export async function createPost(co: RosterCompany, body: Record<string, unknown> = {}) {
  const res = await co.admin2.post('/api/posts', { communityId: co.communityId, departmentId: co.departmentId, name: unique('岗'), ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; name: string };
}
