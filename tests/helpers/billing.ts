import { expect } from 'vitest';
import type { TestApp } from './app.ts';
import { type Client, createCompany, createStaffUser, type TestCompany, unique } from './factories.ts';
import { sessionAs } from './api.ts';

/**
 * Billing factories: a company with its administrator and the built-in roles that matter here (cashier: billing.read
 * and billing.collect; technician: no billing permission), fee items, bindings, meters and readings through the API.
 */

export interface BillingCompany extends TestCompany {
  admin2: Client;
  cashier: Client;
  technician: Client;
}

export async function billingCompany(t: TestApp, opts: { communities?: number } = {}): Promise<BillingCompany> {
  const co = await createCompany(t.db, { communities: opts.communities ?? 2 });
  const [cashier, technician] = await Promise.all([
    createStaffUser(t.db, co, { role: 'cashier', communityIds: co.communityIds }),
    createStaffUser(t.db, co, { role: 'technician', communityIds: co.communityIds }),
  ]);
  return {
    ...co,
    admin2: await sessionAs(t.app, t.db, co.admin.id),
    cashier: await sessionAs(t.app, t.db, cashier.id),
    technician: await sessionAs(t.app, t.db, technician.id),
  };
}

/** Creates a fee item through the API (enabled in `communities`, default the first), expecting 201. */
export async function feeItem(client: Client, co: TestCompany, body: Record<string, unknown>): Promise<{ id: string; [k: string]: unknown }> {
  const res = await client.post('/api/fee-items', { name: unique('收费'), communities: [{ communityId: co.communityIds[0] }], ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

export async function bind(client: Client, body: Record<string, unknown>): Promise<{ id: string }> {
  const res = await client.post('/api/fee-bindings', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

export async function meter(client: Client, body: Record<string, unknown>): Promise<{ id: string; number: string }> {
  const res = await client.post('/api/meters', { kind: 'water', number: unique('W').slice(-10).toUpperCase(), ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

export async function reading(client: Client, meterId: string, periodKey: string, value: string | number): Promise<{ id: string; status: string; usage: string; flags: string[] }> {
  const res = await client.post('/api/meter-readings', { meterId, periodKey, reading: value });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

export async function runBills(client: Client, body: Record<string, unknown>): Promise<{ id: string; status: string; linesCreated: number; amountFen: number; total: number; processed: number }> {
  const res = await client.post('/api/bill-runs', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

/** The bill lines of a run or community, as comparable keys: item|target|period|amount. */
export async function lineKeys(t: TestApp, where: { runId?: string; communityId?: string; status?: 'live' | 'revoked' }): Promise<string[]> {
  let q = t.db.selectFrom('bill_lines').select(['item_id', 'target_id', 'period_key', 'amount_fen', 'basis', 'due_date']);
  if (where.runId) q = q.where('run_id', '=', where.runId);
  if (where.communityId) q = q.where('community_id', '=', where.communityId);
  if (where.status === 'live') q = q.where('status', '<>', 'revoked');
  if (where.status === 'revoked') q = q.where('status', '=', 'revoked');
  const rows = await q.execute();
  return rows.map((r) => `${r.item_id}|${r.target_id}|${r.period_key}|${r.amount_fen}|${r.due_date}|${JSON.stringify(r.basis)}`).sort();
}
