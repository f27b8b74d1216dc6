import { Tag } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { CleaningItem, TaskState } from '../api.ts';

/** The colour of each task state, the same on the board, the history and the phone. */
export const STATE_COLORS: Record<TaskState, string> = { open: 'blue', overdue: 'orange', done: 'green', late: 'gold', missed: 'red' };
export const STATE_HEX: Record<TaskState, string> = { open: '#1677ff', overdue: '#fa8c16', done: '#52c41a', late: '#faad14', missed: '#ff4d4f' };

export function StateTag({ state }: { state: TaskState }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATE_COLORS[state]} data-testid={`state-${state}`}>
      {t(`cleaning.state.${state}`)}
    </Tag>
  );
}

/** 08:00–10:00 in the browser's zone (the community's, for staff on site). */
export function windowText(startsAt: string, dueAt: string): string {
  const a = dayjs(startsAt);
  const b = dayjs(dueAt);
  return a.isSame(b, 'day') ? `${a.format('HH:mm')}–${b.format('HH:mm')}` : `${a.format('HH:mm')}–${b.format('MM-DD HH:mm')}`;
}

/** "每天 2 次 08:00、15:00", "每周二、五 10:00", "每月 10 日 09:00". */
export function useScheduleText() {
  const { t } = useTranslation();
  const days = t('cleaning.weekdays').split(',');
  return (i: Pick<CleaningItem, 'frequency' | 'times' | 'weekdays' | 'monthDay' | 'month'>) => {
    const times = i.times.join('、');
    switch (i.frequency) {
      case 'daily':
        return i.times.length > 1 ? `${t('cleaning.itemForm.perDay', { n: i.times.length })} ${times}` : `${t('cleaning.frequency.daily')} ${times}`;
      case 'weekly':
        return `${t('cleaning.frequency.weekly')}${t('cleaning.weekdayPrefix')}${i.weekdays.map((d) => days[d - 1]).join('、')} ${times}`;
      case 'halfMonthly':
        return `${t('cleaning.frequency.halfMonthly')} ${times}`;
      case 'monthly':
        return `${t('cleaning.itemForm.everyMonth', { d: i.monthDay })} ${times}`;
      case 'yearly':
        return `${t('cleaning.itemForm.everyYear', { m: i.month, d: i.monthDay })} ${times}`;
    }
  };
}
