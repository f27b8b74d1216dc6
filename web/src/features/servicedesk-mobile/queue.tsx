import { createContext, useContext, useEffect, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
import { App } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../lib/api.ts';
import { indexedDbStore } from './idbStore.ts';
import { OfflineQueue, type NewStep, type QueuedStep, type StepOutcome } from './offlineQueue.ts';
import { STEP_PATH, withPending } from './steps.ts';
import { deskKeys, uploadPhoto, type TicketDetail } from './api.ts';

const QueueContext = createContext<OfflineQueue | null>(null);

/** While steps wait, the queue is tried again this often (the `online` event does not fire when only the server was away). */
const RETRY_MS = 20_000;

/**
 * The field technician's offline queue for the logged-in account: replays what is stored when the app starts,
 * when the phone comes back online, and every 20 s while something waits; updates the cached tickets as steps
 * arrive; tells the user about a step the server refused.
 */
export function OfflineQueueProvider({ userId, children }: { userId: string; children: ReactNode }) {
  const qc = useQueryClient();
  const { t } = useTranslation();
  const { notification } = App.useApp();
  const queue = useMemo(
    () =>
      new OfflineQueue(
        indexedDbStore(),
        {
          upload: async (p) => (await uploadPhoto(new Blob([p.data], { type: p.type }), p.name)).id,
          send: (ticketId, step, body) => api.post<TicketDetail>(`/api/tickets/${ticketId}/${STEP_PATH[step]}`, body),
        },
        userId,
      ),
    [userId],
  );

  useEffect(() => {
    const off = queue.subscribe((e) => {
      if (e.type === 'sent') {
        const ticket = e.result as TicketDetail;
        qc.setQueryData(deskKeys.task(ticket.id), ticket);
        void qc.invalidateQueries({ queryKey: deskKeys.tasks });
      } else if (e.type === 'rejected') {
        void qc.invalidateQueries({ queryKey: deskKeys.task(e.step.ticketId) });
        void qc.invalidateQueries({ queryKey: deskKeys.tasks });
        // A step tapped a while ago and refused now: say which, and why.
        if (e.step.deferred) {
          notification.error({
            key: e.step.id,
            title: t('servicedeskMobile.syncRejected', { step: t(`servicedeskMobile.steps.${e.step.step}`) }),
            description: e.error instanceof Error ? e.error.message : String(e.error),
            duration: 0,
            props: { 'data-testid': 'm-sync-rejected' },
          });
        }
      }
    });
    const flush = () => {
      if (navigator.onLine) void queue.flush();
    };
    void queue.load().then(flush);
    window.addEventListener('online', flush);
    const timer = setInterval(() => {
      if (queue.snapshot().length) flush();
    }, RETRY_MS);
    return () => {
      off();
      window.removeEventListener('online', flush);
      clearInterval(timer);
    };
  }, [queue, qc, notification, t]);

  return <QueueContext.Provider value={queue}>{children}</QueueContext.Provider>;
}

function useQueue(): OfflineQueue {
  const q = useContext(QueueContext);
  if (!q) throw new Error('useQueue outside OfflineQueueProvider');
  return q;
}

/** The steps waiting to be synced (all, or one ticket's). */
export function usePendingSteps(ticketId?: string): QueuedStep[] {
  const queue = useQueue();
  const all = useSyncExternalStore(
    (cb) => queue.subscribe(cb),
    () => queue.snapshot(),
  );
  return useMemo(() => all.filter((s) => ticketId === undefined || s.ticketId === ticketId), [all, ticketId]);
}

/** The ticket with its queued steps applied (status, next steps). */
export function useTicketView(ticket: TicketDetail | undefined): TicketDetail | undefined {
  const pending = usePendingSteps(ticket?.id);
  return useMemo(() => (ticket ? withPending(ticket, pending) : undefined), [ticket, pending]);
}

/** Submits a step through the queue; `busy` while this page waits for the answer. */
export function useSubmitStep() {
  const queue = useQueue();
  const [busy, setBusy] = useState<NewStep['step'] | null>(null);
  const submit = async (step: Omit<NewStep, 'offline'>): Promise<StepOutcome> => {
    setBusy(step.step);
    try {
      return await queue.submit({ ...step, offline: !navigator.onLine });
    } finally {
      setBusy(null);
    }
  };
  return { submit, busy };
}

/** Whether the browser thinks it is online, kept up to date. */
export function useOnline(): boolean {
  return useSyncExternalStore(
    (cb) => {
      window.addEventListener('online', cb);
      window.addEventListener('offline', cb);
      return () => {
        window.removeEventListener('online', cb);
        window.removeEventListener('offline', cb);
      };
    },
    () => navigator.onLine,
  );
}

/** Try the queue now (the 同步 button). */
export function useFlush(): () => Promise<void> {
  const queue = useQueue();
  return () => queue.flush();
}
