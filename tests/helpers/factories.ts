import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.ts';
import { provisionCompany } from '../../src/modules/platform/service.ts';
import { hashPassword } from '../../src/core/password.ts';
import type { Me } from '../../src/modules/auth/schema.ts';

export const PASSWORD = 'test-pass-123';
const passwordHash = hashPassword(PASSWORD);

let counter = 0;
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${counter}${randomUUID().slice(0, 4)}`.toLowerCase();
}

/** A random valid mainland mobile number. */
export function uniquePhone(): string {
  return `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
}

export interface TestCompany {
  companyId: string;
  code: string;
  admin: { id: string; username: string };
  roleIds: Record<string, string>;
  communityIds: string[];
}

/** A company with built-in roles, an administrator (password PASSWORD) and `communities` communities. */
export async function createCompany(db: Kysely<DB>, opts: { communities?: number } = {}): Promise<TestCompany> {
  const code = unique('co-');
  const username = unique('adm');
  const result = await db.transaction().execute((trx) =>
    provisionCompany(trx, null, { name: `测试物业 ${code}`, code, admin: { username, displayName: '测试管理员', password: PASSWORD } }),
  );
  const communityIds: string[] = [];
  for (let i = 0; i < (opts.communities ?? 2); i++) {
    const c = await db.insertInto('communities').values({ company_id: result.companyId, name: `小区${i + 1}-${code}`, code: `C${i + 1}` }).returning('id').executeTakeFirstOrThrow();
    communityIds.push(c.id);
  }
  return { companyId: result.companyId, code, admin: { id: result.adminId, username }, roleIds: result.roleIds, communityIds };
}

/** A staff account in `company` holding one built-in role, assigned to the given communities. */
export async function createStaffUser(
  db: Kysely<DB>,
  company: TestCompany,
  opts: { role?: string; communityIds?: string[]; phone?: string; allCommunities?: boolean } = {},
): Promise<{ id: string; username: string }> {
  const username = unique('st');
  const user = await db
    .insertInto('users')
    .values({ company_id: company.companyId, kind: 'staff', username, display_name: `员工${username.slice(-4)}`, phone: opts.phone ?? null, password_hash: await passwordHash, all_communities: opts.allCommunities ?? false })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('user_roles').values({ user_id: user.id, role_id: company.roleIds[opts.role ?? 'service'] }).execute();
  const communities = opts.communityIds ?? company.communityIds.slice(0, 1);
  if (communities.length) await db.insertInto('user_communities').values(communities.map((community_id) => ({ user_id: user.id, community_id }))).execute();
  return { id: user.id, username };
}

