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
