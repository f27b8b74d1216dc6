import { useEffect, useSyncExternalStore } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { isApiError } from '../../lib/api.ts';
import { cleaningKeys, completeTask, uploadPhoto } from '../cleaning/api.ts';

/**
 * Completions waiting for the network, kept in localStorage per user: the clientId made when the cleaner pressed
 * submit, the time of the work, the note, the scanned code and the photos (shrunk, as data URLs until uploaded).
 * The server makes a replay of the same clientId a no-op, so sending an entry twice is harmless; an entry the
 * server refuses (a 4xx) is dropped and kept aside with the server's message so the cleaner sees why.
 */
export interface QueuedCompletion {
  clientId: string;
  taskId: string;
  label: string;
  doneAt: string;
  note?: string;
  code?: string;
  photos: Array<{ name: string; dataUrl: string; fileId: string | null }>;
}
interface QueueState {
  pending: QueuedCompletion[];
  rejected: Array<{ label: string; message: string }>;
}

const EMPTY: QueueState = { pending: [], rejected: [] };
let userKey = 'anju.cleaning.queue';
let state: QueueState = EMPTY;
const listeners = new Set<() => void>();
let flushing: Promise<void> | null = null;

function load(user: string) {
  userKey = `anju.cleaning.queue.${user}`;
  try {
    state = { ...EMPTY, ...(JSON.parse(localStorage.getItem(userKey) ?? 'null') as QueueState | null) };
  } catch {
    state = EMPTY;
  }
}

function save(next: QueueState) {
  state = next;
  try {
    localStorage.setItem(userKey, JSON.stringify(next));
  } catch {
    // Storage full: the entries stay in memory for this session.
  }
  for (const l of listeners) l();
}

export function enqueue(entry: QueuedCompletion) {
  save({ ...state, pending: [...state.pending.filter((p) => p.clientId !== entry.clientId), entry] });
}

/** A network failure or a server error: worth trying again later. */
export function isRetryable(err: unknown): boolean {
  return !isApiError(err) || err.status === 0 || err.status >= 500 || err.status === 429;
}

async function blobOf(dataUrl: string): Promise<Blob> {
  return (await fetch(dataUrl)).blob();
}

/** Sends queued completions in order; stops at the first network failure. */
export function flush(onDone?: () => void): Promise<void> {
  flushing ??= (async () => {
    for (const entry of [...state.pending]) {
      try {
        for (const p of entry.photos) {
          if (p.fileId) continue;
          p.fileId = (await uploadPhoto(await blobOf(p.dataUrl), p.name)).id;
          save({ ...state });
        }
        await completeTask(entry.taskId, { clientId: entry.clientId, doneAt: entry.doneAt, note: entry.note, code: entry.code, photoFileIds: entry.photos.map((p) => p.fileId!) });
        save({ ...state, pending: state.pending.filter((p) => p.clientId !== entry.clientId) });
      } catch (err) {
        if (isRetryable(err)) break;
        save({ pending: state.pending.filter((p) => p.clientId !== entry.clientId), rejected: [...state.rejected, { label: entry.label, message: (err as Error).message }] });
      }
    }
    onDone?.();
  })().finally(() => (flushing = null));
  return flushing;
}

export function dismissRejected() {
  save({ ...state, rejected: [] });
}

function subscribe(l: () => void) {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** The queue of the logged-in user, flushed on mount, when the browser comes back online, and every 30 s. */
export function useCompletionQueue(userId: string): QueueState & { flush: () => Promise<void> } {
  const qc = useQueryClient();
  if (!userKey.endsWith(userId)) load(userId);
  const snapshot = useSyncExternalStore(subscribe, () => state);
  useEffect(() => {
    const run = () => void flush(() => void qc.invalidateQueries({ queryKey: cleaningKeys.all }));
    run();
    window.addEventListener('online', run);
    const timer = setInterval(run, 30_000);
    return () => {
      window.removeEventListener('online', run);
      clearInterval(timer);
    };
  }, [qc]);
  return { ...snapshot, flush: () => flush(() => void qc.invalidateQueries({ queryKey: cleaningKeys.all })) };
}

export function useOnline(): boolean {
  return useSyncExternalStore(
    (l) => {
      window.addEventListener('online', l);
      window.addEventListener('offline', l);
      return () => {
        window.removeEventListener('online', l);
        window.removeEventListener('offline', l);
      };
    },
    () => navigator.onLine,
  );
}

/** A device-made id for one completion (crypto.randomUUID needs HTTPS; plain HTTP on the office network falls back). */
export function newClientId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return `c-${crypto.randomUUID()}`;
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `c-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}
