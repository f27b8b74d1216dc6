import { useParams, useNavigate } from 'react-router-dom';
import { Alert, Button, Flex, Skeleton, Tag, Typography } from 'antd';
import { LeftOutlined, PhoneOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/QueryError.tsx';
import { useMyTicket } from '../api.ts';
import { placeOf } from '../labels.ts';
import { StatusTag } from '../components/StatusTag.tsx';
import { TicketTimeline } from '../components/TicketTimeline.tsx';
import { TicketPhotos } from '../components/TicketPhotos.tsx';
import { CancelAction, RatePanel, RatingShown, ReworkAction, VisitPanel } from '../components/OwnerPanels.tsx';

/**
 * One of my reports: where it stands, its story (受理, 派单, 到场, 完成…), the photos before and after, and what I
 * can do now — rate the work, ask for it to be redone, answer the return visit, or withdraw it before dispatch.
 */
export function MyTicketPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const q = useMyTicket(id);

  if (q.error) return <div className="m-page"><QueryError error={q.error} onRetry={() => void q.refetch()} /></div>;
  if (!q.data) return <div className="m-page"><Skeleton active /></div>;
  const ticket = q.data;
  const can = (a: (typeof ticket.actions)[number]) => ticket.actions.includes(a);
  // The return-visit questions come after the rating, not beside it (both ask how satisfied the owner is).
  const visitOpen = ticket.returnVisit && (ticket.returnVisit.status === 'pending' || ticket.returnVisit.status === 'unreachable') && ticket.status === 'confirmed';

  return (
    <div className="m-page" data-testid="m-ticket" data-status={ticket.status}>
      <Button type="link" icon={<LeftOutlined />} onClick={() => navigate('/tickets')} style={{ paddingInline: 0, marginBottom: 4 }}>
        {t('servicedeskMobile.myTickets')}
      </Button>

      <div className="m-card">
        <Flex justify="space-between" align="flex-start" gap={8}>
          <Typography.Title level={5} style={{ margin: 0, minWidth: 0, overflowWrap: 'anywhere' }} data-testid="m-ticket-heading">
            {ticket.title}
          </Typography.Title>
          <StatusTag status={ticket.status} testId="m-ticket-status" />
        </Flex>
        <div className="m-sub" style={{ marginTop: 6 }}>
          {t(`servicedeskMobile.kinds.${ticket.kind}`)} · {ticket.categoryName}
          {ticket.urgency === 'urgent' && (
            <Tag color="red" style={{ marginInlineStart: 6 }}>
              {t('servicedeskMobile.urgentTag')}
            </Tag>
          )}
        </div>
        <div className="m-sub">{placeOf(ticket)}</div>
        <div className="m-sub">
          {ticket.no} · {dayjs(ticket.reportedAt).format('YYYY-MM-DD HH:mm')}
        </div>
        {ticket.description && <div className="m-desc">{ticket.description}</div>}
        {ticket.assigneeName && !['submitted', 'accepted', 'cancelled'].includes(ticket.status) && (
          <div className="m-sub" style={{ marginTop: 8 }} data-testid="m-ticket-assignee">
            {t('servicedeskMobile.handledBy', { name: ticket.assigneeName })}
          </div>
        )}
        {ticket.replyText && (
          <Alert type="info" showIcon style={{ marginTop: 10 }} title={t('servicedeskMobile.officeReply')} description={ticket.replyText} />
        )}
        {ticket.status === 'cancelled' && ticket.cancelReason && <div className="m-sub" style={{ marginTop: 8 }}>{t('servicedeskMobile.cancelReason', { reason: ticket.cancelReason })}</div>}
      </div>

      {can('confirm') && <Alert type="success" showIcon style={{ marginBottom: 12 }} title={t('servicedeskMobile.completedHint')} data-testid="m-completed-hint" />}

      <div className="m-card">
        <div className="m-card-title">{t('servicedeskMobile.progress')}</div>
        <TicketTimeline ticket={ticket} />
      </div>

      {ticket.attachments.length > 0 && (
        <div className="m-card">
          <div className="m-card-title">{t('servicedeskMobile.photos')}</div>
          <TicketPhotos ticket={ticket} />
        </div>
      )}

      {can('confirm') && <RatePanel key={`rate-${ticket.reworkCount}`} ticket={ticket} />}
      <RatingShown ticket={ticket} />
      {visitOpen && <VisitPanel ticket={ticket} />}
      <Flex vertical gap={10}>
        {can('rework') && <ReworkAction ticket={ticket} />}
        {can('cancel') && <CancelAction ticket={ticket} />}
      </Flex>
      {ticket.status === 'completed' || ticket.status === 'confirmed' ? null : ticket.status !== 'closed' && ticket.status !== 'cancelled' ? (
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center', marginTop: 16, fontSize: 13 }}>
          <PhoneOutlined /> {t('servicedeskMobile.callHint')}
        </Typography.Paragraph>
      ) : null}
    </div>
  );
}
