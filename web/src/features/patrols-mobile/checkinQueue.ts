import { isRetryable, newClientId } from '../servicedesk-mobile/offlineQueue.ts';

/**
 * The guard's check-in queue (the approach of servicedesk-mobile/offlineQueue.ts): every check-in is stored first —
 * with the phone's scan time and a clientId made on the phone — then sent; without network it waits and is sent,
 * in order, when the network returns (the `online` event, app start, a timer, the 同步 button). The server judges it
 * by its scan time and answers a replay (the same clientId, e.g. a reply lost on the way back) with the first
 * result, so sending twice does no harm. A check-in the server refuses (outside its window, a forged label…) is
 * taken off the queue and kept in `rejected` for the guard to read. Photos are uploaded first; an uploaded photo's
 * file id is saved at once so a retry does not upload it twice.
 *
 * No browser APIs here: the store and the transport are passed in (IndexedDB and fetch in the app, memory in tests).
 */

export interface QueuedPhoto {
  name: string;
  type: string;
  data: ArrayBuffer | null;
  fileId: string | null;
}

export interface QueuedCheckin {
  /** Also the clientId sent to the server. */
  id: string;
  userId: string;
  code: string;
  checkpointId: string | null;
  checkpointName: string;
  /** The phone's time of the scan (ISO). */
  scannedAt: string;
  answers: Array<{ itemId: string; value: boolean | number | string | null }>;
  note: string | null;
  photos: QueuedPhoto[];
  /** Set when the server refused it: the message to show. */
  error?: string;
}

export interface CheckinStore {
  all(): Promise<QueuedCheckin[]>;
  put(c: QueuedCheckin): Promise<void>;
  delete(id: string): Promise<void>;
}

export interface CheckinTransport {
  upload(photo: { name: string; type: string; data: ArrayBuffer }): Promise<string>;
  send(body: { code: string; scannedAt: string; clientId: string; answers: QueuedCheckin['answers']; photoIds: string[]; note?: string }): Promise<unknown>;
}

export type CheckinOutcome = { kind: 'sent'; result: unknown } | { kind: 'rejected'; error: unknown } | { kind: 'queued' };

export type NewCheckin = Omit<QueuedCheckin, 'id' | 'userId' | 'photos' | 'error'> & { photos: Array<{ name: string; type: string; data: ArrayBuffer }> };

export class CheckinQueue {
  private items: QueuedCheckin[] = [];
  private refused: QueuedCheckin[] = [];
  private loaded: Promise<void> | null = null;
  private running: Promise<void> | null = null;
  private listeners = new Set<() => void>();

  constructor(
    private readonly store: CheckinStore,
    private readonly transport: CheckinTransport,
    private readonly userId: string,
    private readonly newId: () => string = newClientId,
  ) {}

  load(): Promise<void> {
    this.loaded ??= this.store.all().then((all) => {
      const mine = all.filter((c) => c.userId === this.userId).sort((a, b) => a.scannedAt.localeCompare(b.scannedAt));
      this.items = mine.filter((c) => !c.error);
      this.refused = mine.filter((c) => c.error);
      this.emit();
    });
    return this.loaded;
  }

  /** Waiting to be sent, oldest scan first (the same array until something changes). */
  pending(): readonly QueuedCheckin[] {
    return this.items;
  }
  /** Refused by the server, kept until the guard dismisses them. */
  rejected(): readonly QueuedCheckin[] {
    return this.refused;
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
  private emit() {
    for (const fn of this.listeners) fn();
  }

  /** Stores a check-in and, unless offline, sends the queue; resolves with this check-in's fate. */
  async submit(input: NewCheckin, offline: boolean): Promise<CheckinOutcome> {
    await this.load();
    const item: QueuedCheckin = { ...input, id: this.newId(), userId: this.userId, photos: input.photos.map((p) => ({ ...p, fileId: null })) };
    await this.store.put(item);
    this.items = [...this.items, item];
    this.emit();
    if (offline) return { kind: 'queued' };
    await this.flush();
    const outcome = this.outcomes.get(item.id);
    this.outcomes.delete(item.id);
    return outcome ?? { kind: 'queued' };
  }

  private outcomes = new Map<string, CheckinOutcome>();

  /** Sends waiting check-ins in order until none is left or the network fails; one run at a time. */
  flush(): Promise<void> {
    this.running ??= (async () => {
      try {
        await this.load();
        while (this.items.length) {
          const item = this.items[0];
          try {
            const result = await this.sendOne(item);
            this.outcomes.set(item.id, { kind: 'sent', result });
            await this.store.delete(item.id);
            this.items = this.items.slice(1);
          } catch (err) {
            if (isRetryable(err)) return;
            this.outcomes.set(item.id, { kind: 'rejected', error: err });
            const refused = { ...item, photos: [], error: err instanceof Error ? err.message : String(err) };
            await this.store.put(refused);
            this.items = this.items.slice(1);
            this.refused = [...this.refused, refused];
          } finally {
            this.emit();
          }
        }
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  async dismiss(id: string): Promise<void> {
    await this.store.delete(id);
    this.refused = this.refused.filter((c) => c.id !== id);
    this.emit();
  }

  private async sendOne(item: QueuedCheckin): Promise<unknown> {
    for (let i = 0; i < item.photos.length; i++) {
      const p = item.photos[i];
      if (p.fileId || !p.data) continue;
      const fileId = await this.transport.upload({ name: p.name, type: p.type, data: p.data });
      item.photos[i] = { ...p, fileId, data: null };
      await this.store.put(item);
    }
    return this.transport.send({
      code: item.code,
      scannedAt: item.scannedAt,
      clientId: item.id,
      answers: item.answers,
      photoIds: item.photos.map((p) => p.fileId).filter((x): x is string => Boolean(x)),
      ...(item.note ? { note: item.note } : {}),
    });
  }
}

export function memoryCheckinStore(): CheckinStore & { rows: Map<string, QueuedCheckin> } {
  const rows = new Map<string, QueuedCheckin>();
  return {
    rows,
    all: async () => [...rows.values()].map((c) => structuredClone(c)),
    put: async (c) => void rows.set(c.id, structuredClone(c)),
    delete: async (id) => void rows.delete(id),
  };
}

/** The code a scanned QR carries: the label's URL `…/m/patrol/scan/<code>`, or the bare code typed by hand. */
export function codeFromScan(text: string): string {
  const trimmed = text.trim();
  const m = /\/m\/patrol\/scan\/([^/?#\s]+)/.exec(trimmed);
  return m ? decodeURIComponent(m[1]) : trimmed;
}

/** The checkpoint id a code names (`cp.<uuid>.<sig>`), read on the phone to find its checklist offline; null if not one. */
export function checkpointIdOf(code: string): string | null {
  const m = /^cp\.([0-9a-f-]{36})\.[A-Za-z0-9_-]+$/.exec(code);
  return m ? m[1] : null;
}
