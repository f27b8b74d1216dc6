import { memoryStore, type QueuedStep, type QueueStore } from './offlineQueue.ts';

const DB_NAME = 'anju-offline';
const STORE = 'ticketSteps';

function promised<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'id' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
    req.onblocked = () => reject(new Error('IndexedDB blocked'));
  });
}

/**
 * The queue's store in IndexedDB, so queued steps and their photos survive a reload or a closed tab. Where the
 * browser has no IndexedDB (some private modes), the queue still works for the life of the page.
 */
export function indexedDbStore(): QueueStore {
  let db: Promise<IDBDatabase | null> | null = null;
  const fallback = memoryStore();
  const get = () =>
    (db ??= typeof indexedDB === 'undefined'
      ? Promise.resolve(null)
      : open().catch((err: unknown) => {
          console.warn('offline queue: IndexedDB unavailable, keeping steps in memory only', err);
          return null;
        }));
  const tx = async <T>(mode: IDBTransactionMode, work: (s: IDBObjectStore) => IDBRequest<T>): Promise<T | undefined> => {
    const d = await get();
    if (!d) return undefined;
    return promised(work(d.transaction(STORE, mode).objectStore(STORE)));
  };
  return {
    async all() {
      const d = await get();
      if (!d) return fallback.all();
      return (await tx('readonly', (s) => s.getAll() as IDBRequest<QueuedStep[]>)) ?? [];
    },
    async put(step) {
      if (!(await get())) return fallback.put(step);
      await tx('readwrite', (s) => s.put(step));
    },
    async delete(id) {
      if (!(await get())) return fallback.delete(id);
      await tx('readwrite', (s) => s.delete(id));
    },
  };
}
