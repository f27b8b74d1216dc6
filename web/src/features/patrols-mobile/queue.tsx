import { createContext, useContext, useEffect, useMemo, useSyncExternalStore, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, upload } from '../../lib/api.ts';
import { CheckinQueue, memoryCheckinStore, type CheckinStore, type QueuedCheckin } from './checkinQueue.ts';
import { patrolKeys, type MyTasks } from '../patrols/api.ts';

const DB_NAME = 'anju-patrol';
const STORE = 'checkins';
const RETRY_MS = 20_000;

function promised<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** The queue in IndexedDB (survives a reload or a closed tab); in memory where the browser has none. */
function indexedDbStore(): CheckinStore {
  const fallback = memoryCheckinStore();
  let db: Promise<IDBDatabase | null> | null = null;
  const get = () =>
    (db ??=
      typeof indexedDB === 'undefined'
        ? Promise.resolve(null)
        : new Promise<IDBDatabase | null>((resolve) => {
            const req = indexedDB.open(DB_NAME, 1);
            req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'id' });
            req.onsuccess = () => resolve(req.result);
            req.onerror = () => resolve(null);
            req.onblocked = () => resolve(null);
          }));
  const os = async (mode: IDBTransactionMode) => (await get())?.transaction(STORE, mode).objectStore(STORE) ?? null;
  return {
    async all() {
      const s = await os('readonly');
      return s ? promised(s.getAll() as IDBRequest<QueuedCheckin[]>) : fallback.all();
    },
    async put(c) {
      const s = await os('readwrite');
      if (!s) return fallback.put(c);
      await promised(s.put(c));
    },
    async delete(id) {
      const s = await os('readwrite');
      if (!s) return fallback.delete(id);
      await promised(s.delete(id));
    },
  };
}

const Ctx = createContext<CheckinQueue | null>(null);

/** The logged-in guard's check-in queue: replayed at start, when the phone is back online, and every 20 s while something waits. */
export function CheckinQueueProvider({ userId, children }: { userId: string; children: ReactNode }) {
  const qc = useQueryClient();
  const queue = useMemo(
    () =>
      new CheckinQueue(
        indexedDbStore(),
        {
          upload: async (p) => (await upload<{ id: string }>('/api/files', new Blob([p.data], { type: p.type }), undefined, p.name)).id,
          send: (body) => api.post('/api/patrol/checkins', body),
        },
        userId,
      ),
    [userId],
  );
  useEffect(() => {
    const off = queue.subscribe(() => void qc.invalidateQueries({ queryKey: patrolKeys.mine }));
    const flush = () => {
      if (navigator.onLine) void queue.flush();
    };
    void queue.load().then(flush);
    window.addEventListener('online', flush);
    const timer = setInterval(() => queue.pending().length && flush(), RETRY_MS);
    return () => {
      off();
      window.removeEventListener('online', flush);
      clearInterval(timer);
    };
  }, [queue, qc]);
  return <Ctx.Provider value={queue}>{children}</Ctx.Provider>;
}

export function useCheckinQueue(): CheckinQueue {
  const q = useContext(Ctx);
  if (!q) throw new Error('useCheckinQueue outside CheckinQueueProvider');
  return q;
}

export function usePendingCheckins(): { pending: readonly QueuedCheckin[]; rejected: readonly QueuedCheckin[] } {
  const q = useCheckinQueue();
  const pending = useSyncExternalStore((cb) => q.subscribe(cb), () => q.pending());
  const rejected = useSyncExternalStore((cb) => q.subscribe(cb), () => q.rejected());
  return { pending, rejected };
}

/** The last task list the server sent this account, kept so the page works without network. */
const CACHE = (userId: string) => `anju-patrol-tasks:${userId}`;
export function rememberTasks(userId: string, data: MyTasks): void {
  try {
    localStorage.setItem(CACHE(userId), JSON.stringify(data));
  } catch {
    // Storage full or disabled: the page still works online.
  }
}
export function rememberedTasks(userId: string): MyTasks | null {
  try {
    const raw = localStorage.getItem(CACHE(userId));
    return raw ? (JSON.parse(raw) as MyTasks) : null;
  } catch {
    return null;
  }
}
