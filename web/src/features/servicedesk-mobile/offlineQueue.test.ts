import { describe, expect, it } from 'vitest';
import { bodyOf, isRetryable, memoryStore, newClientId, OfflineQueue, type QueuedStep, type QueueTransport } from './offlineQueue.ts';
import { withPending } from './steps.ts';
import type { TicketDetail } from './api.ts';

class HttpError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}
const network = () => new HttpError(0);

/** A fake server: records what arrives, and fails the way `fail` says for each call. */
function fakeServer(fail: (call: { kind: 'upload' | 'send'; n: number; step?: string }) => Error | null = () => null) {
  const sent: Array<{ ticketId: string; step: string; body: Record<string, unknown> }> = [];
  const uploads: string[] = [];
  let n = 0;
  const transport: QueueTransport = {
    async upload(photo) {
      const err = fail({ kind: 'upload', n: n++ });
      if (err) throw err;
      uploads.push(photo.name);
      return `00000000-0000-4000-8000-${String(uploads.length).padStart(12, '0')}`;
    },
    async send(ticketId, step, body) {
      const err = fail({ kind: 'send', n: n++, step });
      if (err) throw err;
      sent.push({ ticketId, step, body });
      return { id: ticketId, step };
    },
  };
  return { transport, sent, uploads };
}

let clock = Date.parse('2025-06-03T09:00:00+08:00');
const tick = () => new Date((clock += 60_000));
let ids = 0;
const newId = () => `10000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`;
const photo = (name: string) => ({ name, type: 'image/png', data: new Uint8Array([1, 2, 3]).buffer });

