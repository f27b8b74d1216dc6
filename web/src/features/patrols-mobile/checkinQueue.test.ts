import { describe, expect, it } from 'vitest';
import { CheckinQueue, checkpointIdOf, codeFromScan, memoryCheckinStore, type CheckinTransport } from './checkinQueue.ts';

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

function transport(script: Array<'ok' | 'offline' | 422>) {
  const sent: Array<{ clientId: string; scannedAt: string; photoIds: string[] }> = [];
  let uploads = 0;
  const t: CheckinTransport = {
    upload: async () => `file-${++uploads}`,
    send: async (body) => {
      const next = script.shift() ?? 'ok';
      if (next === 'offline') throw new TypeError('Failed to fetch');
      if (next === 422) throw new HttpError(422, '扫码时间不在时间窗内');
      sent.push(body);
      return { id: `server-${body.clientId}` };
    },
  };
  return { t, sent, uploads: () => uploads };
}

const checkin = (scannedAt: string) => ({ code: 'cp.x.y', checkpointId: null, checkpointName: '大门岗', scannedAt, answers: [], note: null, photos: [{ name: 'a.jpg', type: 'image/jpeg', data: new ArrayBuffer(4) }] });

describe('CheckinQueue', () => {
  it('keeps check-ins made offline with their scan time and sends them in order when the network returns', async () => {
    const store = memoryCheckinStore();
    const net = transport(['offline', 'ok', 'ok']);
    let n = 0;
    const q = new CheckinQueue(store, net.t, 'u1', () => `c${++n}`);
    expect(await q.submit(checkin('2026-11-22T01:10:00Z'), true)).toEqual({ kind: 'queued' });
    expect(await q.submit(checkin('2026-11-22T01:20:00Z'), false)).toEqual({ kind: 'queued' });
    expect(q.pending().map((c) => c.id)).toEqual(['c1', 'c2']);
    expect(store.rows.size).toBe(2);
    await q.flush();
    expect(net.sent.map((s) => [s.clientId, s.scannedAt])).toEqual([['c1', '2026-11-22T01:10:00Z'], ['c2', '2026-11-22T01:20:00Z']]);
    expect(q.pending()).toEqual([]);
    expect(store.rows.size).toBe(0);
    // The first photo was uploaded before the network failed on its send; it is not uploaded again.
    expect(net.uploads()).toBe(2);
  });

  it('takes a refused check-in off the queue and keeps it for the guard to read', async () => {
    const store = memoryCheckinStore();
    const net = transport([422, 'ok']);
    const q = new CheckinQueue(store, net.t, 'u1');
    const out = await q.submit(checkin('2026-11-22T01:10:00Z'), false);
    expect(out.kind).toBe('rejected');
    expect(q.rejected().map((c) => c.error)).toEqual(['扫码时间不在时间窗内']);
    expect((await q.submit(checkin('2026-11-22T01:20:00Z'), false)).kind).toBe('sent');
    await q.dismiss(q.rejected()[0].id);
    expect(q.rejected()).toEqual([]);
    expect(store.rows.size).toBe(0);
  });

  it('belongs to one account: another account on the same phone does not send it', async () => {
    const store = memoryCheckinStore();
    await new CheckinQueue(store, transport(['offline']).t, 'u1').submit(checkin('2026-11-22T01:10:00Z'), true);
    const other = new CheckinQueue(store, transport([]).t, 'u2');
    await other.load();
    expect(other.pending()).toEqual([]);
  });
});

describe('codes', () => {
  it.each([
    ['https://wy.example.com/m/patrol/scan/cp.0f8e5c1a-6b1e-4d7a-9a57-2e0f7c4f1a11.abcDEF_-12', 'cp.0f8e5c1a-6b1e-4d7a-9a57-2e0f7c4f1a11.abcDEF_-12'],
    ['  cp.0f8e5c1a-6b1e-4d7a-9a57-2e0f7c4f1a11.abc ', 'cp.0f8e5c1a-6b1e-4d7a-9a57-2e0f7c4f1a11.abc'],
  ])('%s', (text, code) => {
    expect(codeFromScan(text)).toBe(code);
    expect(checkpointIdOf(code)).toBe('0f8e5c1a-6b1e-4d7a-9a57-2e0f7c4f1a11');
  });
  it('anything else names no checkpoint', () => {
    expect(checkpointIdOf('eq.0f8e5c1a-6b1e-4d7a-9a57-2e0f7c4f1a11.abc')).toBeNull();
    expect(checkpointIdOf('hello')).toBeNull();
  });
});
