import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../../lib/format.ts';
import type { Clock, TicketStatus, Urgency } from '../api.ts';
import { CLOCK_COLOR, countdown, liveState, STATUS_COLOR, worstClock } from '../labels.ts';

export function TicketStatusTag({ status, testId }: { status: TicketStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOR[status]} data-testid={testId} data-status={status} style={{ marginInlineEnd: 0 }}>
      {t(`servicedesk.statuses.${status}`)}
    </Tag>
  );
}

export function UrgencyTag({ urgency }: { urgency: Urgency }) {
  const { t } = useTranslation();
  return urgency === 'urgent' ? <Tag color="red">{t('servicedesk.urgencies.urgent')}</Tag> : <Tag>{t('servicedesk.urgencies.normal')}</Tag>;
}

/** One clock: its name, state colour and the time left or over ("响应 · 剩 25 分钟"). */
export function ClockTag({ clock, now, showName = true, testId }: { clock: Clock; now: number; showName?: boolean; testId?: string }) {
  const { t } = useTranslation();
  const state = liveState(clock, now);
  const left = countdown(clock, now, t);
  const text = [showName ? t(`servicedesk.clocks.${clock.clock}`) : null, left ?? t(`servicedesk.clockStates.${state}`)].filter(Boolean).join(' · ');
  return (
    <Tooltip title={t('servicedesk.clock.dueAt', { time: formatDateTime(clock.dueAt) })}>
      <Tag color={CLOCK_COLOR[state]} data-testid={testId} data-state={state} style={{ marginInlineEnd: 0, whiteSpace: 'nowrap' }}>
        {text}
      </Tag>
    </Tooltip>
  );
}

/** The ticket's worst clock, for lists and cards; a dash when the ticket has none. */
export function WorstClockTag({ clocks, now }: { clocks: readonly Clock[]; now: number }) {
  const worst = worstClock(clocks, now);
  if (!worst) return <span>—</span>;
  return <ClockTag clock={worst.clock} now={now} testId="ticket-worst-clock" />;
}
