import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { type Client, createCompany, createOwnerUser, createStaffUser, login, type TestCompany, unique, uniquePhone } from '../helpers/factories.ts';
import { upload } from '../helpers/api.ts';

/**
 * A generic walk over the OpenAPI document, so every route a module adds is covered without being listed here:
 *  - every operation refuses a caller without a session (401), except the few public ones below;
 *  - every operation with a path parameter, called by company B's administrator with company A's record ids,
 *    answers 404 or 403 and says nothing about A's records.
 */

// Payment providers post their notifications without a session; the signature is the authentication (tests/api/billing-online.test.ts).
const PUBLIC = new Set(['GET /api/health', 'POST /api/auth/login', 'POST /api/auth/otp/request', 'POST /api/auth/otp/verify', 'POST /api/payments/notify/{provider}']);

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  exclusiveMinimum?: number | boolean;
  minItems?: number;
  default?: unknown;
}
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonSchema;
}
interface Operation {
  method: Method;
  path: string;
  params: Parameter[];
  body?: JsonSchema;
  multipart: boolean;
}

/** Bodies whose rules a JSON schema cannot express (refinements); merged over the generated sample. */
const BODY_OVERRIDES: Record<string, () => Record<string, unknown>> = {
  // "residentId or a new resident": one of the two must be present.
  'POST /api/rooms/{id}/residents': () => ({ residentId: randomUUID() }),
};

let t: TestApp;
let a: TestCompany;
let adminB: Client;
let operations: Operation[];
let schemas: Record<string, JsonSchema>;
/** Company A's record ids by the path prefix whose `{id}` they fill. */
let recordsOfA: Record<string, string[]>;
/**
 * One row id from every company-scoped table, A's where A has one, otherwise another company's (never B's):
 * tried on path prefixes not in `recordsOfA`, so a module's new tables are probed as soon as any test fills them.
 */
let foreignIds: string[];
/** Strings that must never appear in B's answers. */
let secretsOfA: string[];

const STRING_CANDIDATES = ['13812341234', '2026-01-01', '2026-01-01T00:00:00Z', 'A1', 'a1', 'abc', '101', '1', 'x1', '京A12345', '110101199003070037', '2026-01'];

/** A value that satisfies `schema` as far as a JSON schema says: required properties only, smallest sizes. */
function sample(schema: JsonSchema | undefined, depth = 0): unknown {
  if (!schema || depth > 8) return null;
  if (schema.$ref) return sample(schemas[schema.$ref.replace('#/components/schemas/', '')], depth + 1);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum.find((v) => v !== null);
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((s) => sample(s, depth + 1)));
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return sample(alternatives.find((s) => s.type !== 'null') ?? alternatives[0], depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((x) => x !== 'null') : schema.type;
  switch (type) {
    case 'object':
      return Object.fromEntries((schema.required ?? []).map((k) => [k, sample(schema.properties?.[k], depth + 1)]));
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => sample(schema.items, depth + 1));
    case 'integer':
    case 'number': {
      const floor = typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : (schema.minimum ?? 1);
      return Math.max(floor, 1);
    }
    case 'boolean':
      return true;
    case 'string': {
      if (schema.format === 'uuid') return randomUUID();
      if (schema.format === 'date') return '2026-01-01';
      if (schema.format === 'date-time') return '2026-01-01T00:00:00Z';
      if (schema.format === 'email') return 'someone@example.com';
      const fits = (s: string) => s.length >= (schema.minLength ?? 0) && s.length <= (schema.maxLength ?? Infinity) && (!schema.pattern || new RegExp(schema.pattern, 'u').test(s));
      return STRING_CANDIDATES.find(fits) ?? 'x'.repeat(Math.max(schema.minLength ?? 1, 1));
    }
    default:
      return schema.default ?? null;
  }
}

const isId = (p: Parameter) => p.in === 'path' && p.schema?.format === 'uuid';

