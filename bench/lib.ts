// Helpers shared by the benchmarks: machine description, free ports, bounded HTTP calls to 127.0.0.1.
import net from 'node:net';
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export type Figures = Record<string, unknown> & { bench: string };

export function machine() {
  let model = os.cpus()[0]?.model ?? 'unknown';
  try {
    const lscpu = execFileSync('lscpu', { encoding: 'utf8' });
    model = /^Model name:\s*(.+)$/m.exec(lscpu)?.[1]?.trim() ?? model;
  } catch {
    // lscpu missing: keep os.cpus()
  }
  return { node: process.version, cpus: os.availableParallelism(), cpuModel: model, memMb: Math.round(os.totalmem() / 2 ** 20), platform: `${os.platform()} ${os.release()}` };
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Only ever loopback: every benchmark request goes through here or autocannon with a 127.0.0.1 URL. */
export function localUrl(port: number, p: string): string {
  return `http://127.0.0.1:${port}${p}`;
}

export async function request(port: number, p: string, init: RequestInit & { timeoutMs?: number } = {}): Promise<Response> {
  const { timeoutMs = 5000, ...rest } = init;
  return fetch(localUrl(port, p), { ...rest, signal: AbortSignal.timeout(timeoutMs) });
}

/** Logs in through the API and returns the `anju_session=…` cookie pair and the CSRF token. */
export async function login(port: number, username: string, password: string): Promise<{ cookie: string; me: { csrfToken: string; abilities: string[] } }> {
  const res = await request(port, '/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
    timeoutMs: 15_000,
  });
  if (res.status !== 200) throw new Error(`login as ${username} answered ${res.status}: ${await res.text()}`);
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('anju_session='));
  if (!setCookie) throw new Error('login answered 200 without an anju_session cookie');
  return { cookie: setCookie.split(';')[0], me: (await res.json()) as { csrfToken: string; abilities: string[] } };
}

export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got ${JSON.stringify(raw)}`);
  return n;
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
