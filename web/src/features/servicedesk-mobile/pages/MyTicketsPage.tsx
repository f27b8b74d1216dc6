import { Link } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Empty, Flex, Skeleton, Tag, Typography } from 'antd';
import { PlusOutlined, RightOutlined, StarFilled } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/QueryError.tsx';
import { deskKeys, useMyTickets, useNotificationStream } from '../api.ts';
import { placeOf } from '../labels.ts';
import { StatusTag } from '../components/StatusTag.tsx';

/** 我的报事: what I reported, newest first, with where each one is; a tap opens it. */
export function MyTicketsPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const list = useMyTickets();
  // Dispatched, completed, visited: the list follows as the office works.
  useNotificationStream(() => void qc.invalidateQueries({ queryKey: deskKeys.myTickets }));

  return (
    <div className="m-page">
      <Link to="/tickets/new">
        <Button type="primary" size="large" block icon={<PlusOutlined />} style={{ marginBottom: 12 }} data-testid="m-ticket-new-link">
          {t('servicedeskMobile.newTicket')}
        </Button>
      </Link>
      {list.error ? (
        <QueryError error={list.error} onRetry={() => void list.refetch()} />
      ) : !list.data ? (
        <div className="m-card">
          <Skeleton active />
        </div>
      ) : list.data.items.length === 0 ? (
        <div className="m-card">
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('servicedeskMobile.noTickets')} />
        </div>
      ) : (
        <Flex vertical gap={10}>
          {list.data.items.map((r) => (
            <Link key={r.id} to={`/tickets/${r.id}`} className="m-card m-row-link" data-testid="m-ticket-row" data-no={r.no}>
              <Flex justify="space-between" align="flex-start" gap={8}>
                <div style={{ minWidth: 0 }}>
                  <Typography.Text strong style={{ fontSize: 16 }} ellipsis>
                    {r.title}
                  </Typography.Text>
                  <div className="m-sub">
                    {t(`servicedeskMobile.kinds.${r.kind}`)} · {r.categoryName}
                    {r.urgency === 'urgent' && (
                      <Tag color="red" style={{ marginInlineStart: 6 }}>
                        {t('servicedeskMobile.urgentTag')}
                      </Tag>
                    )}
                  </div>
                  <div className="m-sub">{placeOf(r)}</div>
                  <div className="m-sub">
                    {r.no} · {dayjs(r.reportedAt).format('YYYY-MM-DD HH:mm')}
                  </div>
                </div>
                <Flex vertical align="flex-end" gap={6} style={{ flex: 'none' }}>
                  <StatusTag status={r.status} testId="m-ticket-status" />
                  {r.rating !== null && (
                    <span style={{ color: '#faad14', fontSize: 13 }}>
                      <StarFilled /> {r.rating}
                    </span>
                  )}
                  <RightOutlined style={{ color: '#bbb' }} />
                </Flex>
              </Flex>
            </Link>
          ))}
        </Flex>
      )}
    </div>
  );
}
