import { useState } from 'react';
import { Alert, App, Button, Card, Col, DatePicker, Flex, Form, Input, Popconfirm, Radio, Row, Select, Table, Tag, Tooltip, Typography, theme } from 'antd';
import { CheckCircleOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { calendarDayBody } from '../../../../../../src/modules/servicedesk/config-schema.ts';
import { QueryError } from '../../../../components/QueryError.tsx';
import { showServerErrors, zodField } from '../../../../lib/form.ts';
import { useAddCalendarYear, useCalendar, useRemoveCalendarDay, useSetCalendarDay, type WorkCalendar } from '../../config-api.ts';

type Entry = WorkCalendar['days'][number];

const HOLIDAY = '#ff4d4f';
const WORKDAY = '#1677ff';

/** One month as a grid, Monday first: holidays in red, make-up working days in blue, weekends grey. */
function Month({ year, month, days }: { year: number; month: number; days: Map<string, Entry> }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const first = dayjs(new Date(year, month, 1));
  const lead = (first.day() + 6) % 7;
  const cells: Array<Dayjs | null> = [...Array.from({ length: lead }, () => null), ...Array.from({ length: first.daysInMonth() }, (_, i) => first.date(i + 1))];
  return (
    <Card size="small" title={t('servicedesk.settings.calendar.month', { month: month + 1 })} styles={{ body: { padding: 8 } }}>
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(7, 1fr)', gap: 2, textAlign: 'center', fontSize: 12 }}>
        {t('servicedesk.settings.calendar.weekdays').split(',').map((w) => (
          <div key={w} style={{ color: token.colorTextTertiary }}>
            {w}
          </div>
        ))}
        {cells.map((d, i) => {
          if (!d) return <div key={`x${i}`} />;
          const key = d.format('YYYY-MM-DD');
          const entry = days.get(key);
          const weekend = d.day() === 0 || d.day() === 6;
          const bg = entry ? (entry.kind === 'holiday' ? HOLIDAY : WORKDAY) : 'transparent';
          const cell = (
            <div
              data-testid="calendar-day"
              data-day={key}
              data-kind={entry?.kind ?? (weekend ? 'weekend' : 'weekday')}
              style={{
                lineHeight: '22px',
                borderRadius: 4,
                background: bg,
                color: entry ? '#fff' : weekend ? token.colorTextTertiary : token.colorText,
                outline: entry?.source === 'company' ? `2px solid ${token.colorWarning}` : undefined,
              }}
            >
              {d.date()}
            </div>
          );
          return entry ? (
            <Tooltip key={key} title={`${entry.name || t(`servicedesk.settings.calendar.kinds.${entry.kind}`)} · ${t(`servicedesk.settings.calendar.sources.${entry.source}`)}`}>
              {cell}
            </Tooltip>
          ) : (
            <div key={key}>{cell}</div>
          );
        })}
      </div>
    </Card>
  );
}

/** 工作日历: the official holidays and make-up days shipped with Anju, and the company's own changes. */
export function CalendarTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [year, setYear] = useState(dayjs().year());
  const cal = useCalendar(year);
  const setDay = useSetCalendarDay();
  const removeDay = useRemoveCalendarDay();
  const addYear = useAddCalendarYear();
  const [form] = Form.useForm<{ day: Dayjs; kind: 'holiday' | 'workday'; name?: string }>();
  const [formError, setFormError] = useState<string | null>(null);
  const days = new Map((cal.data?.days ?? []).map((d) => [d.day, d]));
  const thisYear = dayjs().year();

  const add = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setFormError(null);
    setDay.mutate(
      { day: v.day.format('YYYY-MM-DD'), input: { kind: v.kind, name: v.name?.trim() ?? '' } },
      {
        onSuccess: () => {
          void message.success(t('common.saved'));
          form.resetFields(['day', 'name']);
          if (v.day.year() !== year) setYear(v.day.year());
        },
        onError: (err) => setFormError(showServerErrors(form, err)),
      },
    );
  };

  return (
    <>
      <Flex justify="space-between" align="center" gap={12} wrap style={{ marginBottom: 16 }}>
        <Flex gap={12} align="center" wrap>
          <Select
            value={year}
            onChange={setYear}
            style={{ width: 120 }}
            options={Array.from({ length: 5 }, (_, i) => thisYear - 2 + i).map((y) => ({ value: y, label: t('servicedesk.settings.calendar.year', { year: y }) }))}
            data-testid="calendar-year"
          />
          {cal.data &&
            (cal.data.known ? (
              <Tag color="success" icon={<CheckCircleOutlined />} data-testid="calendar-known">
                {t('servicedesk.settings.calendar.known')}
              </Tag>
            ) : (
              <Tag color="warning" data-testid="calendar-known">
                {t('servicedesk.settings.calendar.unknown')}
              </Tag>
            ))}
          <Flex gap={12} style={{ fontSize: 12 }}>
            <span><Tag color={HOLIDAY}>{t('servicedesk.settings.calendar.kinds.holiday')}</Tag></span>
            <span><Tag color={WORKDAY}>{t('servicedesk.settings.calendar.kinds.workday')}</Tag></span>
            <Typography.Text type="secondary">{t('servicedesk.settings.calendar.companyLegend')}</Typography.Text>
          </Flex>
        </Flex>
        {cal.data && !cal.data.known && (
          <Popconfirm title={t('servicedesk.settings.calendar.markKnownConfirm', { year })} onConfirm={() => addYear.mutate(year, { onSuccess: () => void message.success(t('common.saved')), onError: (e) => void message.error(e.message) })}>
            <Button data-testid="calendar-mark-known">{t('servicedesk.settings.calendar.markKnown')}</Button>
          </Popconfirm>
        )}
      </Flex>
      {cal.data && !cal.data.known && <Alert type="warning" showIcon title={t('servicedesk.settings.calendar.unknownHint', { year })} style={{ marginBottom: 16 }} />}
      {cal.error && <QueryError error={cal.error} onRetry={() => void cal.refetch()} />}
      <Row gutter={[12, 12]} data-testid="calendar-grid">
        {Array.from({ length: 12 }, (_, m) => (
          <Col key={m} xs={24} sm={12} lg={8} xxl={6}>
            <Month year={year} month={m} days={days} />
          </Col>
        ))}
      </Row>

      <Card size="small" title={t('servicedesk.settings.calendar.override')} style={{ marginTop: 16 }}>
        {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} />}
        <Form form={form} layout="inline" initialValues={{ kind: 'holiday' }} style={{ rowGap: 8 }}>
          <Form.Item name="day" rules={[{ required: true, message: t('validation.required') }]}>
            <DatePicker placeholder={t('servicedesk.settings.calendar.day')} data-testid="calendar-day-input" />
          </Form.Item>
          <Form.Item name="kind">
            <Radio.Group optionType="button" options={(['holiday', 'workday'] as const).map((k) => ({ value: k, label: t(`servicedesk.settings.calendar.kinds.${k}`) }))} />
          </Form.Item>
          <Form.Item name="name" {...zodField(calendarDayBody.shape.name)}>
            <Input maxLength={40} placeholder={t('servicedesk.settings.calendar.namePlaceholder')} style={{ width: 220 }} />
          </Form.Item>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => void add()} loading={setDay.isPending} data-testid="calendar-add">
            {t('servicedesk.settings.calendar.add')}
          </Button>
        </Form>
      </Card>

      <Table<Entry>
        style={{ marginTop: 16 }}
        rowKey="day"
        size="small"
        loading={cal.isFetching}
        dataSource={cal.data?.days}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        data-testid="calendar-table"
        columns={[
          { title: t('servicedesk.settings.calendar.day'), dataIndex: 'day', render: (d: string) => `${d}（${dayjs(d).format('dd')}）` },
          { title: t('servicedesk.settings.calendar.kind'), dataIndex: 'kind', render: (k: Entry['kind']) => <Tag color={k === 'holiday' ? HOLIDAY : WORKDAY}>{t(`servicedesk.settings.calendar.kinds.${k}`)}</Tag> },
          { title: t('servicedesk.settings.calendar.name'), dataIndex: 'name', render: (v: string) => v || '—' },
          { title: t('servicedesk.settings.calendar.source'), dataIndex: 'source', render: (s: Entry['source']) => <Tag color={s === 'company' ? 'orange' : undefined}>{t(`servicedesk.settings.calendar.sources.${s}`)}</Tag> },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, e: Entry) =>
              e.source === 'company' ? (
                <Popconfirm title={t('servicedesk.settings.calendar.removeConfirm')} onConfirm={() => removeDay.mutate(e.day, { onSuccess: () => void message.success(t('common.deleted')), onError: (err) => void message.error(err.message) })}>
                  <Button type="link" size="small" danger data-testid="calendar-remove">
                    {t('common.delete')}
                  </Button>
                </Popconfirm>
              ) : null,
          },
        ]}
      />
    </>
  );
}
