import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { testApp, testConfig, type TestApp } from '../helpers/app.ts';
import { type Client, createCompany, createOwnerUser, login, type TestCompany } from '../helpers/factories.ts';
import { anonymous, auditRows, createRoleUser, expectFieldError, ownerLogin, sessionAs, upload } from '../helpers/api.ts';

let t: TestApp;
let a: TestCompany;
let b: TestCompany;
let adminA: Client;
let adminB: Client;
let redPng: Buffer;
let smallJpeg: Buffer;
const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

beforeAll(async () => {
  t = await testApp();
  [a, b] = await Promise.all([createCompany(t.db), createCompany(t.db)]);
  adminA = await login(t.app, a.admin.username);
  adminB = await login(t.app, b.admin.username);
  redPng = await sharp({ create: { width: 2000, height: 1000, channels: 3, background: { r: 255, g: 0, b: 0 } } }).png().toBuffer();
  smallJpeg = await sharp({ create: { width: 300, height: 200, channels: 3, background: { r: 0, g: 128, b: 255 } } }).jpeg().toBuffer();
});

const png = (name = '红色.png') => ({ data: redPng, filename: name, contentType: 'image/png' });

/** Upload refusals name the field in details (the message says what is wrong with the file). */
function expectFileRefused(res: Awaited<ReturnType<typeof upload>>, message: string) {
  expect(res.statusCode, res.body).toBe(400);
  expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', message, details: { field: 'file' } });
}

