import { randomBytes, randomInt } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import type { DB } from '../../src/db/schema.ts';
import type { Permission } from '../../src/core/permissions.ts';
import type { Me } from '../../src/modules/auth/schema.ts';
import { hashToken } from '../../src/modules/auth/repo.ts';
import { Client, createStaffUser, type TestCompany, unique } from './factories.ts';

/** A call with no session at all. */
export function anonymous(app: FastifyInstance, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) {
  return app.inject({ method, url, payload: body === undefined ? undefined : (body as object) });
}

/**
 * A logged-in client for `userId` without the password round trip: the session row is written as login writes
 * it, and everything after (cookie resolution, permissions, CSRF) runs for real. Use `login()` where the login
 * itself is under test; this keeps the many "act as role X" calls from each paying for a scrypt hash.
 */
export async function sessionAs(app: FastifyInstance, db: Kysely<DB>, userId: string): Promise<Client> {
  const token = randomBytes(32).toString('base64url');
  await db
    .insertInto('sessions')
    .values({ user_id: userId, token_hash: hashToken(token), csrf_token: randomBytes(24).toString('base64url'), ip: '127.0.0.1', expires_at: new Date(Date.now() + 3600_000) })
    .execute();
  const cookie = `anju_session=${token}`;
  const res = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
  if (res.statusCode !== 200) throw new Error(`session for ${userId} refused: ${res.statusCode} ${res.body}`);
  const me = res.json() as Me;
  return new Client(app, cookie, me.csrfToken, me);
}

/** A fresh address per call, so expected login failures never count against the shared 127.0.0.1 limit. */
export function randomIp(): string {
  return `10.${randomInt(100, 250)}.${randomInt(0, 255)}.${randomInt(1, 254)}`;
}

export function tryLogin(app: FastifyInstance, username: string, password: string) {
  return app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: randomIp() });
}

/** A staff account whose only role is a new custom role holding exactly `permissions`. */
export async function createRoleUser(
  db: Kysely<DB>,
  company: TestCompany,
  permissions: Permission[],
  opts: { communityIds?: string[]; allCommunities?: boolean; phone?: string } = {},
): Promise<{ id: string; username: string; roleId: string }> {
  const role = await db
    .insertInto('roles')
    .values({ company_id: company.companyId, name: unique('自定义角色'), permissions })
    .returning('id')
    .executeTakeFirstOrThrow();
  const user = await createStaffUser(db, company, { ...opts, role: 'service' });
  await db.updateTable('user_roles').set({ role_id: role.id }).where('user_id', '=', user.id).execute();
  return { ...user, roleId: role.id };
}

/** Audit rows about one entity, oldest first. */
export function auditRows(db: Kysely<DB>, entityId: string, action?: string) {
  let q = db.selectFrom('audit_log').selectAll().where('entity_id', '=', entityId);
  if (action) q = q.where('action', '=', action);
  return q.orderBy('id').execute();
}

/** Field names a 400 response points at (schema errors list them in details.fields, service errors in details.field). */
export function fieldsOf(res: LightMyRequestResponse): string[] {
  const details = res.json().error?.details;
  if (!details) return [];
  if (Array.isArray(details.fields)) return details.fields.map((f: { field: string }) => f.field);
  return details.field ? [details.field] : [];
}

/** A 400 whose message and details both name `field`. */
export function expectFieldError(res: LightMyRequestResponse, field: string, status = 400) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.json().error.message).toContain(field);
  expect(fieldsOf(res)).toContain(field);
}

/** Logs an owner in the way the phone site does: request a code, read it from the outbox, verify it. */
export async function ownerLogin(app: FastifyInstance, db: Kysely<DB>, phone: string, companyId?: string): Promise<Client> {
  const remoteAddress = randomIp();
  const req = await app.inject({ method: 'POST', url: '/api/auth/otp/request', payload: { phone }, remoteAddress });
  if (req.statusCode !== 200) throw new Error(`otp request failed: ${req.statusCode} ${req.body}`);
  const sms = await db.selectFrom('sms_outbox').select('params').where('phone', '=', phone).where('template', '=', 'sms.otp').orderBy('created_at', 'desc').executeTakeFirstOrThrow();
  const res = await app.inject({ method: 'POST', url: '/api/auth/otp/verify', payload: { phone, code: sms.params.code, ...(companyId && { companyId }) }, remoteAddress });
  if (res.statusCode !== 200) throw new Error(`otp verify failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'anju_session');
  if (!cookie) throw new Error('no session cookie');
  const me = res.json() as Me;
  return new Client(app, `anju_session=${cookie.value}`, me.csrfToken, me);
}

/** A multipart/form-data body with one file part, built by hand. */
export function multipart(file: { data: Buffer; filename: string; contentType: string; field?: string }) {
  const boundary = `----anju${Date.now().toString(16)}${randomInt(1e9)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.filename}"\r\nContent-Type: ${file.contentType}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, file.data, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** Uploads through a logged-in client's cookie and CSRF token. */
export function upload(app: FastifyInstance, client: Client | null, file: { data: Buffer; filename: string; contentType: string; field?: string }, url = '/api/files') {
  const body = multipart(file);
  return app.inject({
    method: 'POST',
    url,
    payload: body.payload,
    headers: { ...body.headers, ...(client && { cookie: client.cookie, 'x-csrf-token': client.csrf }) },
  });
}
