/**
 * The field technician's offline queue. Every step (接单, 到场签到, 开始, 照片, 材料, 完工, 退单, 暂停/继续) goes
 * through it, online or not, so the steps of a ticket always reach the server in the order they were tapped:
 *
 * - a step is stored first (with its clientActionId, the time it was tapped, and any photos as bytes), then sent;
 * - a network failure (or a 5xx / 401 / 429) stops the run and keeps the step and everything after it; they are
 *   sent again, in order, on the next flush (the `online` event, app start, a timer);
 * - a step the server refuses (400, 403, 404, 409, 422) is dropped and reported, so one bad step does not block
 *   the rest forever;
 * - photos are uploaded first; an uploaded photo's file id is saved at once so a retry does not upload it twice;
 * - a step that was held up sends `at`, the time it was really tapped; the server treats the same clientActionId
 *   sent twice as one step, so a reply lost on the way back does no harm.
 *
 * No browser APIs here: the store and the transport are passed in (IndexedDB and fetch in the app, memory in tests).
 */

export type QueuedStepName = 'acknowledge' | 'arrive' | 'start' | 'photos' | 'materials' | 'complete' | 'handBack' | 'pause' | 'resume' | 'reply';

export interface QueuedPhoto {
  name: string;
  type: string;
  /** The image bytes, kept until uploaded (an ArrayBuffer stores reliably in every browser's IndexedDB). */
  data: ArrayBuffer | null;
  /** Set once uploaded. */
  fileId: string | null;
}

export interface QueuedStep {
  /** Also the clientActionId sent to the server. */
  id: string;
  /** The account that tapped it: another account logging in on the same phone does not send it. */
  userId: string;
  ticketId: string;
  step: QueuedStepName;
  body: Record<string, unknown>;
  /** Where the uploaded photos' ids go in the body (`photoFileIds`, or `fileIds` for the photos step). */
  photoField: 'photoFileIds' | 'fileIds' | null;
  photos: QueuedPhoto[];
  /** When it was tapped (ISO). */
  at: string;
  /** Not sent at once (offline, or held up behind a failure): the server is told `at`. */
  deferred: boolean;
  /** Order of tapping. */
  seq: number;
}

export interface QueueStore {
  /** Every stored step, in any order. */
  all(): Promise<QueuedStep[]>;
  put(step: QueuedStep): Promise<void>;
  delete(id: string): Promise<void>;
}

export interface QueueTransport {
  /** Uploads one photo; resolves to its file id. */
  upload(photo: { name: string; type: string; data: ArrayBuffer }): Promise<string>;
  /** Sends one step; resolves to the server's answer (the ticket). */
  send(ticketId: string, step: QueuedStepName, body: Record<string, unknown>): Promise<unknown>;
}

/** The outcome of one step: reached the server, refused by it, or still waiting for the network. */
export type StepOutcome = { kind: 'sent'; result: unknown } | { kind: 'rejected'; error: unknown } | { kind: 'queued' };

export type QueueEvent = { type: 'changed' } | { type: 'sent'; step: QueuedStep; result: unknown } | { type: 'rejected'; step: QueuedStep; error: unknown };

/** The HTTP status of an error, 0 for "no answer" (the api client's ApiError, or anything with a numeric `status`). */
function statusOf(err: unknown): number {
  const s = (err as { status?: unknown } | null)?.status;
  return typeof s === 'number' ? s : 0;
}

/** Worth trying again later: no answer, the server failing, too many requests, or the session ended (log in again). */
export function isRetryable(err: unknown): boolean {
  const s = statusOf(err);
  return s === 0 || s === 401 || s === 408 || s === 429 || s >= 500;
}

export interface NewStep {
  ticketId: string;
  step: QueuedStepName;
  body?: Record<string, unknown>;
  photoField?: 'photoFileIds' | 'fileIds' | null;
  photos?: Array<{ name: string; type: string; data: ArrayBuffer }>;
  /** The phone believes it is offline: the step is stored as deferred and not tried now. */
  offline?: boolean;
}

export class OfflineQueue {
  private steps: QueuedStep[] = [];
  private loaded: Promise<void> | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private listeners = new Set<(e: QueueEvent) => void>();
  private waiters = new Map<string, (o: StepOutcome) => void>();
  /**
   * Per ticket, when a held-up reply was replayed: the server stamps a reply with its own time and counts it as a
   * lifecycle step, so it refuses a later step dated before it; such a step goes without `at` (dated on arrival).
   */
  private undatedReplayed = new Map<string, string>();

  constructor(
    private readonly store: QueueStore,
    private readonly transport: QueueTransport,
    private readonly userId: string,
    private readonly opts: { now?: () => Date; newId?: () => string } = {},
  ) {}

  /** Reads the stored steps (once); later calls return the same promise. */
  load(): Promise<void> {
    this.loaded ??= this.store.all().then((all) => {
      this.steps = all.filter((s) => s.userId === this.userId).sort((a, b) => a.seq - b.seq);
      this.emit({ type: 'changed' });
    });
    return this.loaded;
  }

  /** The steps still waiting, in order; the same array until something changes (for useSyncExternalStore). */
  snapshot(): readonly QueuedStep[] {
    return this.steps;
  }

