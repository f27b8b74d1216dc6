import { useState } from 'react';
import { Empty, Flex, Segmented, Skeleton, Tag, Typography } from 'antd';
import { IdcardOutlined, ScheduleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { mondayOf, weekDays } from '../../../../../src/modules/rosters/rules.ts';
import { nextDay } from '../../../../../src/modules/rosters/onshift.ts';
import { QueryError } from '../../../components/QueryError.tsx';
import { type MyRoster, useMyRoster } from '../../rosters/api.ts';
import { STATUS_COLORS, useCertName, WEEKDAYS } from '../../rosters/components/labels.ts';

type Week = 'this' | 'next';

/** 我的排班: my shifts day by day for this week and next (days off and leave shown), and my certificates. */
export function MyRosterPage() {
  const { t } = useTranslation();
  const q = useMyRoster();
  const [week, setWeek] = useState<Week>('this');
  const certName = useCertName();
  if (q.error) return <div className="m-page"><QueryError error={q.error} onRetry={() => void q.refetch()} /></div>;
  if (!q.data) return <div className="m-page"><div className="m-card"><Skeleton active /></div></div>;
  const { today, entries, certificates } = q.data;
  const monday = week === 'this' ? mondayOf(today) : nextDay(mondayOf(today), 7);
  return (
    <div className="m-page" data-testid="m-roster">
      <Segmented<Week>
        block
        size="large"
        value={week}
        onChange={setWeek}
        options={[
          { value: 'this', label: t('rosters.mobile.thisWeek') },
          { value: 'next', label: t('rosters.mobile.nextWeek') },
        ]}
        style={{ marginBottom: 12 }}
      />
      <div className="m-card">
        <div className="m-card-title">
          <ScheduleOutlined />
          {t('rosters.mobile.title')}
        </div>
        <Flex vertical gap={8}>
          {weekDays(monday).map((day, i) => (
            <DayRow key={day} day={day} weekday={t(`rosters.board.weekdays.${WEEKDAYS[i]}`)} today={day === today} entries={entries.filter((e) => e.day === day)} />
          ))}
        </Flex>
      </div>
      <div className="m-card" data-testid="m-roster-certs">
        <div className="m-card-title">
          <IdcardOutlined />
          {t('rosters.mobile.certificates')}
        </div>
        {certificates.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('rosters.mobile.noCertificates')} />
        ) : (
          <Flex vertical gap={8}>
            {certificates.map((c) => (
              <Flex key={c.id} className="m-list-item" justify="space-between" align="center">
                <div>
                  <div style={{ fontWeight: 500 }}>{certName(c.kind)}</div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {c.number} · {c.expiresOn ?? t('rosters.certs.noExpiry')}
                  </Typography.Text>
                </div>
                <Flex vertical align="flex-end" gap={2}>
                  <Tag color={STATUS_COLORS[c.status]} style={{ marginInlineEnd: 0 }}>
                    {t(`rosters.certs.statuses.${c.status}`)}
                  </Tag>
                  {c.daysLeft !== null && c.daysLeft >= 0 && c.status !== 'valid' && (
                    <Typography.Text type="warning" style={{ fontSize: 12 }}>
                      {t('rosters.certs.daysLeftValue', { days: c.daysLeft })}
                    </Typography.Text>
                  )}
                </Flex>
              </Flex>
            ))}
          </Flex>
        )}
      </div>
    </div>
  );
}

function DayRow({ day, weekday, today, entries }: { day: string; weekday: string; today: boolean; entries: MyRoster['entries'] }) {
  const { t } = useTranslation();
  return (
    <Flex className="m-list-item" gap={12} align="center" style={today ? { background: '#e6f4ff', boxShadow: 'inset 3px 0 0 #1677ff' } : undefined} data-testid={`m-roster-day-${day}`}>
      <div style={{ width: 52, textAlign: 'center' }}>
        <div style={{ fontWeight: 600 }}>{today ? t('rosters.mobile.today') : weekday}</div>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {day.slice(5)}
        </Typography.Text>
      </div>
      <Flex vertical gap={4} style={{ flex: 1 }}>
        {entries.length === 0 && <Typography.Text type="secondary">{t('rosters.mobile.noEntry')}</Typography.Text>}
        {entries.map((e, i) =>
          e.kind !== 'work' ? (
            <Tag key={i} color={e.kind === 'leave' ? 'orange' : 'default'} style={{ alignSelf: 'flex-start' }}>
              {t(`rosters.mobile.${e.kind}`)}
            </Tag>
          ) : (
            <div key={i}>
              <span style={{ fontWeight: 600, fontSize: 15 }}>{e.shift?.name}</span>{' '}
              <span style={{ fontVariantNumeric: 'tabular-nums' }}>
                {e.shift?.startTime}–{e.shift?.endTime === '00:00' ? '24:00' : e.shift?.endTime}
                {e.shift?.crossesMidnight ? `（${t('rosters.mobile.crossesMidnight')}）` : ''}
              </span>
              <div style={{ fontSize: 12, color: '#888' }}>
                {e.post ?? ''}
                {e.post ? ' · ' : ''}
                {e.community.name}
              </div>
            </div>
          ),
        )}
      </Flex>
    </Flex>
  );
}