export async function createOwnerUser(db: Kysely<DB>, company: TestCompany, phone = uniquePhone()): Promise<{ id: string; phone: string }> {
  const user = await db.insertInto('users').values({ company_id: company.companyId, kind: 'owner', display_name: '业主', phone }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('user_roles').values({ user_id: user.id, role_id: company.roleIds.owner }).execute();
  return { id: user.id, phone };
}

export async function createOperator(db: Kysely<DB>): Promise<{ id: string; username: string }> {
  const username = unique('op');
  const user = await db.insertInto('users').values({ kind: 'operator', company_id: null, username, display_name: '运营', password_hash: await passwordHash }).returning('id').executeTakeFirstOrThrow();
  return { id: user.id, username };
}

/** A logged-in HTTP client over app.inject: keeps the cookie and sends the CSRF token on writes. */
export class Client {
  constructor(
    private readonly app: FastifyInstance,
    readonly cookie: string,
    readonly csrf: string,
    readonly me: Me,
  ) {}

  request(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown, headers: Record<string, string> = {}) {
    return this.app.inject({
      method,
      url,
      payload: body === undefined ? undefined : (body as object),
      headers: { cookie: this.cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': this.csrf }), ...headers },
    });
  }
  get(url: string, headers?: Record<string, string>) {
    return this.request('GET', url, undefined, headers);
  }
  post(url: string, body?: unknown, headers?: Record<string, string>) {
    return this.request('POST', url, body ?? {}, headers);
  }
  patch(url: string, body: unknown, headers?: Record<string, string>) {
    return this.request('PATCH', url, body, headers);
  }
  delete(url: string, headers?: Record<string, string>) {
    return this.request('DELETE', url, undefined, headers);
  }
}

export async function login(app: FastifyInstance, username: string, password = PASSWORD): Promise<Client> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  const setCookie = res.cookies.find((c) => c.name === 'anju_session');
  if (!setCookie) throw new Error('no session cookie');
  const me = res.json() as Me;
  return new Client(app, `anju_session=${setCookie.value}`, me.csrfToken, me);
}

// ───────────────────────────── Estate and residents factories ─────────────────────────────
// Rows are inserted directly (no HTTP, no audit rows) and every missing parent is created: a room without a
// building gets one, a building without a company gets a company. Tests that need audit rows go through the API.

import { sql } from 'kysely';
import type { BuildingKind, Relation, RoomKind, RoomStatus } from '../../src/db/schema.ts';
import { idCheckChar } from '../../src/modules/residents/rules.ts';

/** A random birth date between 1950 and 2009 as YYYYMMDD. */
function randomBirthday(): string {
  const d = new Date(Date.UTC(1950, 0, 1) + Math.floor(Math.random() * 60 * 365) * 86_400_000);
  return d.toISOString().slice(0, 10).replaceAll('-', '');
}

/**
 * A valid GB 11643 identity number: Nanjing Gulou (320106) by default, a random birth date unless given, a random
 * sequence and the right check character. (Numbers are unique per company, so the birth date varies too.)
 */
export function validIdNumber(birthday = randomBirthday(), region = '320106'): string {
  const first17 = `${region}${birthday}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`;
  return first17 + idCheckChar(first17);
}

/** The same number with a wrong check character. */
export function withBadChecksum(id: string): string {
  const wrong = '10X98765432'.split('').find((c) => c !== id[17])!;
  return id.slice(0, 17) + wrong;
}

/** A random valid ordinary plate, e.g. 苏A3K7Q2 (no I or O). */
export function uniquePlate(prefix = '苏A'): string {
  const chars = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
  let tail = String(Math.floor(Math.random() * 10));
  for (let i = 0; i < 4; i++) tail += chars[Math.floor(Math.random() * chars.length)];
  return prefix + tail;
}

export interface TestBuilding {
  id: string;
  company: TestCompany;
  communityId: string;
  name: string;
  unitIds: string[];
  floorsAbove: number;
  floorsBelow: number;
}

export async function createBuilding(
  db: Kysely<DB>,
  opts: { company?: TestCompany; communityId?: string; name?: string; kind?: BuildingKind; floorsAbove?: number; floorsBelow?: number; units?: string[] } = {},
): Promise<TestBuilding> {
  const company = opts.company ?? (await createCompany(db, { communities: 1 }));
  const communityId = opts.communityId ?? company.communityIds[0];
  const name = opts.name ?? `${unique('楼').slice(-6)}栋`;
  const floorsAbove = opts.floorsAbove ?? 18;
  const floorsBelow = opts.floorsBelow ?? 1;
  const b = await db
    .insertInto('buildings')
    .values({ company_id: company.companyId, community_id: communityId, name, kind: opts.kind ?? 'highRise', floors_above: floorsAbove, floors_below: floorsBelow, lifts: 2 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const units = opts.units ?? ['1单元'];
  const unitIds: string[] = [];
  for (const [i, unitName] of units.entries()) {
    const u = await db.insertInto('building_units').values({ company_id: company.companyId, building_id: b.id, name: unitName, sort_order: i + 1 }).returning('id').executeTakeFirstOrThrow();
    unitIds.push(u.id);
  }
  return { id: b.id, company, communityId, name, unitIds, floorsAbove, floorsBelow };
}

export interface TestRoom {
  id: string;
  company: TestCompany;
  communityId: string;
  buildingId: string;
  unitId: string | null;
  floor: number;
  number: string;
  status: RoomStatus;
}

let roomCounter = 0;

/** One room with its first status-history row, as the service writes it. */
export async function createRoom(
  db: Kysely<DB>,
  opts: { building?: TestBuilding; company?: TestCompany; communityId?: string; unitId?: string | null; floor?: number; number?: string; builtArea?: string; innerArea?: string | null; kind?: RoomKind; status?: RoomStatus } = {},
): Promise<TestRoom> {
  const building = opts.building ?? (await createBuilding(db, { company: opts.company, communityId: opts.communityId }));
  const floor = opts.floor ?? 3;
  roomCounter += 1;
  const number = opts.number ?? `${floor}${String(roomCounter).padStart(2, '0')}`;
  const unitId = opts.unitId === undefined ? (building.unitIds[0] ?? null) : opts.unitId;
  const status = opts.status ?? 'vacant';
  const companyId = building.company.companyId;
  const r = await db
    .insertInto('rooms')
    .values({ company_id: companyId, community_id: building.communityId, building_id: building.id, unit_id: unitId, floor, number, built_area: opts.builtArea ?? '89.50', inner_area: opts.innerArea === undefined ? '72.00' : opts.innerArea, kind: opts.kind ?? 'residence', status })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('room_status_history').values({ company_id: companyId, room_id: r.id, from_status: null, to_status: status, reason: null, changed_by: null }).execute();
  return { id: r.id, company: building.company, communityId: building.communityId, buildingId: building.id, unitId, floor, number, status };
}

/** Many rooms of one building in one statement (e.g. a whole tower for the grid), each with its history row. */
export async function createRooms(db: Kysely<DB>, building: TestBuilding, rooms: Array<{ floor: number; number: string; unitId?: string | null; status?: RoomStatus }>): Promise<string[]> {
  const companyId = building.company.companyId;
  const rows = await db
    .insertInto('rooms')
    .values(
      rooms.map((r) => ({
        company_id: companyId,
        community_id: building.communityId,
        building_id: building.id,
        unit_id: r.unitId === undefined ? (building.unitIds[0] ?? null) : r.unitId,
        floor: r.floor,
        number: r.number,
        built_area: '95.00',
        status: r.status ?? 'unsold',
      })),
    )
    .returning(['id', 'status'])
    .execute();
  await db.insertInto('room_status_history').values(rows.map((r) => ({ company_id: companyId, room_id: r.id, from_status: null, to_status: r.status, reason: null, changed_by: null }))).execute();
  return rows.map((r) => r.id);
}

export interface TestResident {
  id: string;
  company: TestCompany;
  communityId: string;
  name: string;
  phone: string | null;
  idNumber: string | null;
  /** The room link made when `room` was given. */
  linkId: string | null;
}

/** A resident (with a phone and a valid ID number unless told otherwise), linked to `room` when one is given. */
export async function createResident(
  db: Kysely<DB>,
  opts: {
    company?: TestCompany;
    communityId?: string;
    room?: TestRoom;
    name?: string;
    phone?: string | null;
    idNumber?: string | null;
    careFlags?: string[];
    relation?: Relation;
    sharePercent?: string | null;
    startDate?: string;
    leaseStart?: string | null;
    leaseEnd?: string | null;
  } = {},
): Promise<TestResident> {
  const company = opts.room?.company ?? opts.company ?? (await createCompany(db, { communities: 1 }));
  const communityId = opts.room?.communityId ?? opts.communityId ?? company.communityIds[0];
  const name = opts.name ?? `住户${unique('').slice(-4)}`;
  const phone = opts.phone === undefined ? uniquePhone() : opts.phone;
  const idNumber = opts.idNumber === undefined ? validIdNumber() : opts.idNumber;
  const r = await db
    .insertInto('residents')
    .values({ company_id: company.companyId, community_id: communityId, name, phone, id_number: idNumber, care_flags: opts.careFlags ?? [] })
    .returning('id')
    .executeTakeFirstOrThrow();
  const resident: TestResident = { id: r.id, company, communityId, name, phone, idNumber, linkId: null };
  if (opts.room) resident.linkId = await linkResidentToRoom(db, opts.room, resident, opts);
  return resident;
}

/** A current room link; a tenant gets a one-year lease unless told otherwise. Room status is left as it is. */
export async function linkResidentToRoom(
  db: Kysely<DB>,
  room: TestRoom,
  resident: { id: string },
  opts: { relation?: Relation; sharePercent?: string | null; startDate?: string; leaseStart?: string | null; leaseEnd?: string | null } = {},
): Promise<string> {
  const relation = opts.relation ?? 'owner';
  const l = await db
    .insertInto('room_residents')
    .values({
      company_id: room.company.companyId,
      room_id: room.id,
      resident_id: resident.id,
      relation,
      share_percent: relation === 'owner' ? (opts.sharePercent ?? null) : null,
      start_date: opts.startDate ?? '2026-01-01',
      lease_start: opts.leaseStart === undefined ? (relation === 'tenant' ? '2026-01-01' : null) : opts.leaseStart,
      lease_end: opts.leaseEnd === undefined ? (relation === 'tenant' ? '2026-12-31' : null) : opts.leaseEnd,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return l.id;
}

export async function createParkingSpace(
  db: Kysely<DB>,
  opts: { company?: TestCompany; communityId?: string; number?: string; area?: 'above' | 'under'; mode?: 'fixed' | 'shared' } = {},
): Promise<{ id: string; company: TestCompany; communityId: string; number: string }> {
  const company = opts.company ?? (await createCompany(db, { communities: 1 }));
  const communityId = opts.communityId ?? company.communityIds[0];
  const number = opts.number ?? `B-${unique('').slice(-5).toUpperCase()}`;
  const s = await db.insertInto('parking_spaces').values({ company_id: company.companyId, community_id: communityId, area: opts.area ?? 'under', number, mode: opts.mode ?? 'shared' }).returning('id').executeTakeFirstOrThrow();
  return { id: s.id, company, communityId, number };
}

export async function createVehicle(db: Kysely<DB>, resident: TestResident, opts: { plate?: string; parkingSpaceId?: string | null } = {}): Promise<{ id: string; plate: string }> {
  const plate = opts.plate ?? uniquePlate();
  const v = await db
    .insertInto('vehicles')
    .values({ company_id: resident.company.companyId, community_id: resident.communityId, resident_id: resident.id, plate, energy: plate.length === 8 ? 'newEnergy' : 'fuel', parking_space_id: opts.parkingSpaceId ?? null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: v.id, plate };
}

/**
 * Every row of `tables` that belongs to a company, to compare before and after a refused request
 * ("changes nothing"). Each table must have company_id and id columns.
 */
export async function companyRows(db: Kysely<DB>, companyId: string, tables: string[]): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of tables) {
    const { rows } = await sql`SELECT * FROM ${sql.table(table)} WHERE company_id = ${companyId} ORDER BY id`.execute(db);
    out[table] = rows;
  }
  return out;
}

/**
 * True when an audit row was written in the same transaction as a row's DEFAULT now() column: PostgreSQL's now()
 * is the start time of the transaction, so two transactions never share it.
 */
export async function auditedInSameTransaction(db: Kysely<DB>, auditId: number | string, table: string, id: string | number, column = 'created_at'): Promise<boolean> {
  const { rows } = await sql<{ same: boolean | null }>`
    SELECT (SELECT at FROM audit_log WHERE id = ${String(auditId)}::bigint) = (SELECT ${sql.ref(column)} FROM ${sql.table(table)} WHERE id::text = ${String(id)}) AS same`.execute(db);
  return rows[0]?.same === true;
}