/** The operation's URL with `id` in every id parameter, other path parameters and required query parameters sampled. */
function fill(op: Operation, id: string): string {
  let url = op.path;
  for (const p of op.params.filter((x) => x.in === 'path')) url = url.replace(`{${p.name}}`, encodeURIComponent(String(isId(p) ? id : sample(p.schema))));
  const query = op.params.filter((p) => p.in === 'query' && p.required).map((p) => `${p.name}=${encodeURIComponent(String(sample(p.schema)))}`);
  return query.length ? `${url}?${query.join('&')}` : url;
}

async function call(client: Client | null, op: Operation, url: string) {
  if (op.multipart) {
    const pdf = { data: Buffer.from('%PDF-1.4\n%%EOF\n'), filename: 'probe.pdf', contentType: 'application/pdf' };
    return upload(t.app, client, pdf, url);
  }
  const override = BODY_OVERRIDES[`${op.method} ${op.path}`]?.() ?? {};
  const body = op.method === 'GET' || op.method === 'DELETE' ? undefined : { ...(op.body ? (sample(op.body) as object) : {}), ...override };
  if (!client) return t.app.inject({ method: op.method, url, payload: body === undefined ? undefined : (body as object) });
  return client.request(op.method, url, body);
}

/** What company A's rows look like, to prove the walk changed none of them. */
async function snapshotOfA() {
  const users = await t.db.selectFrom('users').select(['id', 'display_name', 'phone', 'status', 'password_hash', 'updated_at']).where('company_id', '=', a.companyId).orderBy('id').execute();
  const roles = await t.db.selectFrom('roles').select(['id', 'name', 'permissions', 'updated_at']).where('company_id', '=', a.companyId).orderBy('id').execute();
  const communities = await t.db.selectFrom('communities').select(['id', 'name', 'address', 'updated_at']).where('company_id', '=', a.companyId).orderBy('id').execute();
  const files = await t.db.selectFrom('files').select(['id', 'storage_key']).where('company_id', '=', a.companyId).orderBy('id').execute();
  const sessions = await t.db.selectFrom('sessions').select(['id', 'revoked_at']).where('user_id', 'in', users.map((u) => u.id)).orderBy('id').execute();
  const company = await t.db.selectFrom('companies').selectAll().where('id', '=', a.companyId).executeTakeFirstOrThrow();
  return JSON.stringify({ users, roles, communities, files, sessions, company });
}

beforeAll(async () => {
  t = await testApp();
  a = await createCompany(t.db);
  const b = await createCompany(t.db);
  adminB = await login(t.app, b.admin.username);

  // One record of each kind in company A.
  const adminA = await login(t.app, a.admin.username);
  const staff = await createStaffUser(t.db, a, { phone: uniquePhone() });
  const owner = await createOwnerUser(t.db, a);
  const role = await t.db.insertInto('roles').values({ company_id: a.companyId, name: unique('A秘密角色'), permissions: ['audit.read'] }).returning(['id', 'name']).executeTakeFirstOrThrow();
  const image = await sharp({ create: { width: 40, height: 20, channels: 3, background: '#00ff00' } }).png().toBuffer();
  const fileName = `${unique('a-secret-')}.png`;
  const file = (await upload(t.app, adminA, { data: image, filename: fileName, contentType: 'image/png' })).json();
  const session = await t.db.selectFrom('sessions').select('id').where('user_id', '=', a.admin.id).where('revoked_at', 'is', null).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
  recordsOfA = {
    '/api/staff': [staff.id, a.admin.id],
    '/api/roles': [role.id, a.roleIds.admin],
    '/api/communities': a.communityIds,
    '/api/files': [file.id],
    '/api/auth/sessions': [session.id],
    '/api/platform/companies': [a.companyId],
    '/api/owners': [owner.id],
  };
  secretsOfA = [a.code, a.admin.username, staff.username, owner.phone, role.name, fileName, `小区1-${a.code}`, `小区2-${a.code}`, ...Object.values(recordsOfA).flat()];

  // Every table that holds company data, whatever modules exist now or later.
  const tables = await sql<{ table_name: string }>`
    SELECT c.table_name FROM information_schema.columns c
      JOIN information_schema.columns i ON i.table_schema = c.table_schema AND i.table_name = c.table_name AND i.column_name = 'id' AND i.data_type = 'uuid'
     WHERE c.table_schema = 'public' AND c.column_name = 'company_id' ORDER BY 1`.execute(t.db);
  foreignIds = [];
  for (const { table_name } of tables.rows) {
    const row = await sql<{ id: string }>`
      SELECT id FROM ${sql.table(table_name)} WHERE company_id <> ${b.companyId} ORDER BY (company_id = ${a.companyId}) DESC LIMIT 1`.execute(t.db);
    if (row.rows[0]) foreignIds.push(row.rows[0].id);
  }

  const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
  schemas = doc.components?.schemas ?? {};
  operations = [];
  type DocOperation = { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: JsonSchema }> } };
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, DocOperation>>)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const content = op.requestBody?.content ?? {};
      operations.push({
        method: method.toUpperCase() as Method,
        path,
        params: op.parameters ?? [],
        body: content['application/json']?.schema,
        multipart: Boolean(content['multipart/form-data']) || (path === '/api/files' && method === 'post'),
      });
    }
  }
});

