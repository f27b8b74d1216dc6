import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { s3Storage } from '../../src/core/storage/storage.ts';
import { testApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});

describe('HTTP basics', () => {
  it('GET /api/health answers without a session', async () => {
    const res = await t.app.inject({ url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: process.env.DATABASE_URL ? 'postgres' : 'pglite', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  it('sends security headers and a strict content security policy', async () => {
    const res = await t.app.inject({ url: '/api/health' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(String(res.headers['content-security-policy'])).toContain("script-src 'self'");
    expect(String(res.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    expect(res.headers['strict-transport-security']).toBeTruthy();
  });

  it('echoes a well-formed request id and generates one otherwise; errors carry it', async () => {
    const given = await t.app.inject({ url: '/api/auth/me', headers: { 'x-request-id': 'trace-12345678' } });
    expect(given.headers['x-request-id']).toBe('trace-12345678');
    expect(given.json().requestId).toBe('trace-12345678');
    const bogus = await t.app.inject({ url: '/api/auth/me', headers: { 'x-request-id': 'bad id with spaces' } });
    expect(bogus.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers unknown API routes with a 404 error body', async () => {
    const res = await t.app.inject({ url: '/api/no-such-thing' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
  });

  it('refuses malformed JSON with 400 and an error body', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: '{"username":', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().requestId).toBeTruthy();
  });

  it('publishes the OpenAPI document and the browsable docs', async () => {
    const doc = await t.app.inject({ url: '/api/openapi.json' });
    expect(doc.statusCode).toBe(200);
    const spec = doc.json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/staff', '/api/roles/{id}', '/api/audit', '/api/rooms', '/api/residents']));
    expect(spec.paths['/api/auth/login'].post.requestBody.content['application/json'].schema.properties.username).toBeTruthy();
    const ui = await t.app.inject({ url: '/api/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toContain('text/html');
  });
});

describe('S3-compatible storage', () => {
  it('stores, reads and deletes objects with SigV4-signed requests', async () => {
    const objects = new Map<string, Buffer>();
    const seen: Array<{ method: string; url: string; auth: string }> = [];
    const server = http.createServer((req, res) => {
      seen.push({ method: req.method!, url: req.url!, auth: String(req.headers.authorization) });
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        if (req.method === 'PUT') objects.set(req.url!, Buffer.concat(chunks));
        if (req.method === 'GET') {
          const body = objects.get(req.url!);
          res.statusCode = body ? 200 : 404;
          return res.end(body);
        }
        if (req.method === 'DELETE') objects.delete(req.url!);
        res.statusCode = req.method === 'DELETE' ? 204 : 200;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const storage = s3Storage({ endpoint: `http://127.0.0.1:${port}`, bucket: 'anju', region: 'cn-east-1', accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' });
      await storage.put('co/2026/11/22/photo', Buffer.from('hello'), 'image/jpeg');
      expect((await storage.get('co/2026/11/22/photo'))?.toString()).toBe('hello');
      expect(await storage.get('co/missing')).toBeNull();
      await storage.delete('co/2026/11/22/photo');
      expect(objects.size).toBe(0);
      expect(seen[0]).toMatchObject({ method: 'PUT', url: '/anju/co/2026/11/22/photo' });
      expect(seen[0].auth).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/cn-east-1\/s3\/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/);
      await expect(storage.put('../escape', Buffer.from('x'), 'text/plain')).rejects.toThrow(/unsafe/);
    } finally {
      server.close();
    }
  });
});