describe('file endpoints need a session', () => {
  it.each([
    ['GET', `/api/files/${randomUUID()}`],
    ['GET', `/api/files/${randomUUID()}/thumb`],
  ] as const)('%s %s → 401', async (method, url) => {
    const res = await anonymous(t.app, method, url);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('POST /api/files → 401 and nothing is stored', async () => {
    const res = await upload(t.app, null, png('anonymous.png'));
    expect(res.statusCode).toBe(401);
    expect(await t.db.selectFrom('files').select('id').where('original_name', '=', 'anonymous.png').execute()).toHaveLength(0);
  });
});

describe('POST /api/files', () => {
  it('stores an image with its size, a webp display copy, a row and an audit entry', async () => {
    const res = await upload(t.app, adminA, png());
    expect(res.statusCode, res.body).toBe(201);
    const file = res.json();
    expect(file).toMatchObject({ originalName: '红色.png', mimeType: 'image/png', sizeBytes: redPng.length, width: 2000, height: 1000, url: `/api/files/${file.id}`, thumbUrl: `/api/files/${file.id}/thumb` });

    const row = await t.db.selectFrom('files').selectAll().where('id', '=', file.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ company_id: a.companyId, uploaded_by: a.admin.id, mime_type: 'image/png', size_bytes: redPng.length, width: 2000, height: 1000 });
    expect(row.sha256).toBe(createHash('sha256').update(redPng).digest('hex'));
    expect(row.storage_key.startsWith(`${a.companyId}/`)).toBe(true);
    expect(row.thumb_key).toBe(`${row.storage_key}.thumb.webp`);
    // On disk under the configured files directory, byte for byte.
    expect(fs.readFileSync(path.join(t.config.filesDir, row.storage_key)).equals(redPng)).toBe(true);
    expect(fs.existsSync(path.join(t.config.filesDir, row.thumb_key!))).toBe(true);

    const [audit] = await auditRows(t.db, file.id, 'file.upload');
    expect(audit).toMatchObject({ company_id: a.companyId, actor_id: a.admin.id, entity_type: 'file', after: { name: '红色.png', type: 'image/png', size: redPng.length } });
  });

  it('trusts the content, not the name or the stated type', async () => {
    const res = await upload(t.app, adminA, { data: smallJpeg, filename: 'photo.png', contentType: 'application/octet-stream' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ mimeType: 'image/jpeg', width: 300, height: 200 });
  });

  it('keeps a PDF as it is, without a display copy', async () => {
    const res = await upload(t.app, adminA, { data: pdf, filename: '合同.pdf', contentType: 'application/pdf' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ mimeType: 'application/pdf', width: null, height: null, thumbUrl: null, sizeBytes: pdf.length });
    expect((await adminA.get(`/api/files/${res.json().id}/thumb`)).statusCode).toBe(404);
    const got = await adminA.get(`/api/files/${res.json().id}`);
    expect(got.headers['content-type']).toBe('application/pdf');
    expect(got.rawPayload.equals(pdf)).toBe(true);
  });

  it('accepts a file larger than the 1 MB JSON body limit', async () => {
    const big = Buffer.concat([pdf, Buffer.alloc(3 * 1024 * 1024, 0x20)]);
    const res = await upload(t.app, adminA, { data: big, filename: 'scan.pdf', contentType: 'application/pdf' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().sizeBytes).toBe(big.length);
  });

  it.each([
    ['a text file named .jpg', { data: Buffer.from('just some text, not a photo'), filename: 'fake.jpg', contentType: 'image/jpeg' }, '文件类型 unknown 不允许'],
    ['an HTML file named .png', { data: Buffer.from('<html><script>alert(1)</script></html>'), filename: 'x.png', contentType: 'image/png' }, '文件类型 unknown 不允许'],
    ['a broken JPEG', { data: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(500, 7)]), filename: 'broken.jpg', contentType: 'image/jpeg' }, '文件类型 image/jpeg 不允许'],
    ['an empty file', { data: Buffer.alloc(0), filename: 'empty.png', contentType: 'image/png' }, '请求中没有文件（字段 file）'],
    ['a part not named file', { data: pdf, filename: 'wrong-field.pdf', contentType: 'application/pdf', field: 'photo' }, '请求中没有文件（字段 file）'],
  ])('refuses %s with 400 naming file, storing nothing', async (_name, file, message) => {
    const res = await upload(t.app, adminA, file);
    expectFileRefused(res, message);
    expect(await t.db.selectFrom('files').select('id').where('original_name', '=', file.filename).execute()).toHaveLength(0);
  });

  it('refuses a request that is not multipart with 400 naming file', async () => {
    expectFileRefused(await adminA.post('/api/files', { file: 'aGVsbG8=' }), '请求中没有文件（字段 file）');
  });

  it('refuses a file over the default 10 MB limit', async () => {
    const huge = Buffer.concat([pdf, Buffer.alloc(11 * 1024 * 1024, 0x20)]);
    const res = await upload(t.app, adminA, { data: huge, filename: 'huge.pdf', contentType: 'application/pdf' });
    expectFileRefused(res, '文件超过 10485760 字节');
    expect(await t.db.selectFrom('files').select('id').where('original_name', '=', 'huge.pdf').execute()).toHaveLength(0);
  });

  it('is refused without file.upload', async () => {
    const user = await sessionAs(t.app, t.db, (await createRoleUser(t.db, a, ['audit.read'])).id);
    const res = await upload(t.app, user, png('no-permission.png'));
    expect(res.statusCode).toBe(403);
    expect(res.json().error.details.permission).toBe('file.upload');
    expect(await t.db.selectFrom('files').select('id').where('original_name', '=', 'no-permission.png').execute()).toHaveLength(0);
  });
});

