import { useEffect, useState } from 'react';
import type { TFunction } from 'i18next';
import type { Clock, ClockState, TicketStatus } from './api.ts';

/** antd Tag colours of the ticket statuses. */
export const STATUS_COLOR: Record<TicketStatus, string> = {
  submitted: 'gold',
  accepted: 'cyan',
  dispatched: 'blue',
  arrived: 'geekblue',
  inProgress: 'processing',
  paused: 'default',
  completed: 'green',
  confirmed: 'success',
  visited: 'success',
  closed: 'default',
  cancelled: 'default',
};

/** antd Tag colours of the clock states: red past due, orange near it, green met. */
export const CLOCK_COLOR: Record<ClockState, string> = {
  running: 'processing',
  atRisk: 'warning',
  overdue: 'error',
  met: 'success',
  metLate: 'volcano',
};

/** The same colours as plain CSS, for card borders on the board. */
export const CLOCK_HEX: Record<ClockState, string> = {
  running: '#1677ff',
  atRisk: '#fa8c16',
  overdue: '#f5222d',
  met: '#52c41a',
  metLate: '#fa541c',
};

/** The board's columns: the open statuses and completed. */
export const BOARD_STATUSES = ['submitted', 'accepted', 'dispatched', 'arrived', 'inProgress', 'paused', 'completed'] as const satisfies readonly TicketStatus[];

/** The current time, ticking every `ms` so countdowns move without refetching. */
export function useNow(ms = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/** A running clock's state now (the server's state is as of the last fetch); a stopped one keeps its state. */
export function liveState(c: Clock, now: number): ClockState {
  if (c.doneAt) return c.state;
  const due = Date.parse(c.dueAt);
  if (now > due) return 'overdue';
  if (c.warnAt && now >= Date.parse(c.warnAt)) return 'atRisk';
  return 'running';
}

const RANK: Record<ClockState, number> = { overdue: 4, atRisk: 3, running: 2, metLate: 1, met: 0 };

/** The clock to show for a ticket: the worst running one (earliest due on a tie), else the worst stopped one. */
export function worstClock(clocks: readonly Clock[], now: number): { clock: Clock; state: ClockState } | null {
  let best: { clock: Clock; state: ClockState } | null = null;
  for (const c of clocks) {
    const state = liveState(c, now);
    if (!best || RANK[state] > RANK[best.state] || (RANK[state] === RANK[best.state] && c.dueAt < best.clock.dueAt)) best = { clock: c, state };
  }
  return best;
}

/** "25 分钟", "3 小时 20 分钟", "2 天 4 小时" — at most two units. */
export function formatSpan(ms: number, t: TFunction): string {
  const minutes = Math.max(1, Math.round(Math.abs(ms) / 60_000));
  if (minutes < 60) return t('servicedesk.span.minutes', { count: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    const rest = minutes % 60;
    return hours < 10 && rest > 0 ? `${t('servicedesk.span.hours', { count: hours })} ${t('servicedesk.span.minutes', { count: rest })}` : t('servicedesk.span.hours', { count: hours });
  }
  const days = Math.floor(hours / 24);
  const restHours = hours % 24;
  return restHours > 0 ? `${t('servicedesk.span.days', { count: days })} ${t('servicedesk.span.hours', { count: restHours })}` : t('servicedesk.span.days', { count: days });
}

/** "剩 25 分钟" / "超时 2 小时" for a running clock; null once it stopped. */
export function countdown(c: Clock, now: number, t: TFunction): string | null {
  if (c.doneAt) return null;
  const left = Date.parse(c.dueAt) - now;
  return left >= 0 ? t('servicedesk.clock.left', { span: formatSpan(left, t) }) : t('servicedesk.clock.over', { span: formatSpan(left, t) });
}

/** Masks the middle of a phone number: 138****8001. */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  if (phone.includes('*')) return phone;
  return phone.length >= 11 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : phone;
}

/** 分 → "¥12.50". */
export function formatFen(fen: number | null | undefined): string {
  return fen === null || fen === undefined ? '—' : `¥${(fen / 100).toFixed(2)}`;
}
