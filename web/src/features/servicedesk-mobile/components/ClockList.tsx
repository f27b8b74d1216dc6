import { useEffect, useState } from 'react';
import { Tag } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { TicketClock } from '../api.ts';

const STATE_COLOR = { running: 'processing', atRisk: 'warning', overdue: 'error', met: 'success', metLate: 'default' } as const;

/** The current time, updated every `ms`. */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/** "1天3小时", "25分12秒", "1d 3h", "25m 12s": the two largest units. */
export function span(t: TFunction, ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const parts: Array<[number, 'd' | 'h' | 'm' | 's']> = [
    [Math.floor(s / 86400), 'd'],
    [Math.floor((s % 86400) / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'm'],
    [s % 60, 's'],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  if (first === -1) return t('servicedeskMobile.units.s', { n: 0 });
  return parts
    .slice(first, first + 2)
    .filter(([n]) => n > 0)
    .map(([n, u]) => t(`servicedeskMobile.units.${u}`, { n }))
    .join(t('servicedeskMobile.units.sep'));
}

/** One clock in words: time left, how late, or met. */
export function clockText(t: TFunction, c: TicketClock, now: number): string {
  const name = t(`servicedeskMobile.clocks.${c.clock}`);
  if (c.doneAt) return t(c.state === 'metLate' ? 'servicedeskMobile.clockMetLate' : 'servicedeskMobile.clockMet', { name });
  const left = Date.parse(c.dueAt) - now;
  return left >= 0 ? t('servicedeskMobile.clockLeft', { name, time: span(t, left) }) : t('servicedeskMobile.clockOverdue', { name, time: span(t, -left) });
}

/** Live state of an open clock (at risk / overdue follow the clock, not the last refresh). */
function liveState(c: TicketClock, now: number): TicketClock['state'] {
  if (c.doneAt) return c.state;
  if (now > Date.parse(c.dueAt)) return 'overdue';
  if (c.warnAt && now >= Date.parse(c.warnAt)) return 'atRisk';
  return 'running';
}

/** The ticket's deadlines (响应 / 到场 / 完成 / 答复) with a live countdown. */
export function ClockList({ clocks }: { clocks: TicketClock[] }) {
  const { t } = useTranslation();
  const now = useNow(1000);
  if (!clocks.length) return null;
  return (
    <div className="m-clocks" data-testid="m-clocks">
      {clocks.map((c) => {
        const state = liveState(c, now);
        return (
          <div key={c.clock} className="m-clock" data-clock={c.clock} data-state={state}>
            <Tag color={STATE_COLOR[state]} style={{ marginInlineEnd: 0, flex: 'none' }}>
              {t(`servicedeskMobile.clockStates.${state}`)}
            </Tag>
            <span className="m-clock-text">{clockText(t, c, now)}</span>
          </div>
        );
      })}
    </div>
  );
}

/** The most pressing open clock of a list row, or null. */
export function nextClock(clocks: TicketClock[]): TicketClock | null {
  return clocks.filter((c) => !c.doneAt).sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt))[0] ?? null;
}