describe('a smaller configured upload limit', () => {
  let small: FastifyInstance;
  beforeAll(async () => {
    small = await buildApp({ config: testConfig({ maxUploadBytes: 1024 }), database: t.database, logger: false });
    await small.ready();
  });
  afterAll(async () => {
    await small.close();
  });

  it('refuses a file one byte over it and accepts one at it', async () => {
    const client = await login(small, a.admin.username);
    const over = Buffer.concat([pdf, Buffer.alloc(1025 - pdf.length, 0x20)]);
    const res = await upload(small, client, { data: over, filename: 'over.pdf', contentType: 'application/pdf' });
    expectFileRefused(res, '文件超过 1024 字节');
    const exact = Buffer.concat([pdf, Buffer.alloc(1024 - pdf.length, 0x20)]);
    const ok = await upload(small, client, { data: exact, filename: 'exact.pdf', contentType: 'application/pdf' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().sizeBytes).toBe(1024);
  });
});

describe('GET /api/files/:id and /thumb', () => {
  let fileId: string;
  beforeAll(async () => {
    fileId = (await upload(t.app, adminA, png('门口.png'))).json().id;
  });

  it('returns the original bytes with safe headers', async () => {
    const res = await adminA.get(`/api/files/${fileId}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('private, max-age=86400');
    expect(res.headers['content-disposition']).toBe(`inline; filename*=UTF-8''${encodeURIComponent('门口.png')}`);
    expect(res.rawPayload.equals(redPng)).toBe(true);
  });

  it('returns a webp at most 800 px wide, keeping the aspect ratio', async () => {
    const res = await adminA.get(`/api/files/${fileId}/thumb`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/webp');
    const meta = await sharp(res.rawPayload).metadata();
    expect(meta.format).toBe('webp');
    expect(meta.width).toBe(800);
    expect(meta.height).toBe(400);
    expect(res.rawPayload.length).toBeLessThan(redPng.length);
  });

  it('does not enlarge a small image', async () => {
    const id = (await upload(t.app, adminA, { data: smallJpeg, filename: 'small.jpg', contentType: 'image/jpeg' })).json().id;
    const meta = await sharp((await adminA.get(`/api/files/${id}/thumb`)).rawPayload).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 300, 200]);
  });

  it('lets any staff member of the company read it (no extra permission)', async () => {
    const cleaner = await sessionAs(t.app, t.db, (await createRoleUser(t.db, a, [])).id);
    expect((await cleaner.get(`/api/files/${fileId}`)).statusCode).toBe(200);
  });

  it("answers 404 to another company, without data", async () => {
    for (const url of [`/api/files/${fileId}`, `/api/files/${fileId}/thumb`]) {
      const res = await adminB.get(url);
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toContain('application/json');
      expect(res.body).not.toContain('门口');
      expect(res.rawPayload.includes(redPng.subarray(0, 64))).toBe(false);
    }
  });

  it('answers 404 to an owner for a file staff uploaded, and lets the owner read their own', async () => {
    const owner = await ownerLogin(t.app, t.db, (await createOwnerUser(t.db, a)).phone);
    expect((await owner.get(`/api/files/${fileId}`)).statusCode).toBe(404);
    expect((await owner.get(`/api/files/${fileId}/thumb`)).statusCode).toBe(404);
    const mine = await upload(t.app, owner, { data: smallJpeg, filename: '漏水.jpg', contentType: 'image/jpeg' });
    expect(mine.statusCode).toBe(201);
    const row = await t.db.selectFrom('files').select(['company_id', 'uploaded_by']).where('id', '=', mine.json().id).executeTakeFirstOrThrow();
    expect(row).toEqual({ company_id: a.companyId, uploaded_by: owner.me.user.id });
    expect((await owner.get(`/api/files/${mine.json().id}`)).statusCode).toBe(200);
    // Staff of the company can see what an owner sent (e.g. a photo of a leak).
    expect((await adminA.get(`/api/files/${mine.json().id}`)).statusCode).toBe(200);
  });

  it('answers 404 for an unknown id and 400 naming id for a malformed one', async () => {
    expect((await adminA.get(`/api/files/${randomUUID()}`)).statusCode).toBe(404);
    expectFieldError(await adminA.get('/api/files/not-a-uuid'), 'id');
    const traversal = await adminA.get('/api/files/..%2F..%2Fetc%2Fpasswd');
    expect(traversal.statusCode).toBe(400);
    expect(traversal.body).not.toContain('root:');
    expectFieldError(await adminA.get('/api/files/abc/thumb'), 'id');
  });
});
