import { Tag, Tooltip } from 'antd';
import { WarningOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { Task, TaskPoint } from '../api.ts';

/** Small shared pieces of the patrol pages. */

export const STATUS_COLOR: Record<Task['status'], string> = { open: 'processing', done: 'success', partial: 'warning', missed: 'error' };
export const POINT_COLOR: Record<TaskPoint['status'], string> = { pending: 'default', done: 'green', missed: 'red' };

export const hm = (iso: string) => dayjs(iso).format('HH:mm');
/** 14:00–15:00, or 23:00–次日01:00 when the window ends on the next day. */
export function windowText(start: string, end: string, nextDayLabel: string) {
  const s = dayjs(start);
  const e = dayjs(end);
  return `${s.format('HH:mm')}–${e.isSame(s, 'day') ? '' : nextDayLabel}${e.format('HH:mm')}`;
}

/** A task's status; an open round whose window has not begun yet reads 未开始. */
export function TaskStatusTag({ status, windowStart }: { status: Task['status']; windowStart?: string }) {
  const { t } = useTranslation();
  if (status === 'open' && windowStart && Date.parse(windowStart) > Date.now()) {
    return (
      <Tag data-testid="patrol-task-status" data-status="upcoming">
        {t('patrols.taskStatus.upcoming')}
      </Tag>
    );
  }
  return (
    <Tag color={STATUS_COLOR[status]} data-testid="patrol-task-status" data-status={status}>
      {t(`patrols.taskStatus.${status}`)}
    </Tag>
  );
}

export function PointTag({ point, onTicket }: { point: TaskPoint; onTicket?: (id: string) => void }) {
  const { t } = useTranslation();
  const tip = point.status === 'done' && point.doneAt ? `${t('patrols.doneAt')} ${hm(point.doneAt)}` : t(`patrols.pointStatus.${point.status}`);
  return (
    <Tooltip title={tip}>
      <Tag
        color={point.abnormal ? 'volcano' : POINT_COLOR[point.status]}
        data-testid="patrol-point"
        data-status={point.status}
        style={{ marginBottom: 4, cursor: point.ticketId && onTicket ? 'pointer' : undefined }}
        onClick={point.ticketId && onTicket ? () => onTicket(point.ticketId!) : undefined}
      >
        {point.abnormal && <WarningOutlined style={{ marginRight: 4 }} />}
        {point.checkpointNo}. {point.name}
        {point.status === 'missed' && ` · ${t('patrols.pointStatus.missed')}`}
      </Tag>
    </Tooltip>
  );
}
