import { useState } from 'react';
import { Link } from 'react-router-dom';
import { App, Button, Col, DatePicker, Descriptions, Drawer, Flex, Row, Table, Tag, Typography } from 'antd';
import { CheckOutlined, MinusOutlined, PrinterOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../../components/QueryError.tsx';
import { formatDateTime, formatYuan } from '../../../../lib/format.ts';
import { campaignNoticesPdf, openPdf, useCampaign, type Recipient } from '../../api-arrears.ts';
import { ChannelTags, TaskStateTag } from './labels.tsx';
import { GREEN, Kpi, Money, RED } from './shared.tsx';

const Sent = ({ v }: { v: boolean }) => (v ? <CheckOutlined style={{ color: GREEN }} /> : <MinusOutlined style={{ color: '#bfbfbf' }} />);

/** One campaign: what it reached, what each room owed then and owes today, what was paid since; its notices. */
export function CampaignDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const q = useCampaign(id);
  const c = q.data;
  const [payBy, setPayBy] = useState<Dayjs | null>(null);
  const [printing, setPrinting] = useState(false);

  const print = () => {
    if (!id) return;
    setPrinting(true);
    openPdf(() => campaignNoticesPdf(id, { payBy: payBy?.format('YYYY-MM-DD') }), t('billingArrears.collection.noticesFile'))
      .then((opened) => void message.success(opened ? t('billingArrears.common.pdfOpened') : t('billingArrears.common.pdfBlocked', { name: t('billingArrears.collection.noticesFile') })))
      .catch((err: Error) => void message.error(err.message))
      .finally(() => setPrinting(false));
  };

  const paidSince = c ? c.recipients.reduce((s, r) => s + r.paidSinceFen, 0) : 0;
  const stillOwing = c ? c.recipients.filter((r) => r.currentOwedFen > 0).length : 0;

  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      size={1040}
      title={c ? c.title : t('billingArrears.collection.detail')}
      destroyOnHidden
      data-testid="campaign-drawer"
      extra={
        <Flex gap={8} align="center">
          <DatePicker value={payBy} onChange={setPayBy} placeholder={t('billingArrears.collection.payBy')} disabledDate={(d) => d.isBefore(dayjs(), 'day')} style={{ width: 190 }} data-testid="campaign-payby" />
          <Button type="primary" icon={<PrinterOutlined />} loading={printing} onClick={print} disabled={!c || stillOwing === 0} data-testid="campaign-print">
            {t('billingArrears.collection.printNotices')}
          </Button>
        </Flex>
      }
    >
      {q.error && <QueryError error={q.error} onRetry={() => void q.refetch()} />}
      {c && (
        <>
          <Descriptions size="small" column={3} style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t('billingArrears.common.community')}>{c.communityName}</Descriptions.Item>
            <Descriptions.Item label={t('billingArrears.collection.channels')}>
              <ChannelTags channels={c.channels} />
            </Descriptions.Item>
            <Descriptions.Item label={t('billingArrears.collection.createdAt')}>
              {formatDateTime(c.createdAt)} · {c.createdBy ?? '—'}
            </Descriptions.Item>
            {(c.minOwedFen > 0 || c.minOverdueDays > 0) && (
              <Descriptions.Item label={t('billingArrears.collection.filters')} span={3}>
                <Flex gap={4} wrap>
                  {c.minOwedFen > 0 && <Tag>{t('billingArrears.collection.minOwed', { amount: formatYuan(c.minOwedFen) })}</Tag>}
                  {c.minOverdueDays > 0 && <Tag>{t('billingArrears.collection.minDays', { days: c.minOverdueDays })}</Tag>}
                </Flex>
              </Descriptions.Item>
            )}
          </Descriptions>
          <Row gutter={[12, 12]} style={{ marginBottom: 16 }}>
            <Col span={6}>
              <Kpi title={t('billingArrears.collection.rooms')} value={c.roomCount} hint={<Typography.Text type="secondary">{t('billingArrears.collection.smsCount')} {c.smsCount} · {t('billingArrears.collection.inAppCount')} {c.inAppCount} · {t('billingArrears.collection.taskCount')} {c.taskCount}</Typography.Text>} />
            </Col>
            <Col span={6}>
              <Kpi title={t('billingArrears.collection.totalOwed')} value={formatYuan(c.totalOwedFen)} suffix={t('billingArrears.common.yuan')} />
            </Col>
            <Col span={6}>
              <Kpi title={t('billingArrears.collection.paidSinceTotal')} value={formatYuan(paidSince)} suffix={t('billingArrears.common.yuan')} color={paidSince > 0 ? GREEN : undefined} testId="campaign-paid-since" />
            </Col>
            <Col span={6}>
              <Kpi title={t('billingArrears.collection.owedNow')} value={t('billingArrears.collection.stillOwing', { count: stillOwing })} color={stillOwing > 0 ? RED : GREEN} />
            </Col>
          </Row>
          <Typography.Title level={5}>{t('billingArrears.collection.recipients')}</Typography.Title>
          <Table<Recipient>
            size="small"
            rowKey="roomId"
            dataSource={c.recipients}
            pagination={{ pageSize: 20, showSizeChanger: false }}
            scroll={{ x: 'max-content' }}
            data-testid="campaign-recipients"
            columns={[
              { title: t('billingArrears.common.room'), dataIndex: 'roomLabel', render: (v: string, r) => <Link to={`/estate/rooms/${r.roomId}`}>{v}</Link> },
              { title: t('billingArrears.common.owner'), dataIndex: 'ownerName', render: (v: string | null) => v ?? '—' },
              { title: t('billingArrears.collection.owedThen'), dataIndex: 'owedFen', align: 'right', render: (v: number) => <Money fen={v} /> },
              { title: t('billingArrears.collection.owedNow'), dataIndex: 'currentOwedFen', align: 'right', render: (v: number) => (v > 0 ? <Money fen={v} type="danger" strong /> : <Tag color="success">{t('billingArrears.tasks.paidOff')}</Tag>) },
              { title: t('billingArrears.collection.paidSince'), dataIndex: 'paidSinceFen', align: 'right', sorter: (a, b) => a.paidSinceFen - b.paidSinceFen, render: (v: number) => (v ? <Money fen={v} type="success" /> : <Typography.Text type="secondary">0.00</Typography.Text>) },
              { title: t('billingArrears.arrears.oldestDue'), dataIndex: 'oldestDueDate' },
              { title: t('billingArrears.collection.channel.sms'), dataIndex: 'smsSent', align: 'center', render: (v: boolean) => <Sent v={v} /> },
              { title: t('billingArrears.collection.channel.inApp'), dataIndex: 'inAppSent', align: 'center', render: (v: boolean) => <Sent v={v} /> },
              { title: t('billingArrears.collection.task'), key: 'task', render: (_: unknown, r) => (r.taskStatus ? <TaskStateTag status={r.taskStatus} outcome={r.taskOutcome} /> : '—') },
            ]}
          />
        </>
      )}
    </Drawer>
  );
}