  subscribe(listener: (e: QueueEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Stores a step and, unless the phone is offline, sends it with everything queued before it. Resolves once this
   * step's fate is known: sent (with the server's answer), refused, or queued for later.
   */
  async submit(input: NewStep): Promise<StepOutcome> {
    await this.load();
    const now = (this.opts.now ?? (() => new Date()))();
    const step: QueuedStep = {
      id: (this.opts.newId ?? newClientId)(),
      userId: this.userId,
      ticketId: input.ticketId,
      step: input.step,
      body: input.body ?? {},
      photoField: input.photoField ?? null,
      photos: (input.photos ?? []).map((p) => ({ ...p, fileId: null })),
      at: now.toISOString(),
      deferred: Boolean(input.offline),
      seq: Math.max(now.getTime(), (this.steps.at(-1)?.seq ?? 0) + 1),
    };
    await this.store.put(step);
    this.steps = [...this.steps, step];
    this.emit({ type: 'changed' });
    if (input.offline) return { kind: 'queued' };
    const outcome = new Promise<StepOutcome>((resolve) => this.waiters.set(step.id, resolve));
    void this.flush();
    return outcome;
  }

  /**
   * Sends the waiting steps in order until none is left or the network fails. One run at a time: a call during a
   * run makes it go round once more (a step just tapped, or the network just back), and waits for that.
   */
  flush(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.run();
        } while (this.again);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** The network failed: every waiting step will reach the server later than it was tapped, so it sends its real time. */
  private async holdAll() {
    const changed: QueuedStep[] = [];
    this.steps = this.steps.map((s) => {
      if (s.deferred) return s;
      const held = { ...s, deferred: true };
      changed.push(held);
      return held;
    });
    for (const s of this.steps) this.settle(s, { kind: 'queued' });
    this.emit({ type: 'changed' });
    for (const s of changed) await this.store.put(s);
  }

  private async run(): Promise<void> {
    await this.load();
    for (;;) {
      const step = this.steps[0];
      if (!step) return;
      try {
        const result = await this.sendOne(step);
        await this.remove(step);
        this.settle(step, { kind: 'sent', result });
        this.emit({ type: 'sent', step, result });
      } catch (error) {
        if (isRetryable(error)) {
          await this.holdAll();
          return;
        }
        await this.remove(step);
        this.settle(step, { kind: 'rejected', error });
        this.emit({ type: 'rejected', step, error });
      }
    }
  }

  private async sendOne(step: QueuedStep): Promise<unknown> {
    for (const photo of step.photos) {
      if (photo.fileId || !photo.data) continue;
      photo.fileId = await this.transport.upload({ name: photo.name, type: photo.type, data: photo.data });
      photo.data = null;
      await this.store.put(step);
    }
    const after = this.undatedReplayed.get(step.ticketId);
    const result = await this.transport.send(step.ticketId, step.step, bodyOf(step, { undatedAfter: after }));
    if (step.deferred && step.step === 'reply') this.undatedReplayed.set(step.ticketId, (this.opts.now ?? (() => new Date()))().toISOString());
    return result;
  }

  private async remove(step: QueuedStep) {
    await this.store.delete(step.id);
    this.steps = this.steps.filter((s) => s.id !== step.id);
    this.emit({ type: 'changed' });
  }

  private settle(step: QueuedStep, outcome: StepOutcome) {
    const resolve = this.waiters.get(step.id);
    if (!resolve) return;
    this.waiters.delete(step.id);
    resolve(outcome);
  }

  private emit(e: QueueEvent) {
    for (const l of this.listeners) l(e);
  }
}

/** Steps the server dates by `at`; materials, photos and replies take the time they arrive. */
const DATED = new Set<QueuedStepName>(['acknowledge', 'arrive', 'start', 'complete', 'handBack', 'pause', 'resume']);

/** The request body of a stored step: its own fields, the uploaded photos, the clientActionId and, if held up, `at`. */
export function bodyOf(step: QueuedStep, opts: { undatedAfter?: string } = {}): Record<string, unknown> {
  const body: Record<string, unknown> = { ...step.body, clientActionId: step.id };
  if (step.photoField) {
    const earlier = Array.isArray(step.body[step.photoField]) ? (step.body[step.photoField] as string[]) : [];
    const uploaded = step.photos.map((p) => p.fileId).filter((id): id is string => Boolean(id));
    if (earlier.length || uploaded.length) body[step.photoField] = [...earlier, ...uploaded];
  }
  if (step.deferred && DATED.has(step.step) && !(opts.undatedAfter && opts.undatedAfter > step.at)) body.at = step.at;
  return body;
}

/** A random v4 UUID, also where crypto.randomUUID is missing (plain-http pages are not a secure context). */
export function newClientId(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === 'function') return c.randomUUID();
  const b = new Uint8Array(16);
  c.getRandomValues(b);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A store that lives as long as the page (tests; browsers without IndexedDB). */
export function memoryStore(initial: QueuedStep[] = []): QueueStore & { rows: Map<string, QueuedStep> } {
  const rows = new Map(initial.map((s) => [s.id, structuredClone(s)]));
  return {
    rows,
    all: async () => [...rows.values()].map((s) => structuredClone(s)),
    put: async (s) => void rows.set(s.id, structuredClone(s)),
    delete: async (id) => void rows.delete(id),
  };
}
