import { useNavigate } from 'react-router-dom';
import { Badge, Button, Card, Empty, Flex, Spin, Typography, theme } from 'antd';
import { UnorderedListOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useCurrentCommunity } from '../../../app/console/community.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useTicketsByStatus, type TicketSummary } from '../api.ts';
import { WorstClockTag } from '../components/Tags.tsx';
import { BOARD_STATUSES, CLOCK_HEX, useNow, worstClock } from '../labels.ts';

const PER_COLUMN = 50;
const COLUMN_COLOR: Record<(typeof BOARD_STATUSES)[number], string> = {
  submitted: '#faad14',
  accepted: '#13c2c2',
  dispatched: '#1677ff',
  arrived: '#2f54eb',
  inProgress: '#722ed1',
  paused: '#8c8c8c',
  completed: '#52c41a',
};

function TicketCard({ ticket, now, onOpen }: { ticket: TicketSummary; now: number; onOpen: () => void }) {
  const { t } = useTranslation();
  const worst = worstClock(ticket.clocks, now);
  return (
    <Card
      size="small"
      hoverable
      onClick={onOpen}
      style={{ borderLeft: `4px solid ${worst ? CLOCK_HEX[worst.state] : '#d9d9d9'}` }}
      styles={{ body: { padding: '8px 10px' } }}
      data-testid="board-card"
      data-no={ticket.no}
      data-clock={worst?.state ?? ''}
    >
      <Typography.Text type="secondary" style={{ fontSize: 12, fontFamily: 'ui-monospace, Menlo, Consolas, monospace' }}>
        {ticket.no}
      </Typography.Text>
      <Typography.Paragraph strong ellipsis={{ rows: 2 }} style={{ margin: '2px 0 6px' }}>
        {ticket.title}
      </Typography.Paragraph>
      <Flex justify="space-between" align="center" gap={6} wrap>
        <Typography.Text type="secondary" ellipsis style={{ fontSize: 12, maxWidth: 110 }}>
          {ticket.assigneeName ?? (ticket.inPool ? t('servicedesk.ticket.inPool') : t('servicedesk.board.unassigned'))}
        </Typography.Text>
        <WorstClockTag clocks={ticket.clocks} now={now} />
      </Flex>
    </Card>
  );
}

/** 工单看板: one column per status of the header's community (or all); a card's edge shows its worst clock. */
export default function BoardPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { token } = theme.useToken();
  const { community } = useCurrentCommunity();
  const now = useNow();
  const columns = useTicketsByStatus(BOARD_STATUSES, { communityId: community?.id, pageSize: PER_COLUMN });
  const failed = columns.find((c) => c.error);

  return (
    <>
      <PageHeader
        title={t('servicedesk.board.title')}
        subtitle={t('servicedesk.board.subtitle')}
        extra={
          <Button icon={<UnorderedListOutlined />} onClick={() => navigate('/tickets')}>
            {t('servicedesk.queue.title')}
          </Button>
        }
      />
      {failed && <QueryError error={failed.error} onRetry={() => columns.forEach((c) => void c.refetch())} />}
      <div style={{ overflowX: 'auto', paddingBottom: 8 }} data-testid="ticket-board">
        <Flex gap={12} align="flex-start" style={{ minWidth: BOARD_STATUSES.length * 232 }}>
          {BOARD_STATUSES.map((status, i) => {
            const col = columns[i]!;
            const items = col.data?.items ?? [];
            return (
              <div
                key={status}
                data-testid={`board-column-${status}`}
                style={{ flex: '1 1 0', minWidth: 220, background: token.colorFillQuaternary, borderRadius: token.borderRadiusLG, padding: 8 }}
              >
                <Flex justify="space-between" align="center" style={{ padding: '4px 4px 8px' }}>
                  <Badge color={COLUMN_COLOR[status]} text={<Typography.Text strong>{t(`servicedesk.statuses.${status}`)}</Typography.Text>} />
                  <Typography.Text type="secondary" data-testid="board-count">
                    {col.data?.total ?? 0}
                  </Typography.Text>
                </Flex>
                <Flex vertical gap={8} style={{ maxHeight: 'calc(100vh - 260px)', overflowY: 'auto' }}>
                  {col.isPending ? (
                    <Spin style={{ padding: 24 }} />
                  ) : items.length ? (
                    items.map((ticket) => <TicketCard key={ticket.id} ticket={ticket} now={now} onOpen={() => navigate(`/tickets/${ticket.id}`)} />)
                  ) : (
                    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('servicedesk.board.empty')} style={{ margin: '16px 0' }} />
                  )}
                  {(col.data?.total ?? 0) > items.length && (
                    <Typography.Text type="secondary" style={{ fontSize: 12, textAlign: 'center' }}>
                      {t('servicedesk.board.more', { count: (col.data?.total ?? 0) - items.length })}
                    </Typography.Text>
                  )}
                </Flex>
              </div>
            );
          })}
        </Flex>
      </div>
    </>
  );
}