describe('offline queue', () => {
  it('sends each step at once when online, with its clientActionId and without `at`', async () => {
    const store = memoryStore();
    const server = fakeServer();
    const q = new OfflineQueue(store, server.transport, 'u1', { now: tick, newId });
    const a = await q.submit({ ticketId: 't1', step: 'acknowledge' });
    const b = await q.submit({ ticketId: 't1', step: 'arrive', body: { note: '到了' } });
    expect(a).toEqual({ kind: 'sent', result: { id: 't1', step: 'acknowledge' } });
    expect(b.kind).toBe('sent');
    expect(server.sent.map((s) => s.step)).toEqual(['acknowledge', 'arrive']);
    expect(server.sent[1]!.body).toEqual({ note: '到了', clientActionId: expect.stringMatching(/^10000000-/) });
    expect(server.sent[1]!.body).not.toHaveProperty('at');
    expect(store.rows.size).toBe(0);
    expect(q.snapshot()).toEqual([]);
  });

  it('keeps a step the network lost, then replays it in order with the time it was tapped', async () => {
    const store = memoryStore();
    let offline = true;
    const server = fakeServer(() => (offline ? network() : null));
    const q = new OfflineQueue(store, server.transport, 'u1', { now: tick, newId });
    const arrive = await q.submit({ ticketId: 't1', step: 'arrive' });
    const start = await q.submit({ ticketId: 't1', step: 'start' });
    expect(arrive).toEqual({ kind: 'queued' });
    expect(start).toEqual({ kind: 'queued' });
    expect(q.snapshot().map((s) => [s.step, s.deferred])).toEqual([
      ['arrive', true],
      ['start', true],
    ]);
    const tapped = q.snapshot().map((s) => s.at);

    offline = false;
    await q.flush();
    expect(server.sent.map((s) => s.step)).toEqual(['arrive', 'start']);
    expect(server.sent.map((s) => s.body.at)).toEqual(tapped);
    expect(store.rows.size).toBe(0);
  });

  it('stores a step tapped offline without trying it, and a reloaded page replays it', async () => {
    const store = memoryStore();
    const server = fakeServer();
    const before = new OfflineQueue(store, server.transport, 'u1', { now: tick, newId });
    expect(await before.submit({ ticketId: 't1', step: 'acknowledge', offline: true })).toEqual({ kind: 'queued' });
    expect(await before.submit({ ticketId: 't1', step: 'arrive', offline: true, photoField: 'photoFileIds', photos: [photo('门口.png')] })).toEqual({ kind: 'queued' });
    expect(server.sent).toEqual([]);
    expect(server.uploads).toEqual([]);

    // The page reloads: a new queue over the same store.
    const after = new OfflineQueue(store, server.transport, 'u1', { now: tick, newId });
    await after.load();
    expect(after.snapshot().map((s) => s.step)).toEqual(['acknowledge', 'arrive']);
    await after.flush();
    expect(server.uploads).toEqual(['门口.png']);
    expect(server.sent.map((s) => s.step)).toEqual(['acknowledge', 'arrive']);
    expect(server.sent[1]!.body.photoFileIds).toEqual(['00000000-0000-4000-8000-000000000001']);
    expect(server.sent.every((s) => typeof s.body.at === 'string')).toBe(true);
  });

  it('drops and reports a step the server refuses (409), and goes on with the next', async () => {
    const store = memoryStore();
    const server = fakeServer(({ step }) => (step === 'arrive' ? new HttpError(409) : null));
    const q = new OfflineQueue(store, server.transport, 'u1', { now: tick, newId });
    const rejected: string[] = [];
    q.subscribe((e) => {
      if (e.type === 'rejected') rejected.push(e.step.step);
    });
    await q.submit({ ticketId: 't1', step: 'arrive', offline: true });
    await q.submit({ ticketId: 't2', step: 'acknowledge', offline: true });
    await q.flush();
    expect(rejected).toEqual(['arrive']);
    expect(server.sent.map((s) => `${s.ticketId}:${s.step}`)).toEqual(['t2:acknowledge']);
    expect(store.rows.size).toBe(0);

    const outcome = await q.submit({ ticketId: 't1', step: 'arrive' });
    expect(outcome.kind).toBe('rejected');
    expect((outcome as { error: HttpError }).error.status).toBe(409);
  });

  it('uploads photos first and does not upload a photo twice when the step is retried', async () => {
    const store = memoryStore();
    // The second photo's upload fails once; everything else works.
    let failed = false;
    const server = fakeServer(({ kind }) => {
      if (kind === 'upload' && server.uploads.length === 1 && !failed) {
        failed = true;
        return network();
      }
      return null;
    });
    const q = new OfflineQueue(store, server.transport, 'u1', { now: tick, newId });
    const first = await q.submit({ ticketId: 't1', step: 'complete', body: { note: '换了阀门' }, photoField: 'photoFileIds', photos: [photo('a.png'), photo('b.png')] });
    expect(first).toEqual({ kind: 'queued' });
    const stored = [...store.rows.values()][0]!;
    expect(stored.photos.map((p) => [p.fileId !== null, p.data === null])).toEqual([
      [true, true],
      [false, false],
    ]);

    await q.flush();
    expect(server.uploads).toEqual(['a.png', 'b.png']);
    expect(server.sent).toHaveLength(1);
    expect(server.sent[0]!.body).toMatchObject({ note: '换了阀门', photoFileIds: ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'] });
    expect(server.sent[0]!.body.at).toBe(stored.at);
  });

  it('a step tapped while a failing run ends waits with the rest', async () => {
    const store = memoryStore();
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const transport: QueueTransport = {
      upload: async () => 'x',
      send: async () => {
        await gate;
        throw network();
      },
    };
    const q = new OfflineQueue(store, transport, 'u1', { now: tick, newId });
    const first = q.submit({ ticketId: 't1', step: 'arrive' });
    await new Promise((r) => setTimeout(r, 0));
    const second = q.submit({ ticketId: 't1', step: 'start' });
    release();
    expect(await first).toEqual({ kind: 'queued' });
    expect(await second).toEqual({ kind: 'queued' });
    expect(q.snapshot().map((s) => [s.step, s.deferred])).toEqual([
      ['arrive', true],
      ['start', true],
    ]);
  });

  it('keeps the tap time of a step replayed after materials, and dates on arrival one replayed after a reply', async () => {
    // The server stamps materials and replies with its own clock; a reply counts as a lifecycle step, and the server
    // refuses a later step dated before the last lifecycle step.
    const store = memoryStore();
    const server = fakeServer();
    const q = new OfflineQueue(store, server.transport, 'u1', { now: tick, newId });
    await q.submit({ ticketId: 't1', step: 'arrive', offline: true });
    await q.submit({ ticketId: 't1', step: 'materials', body: { items: [{ name: '阀门', quantity: 1, unit: '个', priceFen: 3500 }] }, offline: true });
    await q.submit({ ticketId: 't1', step: 'start', offline: true });
    await q.submit({ ticketId: 't2', step: 'reply', body: { text: '已联系燃气公司' }, offline: true });
    await q.submit({ ticketId: 't2', step: 'complete', offline: true });
    await q.submit({ ticketId: 't1', step: 'complete', offline: true });
    await q.flush();
    expect(server.sent.map((s) => [s.ticketId, s.step, typeof s.body.at])).toEqual([
      ['t1', 'arrive', 'string'],
      ['t1', 'materials', 'undefined'],
      ['t1', 'start', 'string'],
      ['t2', 'reply', 'undefined'],
      ['t2', 'complete', 'undefined'],
      ['t1', 'complete', 'string'],
    ]);
  });

  it("replays only the logged-in account's steps", async () => {
    const mine: QueuedStep = { id: newId(), userId: 'u1', ticketId: 't1', step: 'start', body: {}, photoField: null, photos: [], at: tick().toISOString(), deferred: true, seq: 2 };
    const theirs: QueuedStep = { ...mine, id: newId(), userId: 'u2', seq: 1 };
    const store = memoryStore([mine, theirs]);
    const server = fakeServer();
    const q = new OfflineQueue(store, server.transport, 'u1', { now: tick, newId });
    await q.flush();
    expect(server.sent.map((s) => s.body.clientActionId)).toEqual([mine.id]);
    expect([...store.rows.keys()]).toEqual([theirs.id]);
  });

  it.each([
    [0, true],
    [401, true],
    [429, true],
    [500, true],
    [503, true],
    [400, false],
    [403, false],
    [404, false],
    [409, false],
    [422, false],
  ])('status %i is retried: %s', (status, retry) => {
    expect(isRetryable(new HttpError(status))).toBe(retry);
  });

  it('sends `at` only for steps the server dates (not materials or photos)', () => {
    const base: QueuedStep = { id: 'c1', userId: 'u1', ticketId: 't1', step: 'materials', body: { items: [] }, photoField: null, photos: [], at: '2025-06-03T01:00:00.000Z', deferred: true, seq: 1 };
    expect(bodyOf(base)).toEqual({ items: [], clientActionId: 'c1' });
    expect(bodyOf({ ...base, step: 'pause', body: { reason: '等配件' } })).toEqual({ reason: '等配件', clientActionId: 'c1', at: base.at });
    expect(bodyOf({ ...base, step: 'photos', body: { stage: 'progress' }, photoField: 'fileIds', photos: [{ name: 'a', type: 'image/png', data: null, fileId: 'f1' }] })).toEqual({
      stage: 'progress',
      fileIds: ['f1'],
      clientActionId: 'c1',
    });
  });

  it('makes v4 UUIDs', () => {
    expect(newClientId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('the ticket with queued steps applied', () => {
  const ticket = { status: 'dispatched', pausedFrom: null, acknowledgedAt: null, assigneeId: 'u1', assigneeName: '周强', actions: ['acknowledge', 'arrive', 'handBack', 'pause', 'reply', 'transfer'] } as unknown as TicketDetail;
  const step = (s: QueuedStep['step']): QueuedStep => ({ id: s, userId: 'u1', ticketId: 't1', step: s, body: {}, photoField: null, photos: [], at: '2025-06-03T01:00:00.000Z', deferred: true, seq: 1 });

  it.each([
    [[], 'dispatched', ['acknowledge', 'arrive', 'handBack', 'pause', 'reply', 'transfer']],
    [['acknowledge'], 'dispatched', ['acknowledge', 'arrive', 'handBack', 'pause']],
    [['acknowledge', 'arrive'], 'arrived', ['start', 'complete', 'handBack', 'pause']],
    [['arrive', 'start'], 'inProgress', ['complete', 'pause']],
    [['arrive', 'start', 'pause'], 'paused', ['resume']],
    [['arrive', 'start', 'pause', 'resume'], 'inProgress', ['complete', 'pause']],
    [['arrive', 'start', 'photos', 'materials', 'complete'], 'completed', []],
    [['arrive', 'handBack'], 'accepted', []],
  ] as const)('%j → %s', (steps, status, actions) => {
    const view = withPending(ticket, steps.map(step));
    expect(view.status).toBe(status);
    expect(view.actions).toEqual(actions);
  });

  it('marks the task acknowledged from the queued time', () => {
    expect(withPending(ticket, [step('acknowledge')]).acknowledgedAt).toBe('2025-06-03T01:00:00.000Z');
    expect(withPending(ticket, [step('handBack')]).assigneeId).toBeNull();
  });
});