// The walk makes one request per operation and record; it grows with every module's routes.
describe('isolation walk over /api/openapi.json', { timeout: 180_000 }, () => {
  it('finds the API and the public operations it expects', async () => {
    expect(operations.length).toBeGreaterThan(30);
    const keys = new Set(operations.map((op) => `${op.method} ${op.path}`));
    for (const pub of PUBLIC) expect(keys, `public operation ${pub} is gone: update PUBLIC`).toContain(pub);
    expect((await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).statusCode).toBe(200);
  });

  it('every non-public operation answers 401 without a session', async () => {
    const open: string[] = [];
    for (const op of operations) {
      if (PUBLIC.has(`${op.method} ${op.path}`)) continue;
      const res = await call(null, op, fill(op, randomUUID()));
      if (res.statusCode !== 401 || res.json().error?.code !== 'UNAUTHENTICATED') open.push(`${op.method} ${op.path} → ${res.statusCode} ${res.body.slice(0, 120)}`);
    }
    expect(open, `operations reachable without a session:\n${open.join('\n')}`).toEqual([]);
  });

  it("company B's administrator gets 404 or 403 for every operation on A's records, and learns nothing", async () => {
    const before = await snapshotOfA();
    const leaks: string[] = [];
    const untested: string[] = [];
    let calls = 0;
    for (const op of operations.filter((o) => o.params.some(isId))) {
      const prefix = op.path.slice(0, op.path.indexOf('/{'));
      const ids = recordsOfA[prefix] ?? [randomUUID(), ...foreignIds];
      for (const id of ids) {
        const url = fill(op, id);
        const res = await call(adminB, op, url);
        calls += 1;
        const label = `${op.method} ${url}`;
        if (res.statusCode === 400 || res.statusCode === 422) {
          untested.push(`${label} → ${res.statusCode} ${res.body.slice(0, 160)}`);
          continue;
        }
        if (res.statusCode !== 404 && res.statusCode !== 403) leaks.push(`${label} → ${res.statusCode}`);
        const shown = secretsOfA.filter((s) => s !== id && res.body.includes(s));
        if (shown.length) leaks.push(`${label} → body shows ${shown.join(', ')}`);
      }
    }
    expect(leaks, `operations that leaked company A's records to company B:\n${leaks.join('\n')}`).toEqual([]);
    expect(untested, `the walk could not build a valid request for these (fix sample() so ownership is what gets checked):\n${untested.join('\n')}`).toEqual([]);
    expect(calls).toBeGreaterThan(10);
    // Nothing of A's changed: no session revoked, no password reset, no rename.
    expect(await snapshotOfA()).toBe(before);
  });
});
