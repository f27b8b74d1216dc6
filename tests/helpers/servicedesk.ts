import sharp from 'sharp';
import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import type { DB } from '../../src/db/schema.ts';
import type { TicketKind } from '../../src/db/schema-service-desk.ts';
import { ensureDesk } from '../../src/modules/servicedesk/config.ts';
import type { TestApp } from './app.ts';
import { type Client, createCompany, createRoom, createStaffUser, type TestCompany, type TestRoom, unique } from './factories.ts';
import { sessionAs, upload } from './api.ts';

/**
 * Service-desk factories: a company with its default categories and time limits, staff by role, dispatch groups,
 * tickets registered through the API, and the steps that bring a ticket to a given status.
 */

export interface DeskCompany extends TestCompany {
  /** The built-in administrator (every staff permission, every community). */
  desk: Client;
}



/** A company with the default desk configuration; `settings` are written before the desk is first used. */
export async function deskCompany(t: TestApp, opts: { communities?: number; settings?: Record<string, unknown> } = {}): Promise<DeskCompany> {
  const co = await createCompany(t.db, { communities: opts.communities ?? 2 });
  await ensureDesk(t.db, co.companyId);
  if (opts.settings && Object.keys(opts.settings).length) {
    await t.db.updateTable('service_desk_settings').set(opts.settings as never).where('company_id', '=', co.companyId).execute();
  }
  const desk = await sessionAs(t.app, t.db, co.admin.id);
  return { ...co, desk };
}

export interface StaffClient {
  id: string;
  client: Client;
}

/** A staff member holding one built-in role (technician, service, manager, committee…), logged in. */
export async function staff(t: TestApp, co: TestCompany, role: string, communityIds?: string[]): Promise<StaffClient> {
  const u = await createStaffUser(t.db, co, { role, communityIds });
  return { id: u.id, client: await sessionAs(t.app, t.db, u.id) };
}

export const technician = (t: TestApp, co: TestCompany, communityIds?: string[]) => staff(t, co, 'technician', communityIds);

/** A category id by kind and code from the defaults. */
export async function categoryId(db: Kysely<DB>, companyId: string, kind: TicketKind, code: string): Promise<string> {
  const row = await db.selectFrom('ticket_categories').select('id').where('company_id', '=', companyId).where('kind', '=', kind).where('code', '=', code).executeTakeFirstOrThrow();
  return row.id;
}

const DEFAULT_CODE: Record<TicketKind, string> = { homeRepair: 'waterElectric', publicRepair: 'elevator', complaint: 'otherComplaint', inquiry: 'general', paidService: 'paidRepair' };

/** The body of a valid desk registration: a room for home repairs, a public location otherwise. */
export async function ticketBody(t: TestApp, co: TestCompany, opts: { kind?: TicketKind; code?: string; communityId?: string; room?: TestRoom; [k: string]: unknown } = {}) {
  const { kind = 'publicRepair', code, communityId = co.communityIds[0], room: givenRoom, ...rest } = opts;
  const body: Record<string, unknown> = { communityId, kind, categoryId: await categoryId(t.db, co.companyId, kind, code ?? DEFAULT_CODE[kind]), title: `报修${unique('').slice(-5)}`, ...rest };
  if (kind === 'homeRepair' && !('roomId' in rest)) {
    const room = givenRoom ?? (await createRoom(t.db, { company: co, communityId }));
    body.roomId = room.id;
  } else if (givenRoom) {
    body.roomId = givenRoom.id;
  } else if (!('location' in rest) && !('roomId' in rest)) {
    body.location = '3栋大堂';
  }
  return body;
}

export interface TicketJson {
  id: string;
  no: string;
  status: string;
  assigneeId: string | null;
  clocks: Array<{ clock: string; dueAt: string; warnAt: string | null; doneAt: string | null; state: string }>;
  timeline: Array<{ action: string; at: string; fromStatus: string | null; toStatus: string | null; payload: Record<string, unknown> }>;
  [k: string]: unknown;
}

/** Registers a ticket through POST /api/tickets as `client` (the company's desk by default); 201 expected. */
export async function createTicket(t: TestApp, co: DeskCompany, opts: Parameters<typeof ticketBody>[2] & { client?: Client; headers?: Record<string, string> } = {}): Promise<TicketJson> {
  const { client = co.desk, headers, ...rest } = opts;
  const res = await client.post('/api/tickets', await ticketBody(t, co, rest), headers);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

/** A dispatch group of `members` (in order) in a community. */
export async function createGroup(db: Kysely<DB>, co: TestCompany, memberIds: string[], opts: { communityId?: string | null; leaderId?: string | null } = {}): Promise<string> {
  const g = await db
    .insertInto('staff_groups')
    .values({ company_id: co.companyId, name: unique('班组'), community_id: opts.communityId === undefined ? co.communityIds[0] : opts.communityId, leader_id: opts.leaderId ?? null })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (memberIds.length) await db.insertInto('staff_group_members').values(memberIds.map((user_id, position) => ({ group_id: g.id, user_id, company_id: co.companyId, position }))).execute();
  return g.id;
}

export function ticketRow(db: Kysely<DB>, id: string) {
  return db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

export function events(db: Kysely<DB>, ticketId: string) {
  return db.selectFrom('ticket_events').selectAll().where('ticket_id', '=', ticketId).orderBy('at').orderBy('seq').execute();
}

export function notificationsOf(db: Kysely<DB>, userId: string, ticketId?: string) {
  let q = db.selectFrom('notifications').selectAll().where('user_id', '=', userId);
  if (ticketId) q = q.where('ticket_id', '=', ticketId);
  return q.orderBy('id').execute();
}

/** Posts one step and expects 200. */
export async function ok(client: Client, ticketId: string, step: string, body: unknown = {}): Promise<TicketJson> {
  const res = await client.post(`/api/tickets/${ticketId}/${step}`, body);
  expect(res.statusCode, `${step}: ${res.body}`).toBe(200);
  return res.json();
}

/**
 * Drives a desk-registered repair to `status` through the API: dispatched to `tech`, arrived, in progress, completed.
 */
export async function advance(ticketId: string, co: DeskCompany, tech: StaffClient, status: 'dispatched' | 'arrived' | 'inProgress' | 'completed'): Promise<TicketJson> {
  let t = await ok(co.desk, ticketId, 'dispatch', { assigneeId: tech.id });
  if (status === 'dispatched') return t;
  t = await ok(tech.client, ticketId, 'arrive');
  if (status === 'arrived') return t;
  t = await ok(tech.client, ticketId, 'start');
  if (status === 'inProgress') return t;
  return ok(tech.client, ticketId, 'complete', { note: '已修好' });
}

let pngCache: Promise<Buffer> | null = null;
export function smallPng(): Promise<Buffer> {
  pngCache ??= sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 0, g: 160, b: 80 } } }).png().toBuffer();
  return pngCache;
}
export const pdfBytes = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

/** Uploads a small PNG (or a PDF) as `client`; returns the file id. */
export async function uploadFile(t: TestApp, client: Client, kind: 'png' | 'pdf' = 'png'): Promise<string> {
  const res = await upload(t.app, client, kind === 'png' ? { data: await smallPng(), filename: '现场.png', contentType: 'image/png' } : { data: pdfBytes, filename: '报告.pdf', contentType: 'application/pdf' });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

/** The state of one clock in a ticket response. */
export function clockOf(ticket: TicketJson, clock: string) {
  return ticket.clocks.find((c) => c.clock === clock);
}
