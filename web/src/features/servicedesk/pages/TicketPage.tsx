import { useEffect, useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Alert, App, Button, Card, Col, Descriptions, Empty, Flex, Image, Rate, Row, Space, Table, Tag, Timeline, Typography } from 'antd';
import { ArrowLeftOutlined, ClockCircleOutlined, FieldTimeOutlined, WarningOutlined } from '@ant-design/icons';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { FullPageSpin } from '../../../components/FullPageSpin.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { useAbilities } from '../../auth/api.ts';
import { useTicket, type Clock, type TicketAction, type TicketDetail, type TicketEvent } from '../api.ts';
import { useGroups } from '../config-api.ts';
import { ActionModal, type ModalAction } from '../components/ActionModal.tsx';
import { DispatchModal } from '../components/DispatchModal.tsx';
import { TicketStatusTag, UrgencyTag } from '../components/Tags.tsx';
import { CLOCK_COLOR, CLOCK_HEX, countdown, formatFen, formatSpan, liveState, maskPhone, useNow } from '../labels.ts';

/** The order the step buttons appear in, the main step first. */
const ORDER: readonly TicketAction[] = ['accept', 'dispatch', 'grab', 'acknowledge', 'arrive', 'start', 'reply', 'complete', 'transfer', 'handBack', 'pause', 'resume', 'close', 'cancel'];
const PRIMARY: readonly TicketAction[] = ['accept', 'dispatch', 'complete', 'close'];
const STAGES = ['report', 'before', 'progress', 'after', 'visit'] as const;

function ClockCard({ clock, now }: { clock: Clock; now: number }) {
  const { t } = useTranslation();
  const state = liveState(clock, now);
  // Running: time left or over. Stopped: how early or late it was met.
  const doneBy = clock.doneAt ? Date.parse(clock.dueAt) - Date.parse(clock.doneAt) : null;
  const big = countdown(clock, now, t) ?? (doneBy !== null && doneBy >= 0 ? t('servicedesk.clock.early', { span: formatSpan(doneBy, t) }) : t('servicedesk.clock.over', { span: formatSpan(doneBy ?? 0, t) }));
  return (
    <Card size="small" style={{ borderTop: `3px solid ${CLOCK_HEX[state]}`, minWidth: 190, flex: '1 1 190px' }} data-testid={`ticket-clock-${clock.clock}`} data-state={state}>
      <Flex justify="space-between" align="center" gap={8}>
        <Typography.Text strong>{t(`servicedesk.clocks.${clock.clock}`)}</Typography.Text>
        <Tag color={CLOCK_COLOR[state]} style={{ marginInlineEnd: 0 }}>
          {t(`servicedesk.clockStates.${state}`)}
        </Tag>
      </Flex>
      <div style={{ marginTop: 8, fontSize: 20, fontWeight: 600, color: CLOCK_HEX[state] }}>{big}</div>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('servicedesk.clock.dueAt', { time: formatDateTime(clock.dueAt) })}
      </Typography.Text>
      {clock.doneAt && (
        <div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('servicedesk.clock.doneAt', { time: formatDateTime(clock.doneAt) })}
          </Typography.Text>
        </div>
      )}
    </Card>
  );
}

/** What a timeline entry adds beyond its action: the clock it concerns, the new deadline, a rating, a charge. */
function eventDetail(e: TicketEvent, t: TFunction): string | null {
  const p = e.payload as { clock?: string; to?: string; rating?: number; chargeFen?: number; auto?: boolean; stage?: string; count?: number };
  const parts: string[] = [];
  if (p.clock && ['respond', 'arrive', 'resolve', 'reply'].includes(p.clock)) parts.push(t(`servicedesk.clocks.${p.clock as Clock['clock']}`));
  if (e.action === 'extend' && p.to) parts.push(t('servicedesk.timeline.extendedTo', { time: formatDateTime(p.to) }));
  if (typeof p.rating === 'number') parts.push('★'.repeat(p.rating));
  if (typeof p.chargeFen === 'number') parts.push(t('servicedesk.timeline.charge', { amount: formatFen(p.chargeFen) }));
  if (e.action === 'photos' && p.stage) parts.push(`${t(`servicedesk.stages.${p.stage as (typeof STAGES)[number]}`)} × ${p.count ?? 0}`);
  if (p.auto) parts.push(t('servicedesk.timeline.auto'));
  return parts.length ? parts.join(' · ') : null;
}

function TicketTimeline({ ticket }: { ticket: TicketDetail }) {
  const { t, i18n } = useTranslation();
  const label = (action: string) => (i18n.exists(`servicedesk.events.${action}`) ? t(`servicedesk.events.${action}` as 'servicedesk.events.create') : action);
  const colour = (e: TicketEvent) => (e.action === 'breach' ? 'red' : e.action === 'warn' ? 'orange' : e.action === 'cancel' ? 'gray' : e.toStatus === 'completed' || e.action === 'close' ? 'green' : 'blue');
  return (
    <Timeline
      data-testid="ticket-timeline"
      items={[...ticket.timeline].reverse().map((e) => {
        const detail = eventDetail(e, t);
        return {
          color: colour(e),
          icon: e.action === 'breach' ? <WarningOutlined /> : e.action === 'extend' ? <FieldTimeOutlined /> : undefined,
          content: (
            <div data-testid="timeline-item" data-action={e.action}>
              <Flex gap={6} wrap align="baseline">
                <Typography.Text strong>{label(e.action)}</Typography.Text>
                {e.toStatus && e.toStatus !== e.fromStatus && <TicketStatusTag status={e.toStatus as TicketDetail['status']} />}
              </Flex>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {formatDateTime(e.at)} · {e.actorName ?? t('servicedesk.timeline.system')}
              </Typography.Text>
              {detail && <div style={{ fontSize: 13 }}>{detail}</div>}
              {e.note && <Typography.Paragraph style={{ margin: 0, fontSize: 13, whiteSpace: 'pre-wrap' }}>{e.note}</Typography.Paragraph>}
            </div>
          ),
        };
      })}
    />
  );
}

function Photos({ ticket }: { ticket: TicketDetail }) {
  const { t } = useTranslation();
  if (ticket.attachments.length === 0) return <Typography.Text type="secondary">{t('servicedesk.detail.noPhotos')}</Typography.Text>;
  return (
    <Image.PreviewGroup>
      <Flex vertical gap={12}>
        {STAGES.map((stage) => {
          const items = ticket.attachments.filter((a) => a.stage === stage);
          if (!items.length) return null;
          return (
            <div key={stage}>
              <Typography.Text type="secondary">{t(`servicedesk.stages.${stage}`)}</Typography.Text>
              <Flex gap={8} wrap style={{ marginTop: 4 }}>
                {items.map((a) => (
                  <Image key={a.fileId} width={88} height={88} style={{ objectFit: 'cover', borderRadius: 6 }} src={`/api/files/${a.fileId}/thumb`} preview={{ src: a.url }} alt="" data-testid="ticket-photo" />
                ))}
              </Flex>
            </div>
          );
        })}
      </Flex>
    </Image.PreviewGroup>
  );
}

function Section({ title, children, extra, testId }: { title: string; children: ReactNode; extra?: ReactNode; testId?: string }) {
  return (
    <Card title={title} extra={extra} size="small" style={{ marginBottom: 16 }} data-testid={testId}>
      {children}
    </Card>
  );
}

/** 工单详情: clocks, facts, photos, materials, approvals, return visit and history, with exactly the steps the server allows. */
export default function TicketPage() {
  const { id } = useParams<{ id: string }>();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useAbilities();
  const now = useNow(15_000);
  const q = useTicket(id);
  const groups = useGroups(q.data?.communityId);
  const [action, setAction] = useState<ModalAction | null>(null);
  const [dispatching, setDispatching] = useState(false);
  const tabTitle = q.data ? `${q.data.no} ${q.data.title}` : null;
  useEffect(() => {
    if (tabTitle) document.title = `${tabTitle} · ${t('app.fullName')}`;
  }, [tabTitle, t]);

  if (q.isPending) return <FullPageSpin />;
  if (q.error || !q.data) return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  const ticket = q.data;
  const canExtend = can('ticket.extendDeadline') && ticket.clocks.some((c) => !c.doneAt) && ticket.status !== 'cancelled' && ticket.status !== 'closed';
  const actions = ORDER.filter((a) => ticket.actions.includes(a));
  const done = (a: string) => void message.success(t('servicedesk.detail.done', { action: t(`servicedesk.actions.${a}` as 'servicedesk.actions.accept') }));
  const groupName = groups.data?.items.find((g) => g.id === ticket.groupId)?.name;
  const stepButton = (a: TicketAction) => (
    <Button
      key={a}
      type={PRIMARY.includes(a) ? 'primary' : 'default'}
      danger={a === 'cancel'}
      onClick={() => (a === 'dispatch' ? setDispatching(true) : setAction(a as ModalAction))}
      data-testid={`ticket-action-${a}`}
    >
      {t(`servicedesk.actions.${a}` as 'servicedesk.actions.accept')}
    </Button>
  );

  return (
    <>
      <Flex justify="space-between" align="flex-start" gap={16} wrap style={{ marginBottom: 16 }}>
        <div>
          <Link to="/tickets" style={{ fontSize: 13 }}>
            <ArrowLeftOutlined /> {t('servicedesk.queue.title')}
          </Link>
          <Flex align="center" gap={10} wrap style={{ marginTop: 6 }}>
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="page-title">
              {ticket.title}
            </Typography.Title>
            <TicketStatusTag status={ticket.status} testId="ticket-status" />
            <UrgencyTag urgency={ticket.urgency} />
            {ticket.severity === 'major' && <Tag color="magenta">{t('servicedesk.severities.major')}</Tag>}
            {ticket.repairSize && <Tag color="purple">{t(`servicedesk.repairSizes.${ticket.repairSize}`)}</Tag>}
          </Flex>
          <Typography.Text type="secondary" data-testid="ticket-no">
            {ticket.no} · {t(`servicedesk.kinds.${ticket.kind}`)} · {ticket.categoryName} · {ticket.communityName}
          </Typography.Text>
        </div>
        <Space wrap data-testid="ticket-actions">
          {actions.map(stepButton)}
          {canExtend && (
            <Button icon={<ClockCircleOutlined />} onClick={() => setAction('extend')} data-testid="ticket-action-extend">
              {t('servicedesk.actions.extend')}
            </Button>
          )}
        </Space>
      </Flex>

      {ticket.beyondCalendar && <Alert type="warning" showIcon title={t('servicedesk.detail.beyondCalendar')} style={{ marginBottom: 16 }} data-testid="ticket-beyond-calendar" />}
      {ticket.approvalStatus === 'pending' && <Alert type="info" showIcon title={t('servicedesk.detail.approvalPending')} style={{ marginBottom: 16 }} />}

      <Row gutter={16}>
        <Col xs={24} xl={16}>
          <Section title={t('servicedesk.detail.clocks')}>
            {ticket.clocks.length ? (
              <Flex gap={12} wrap data-testid="ticket-clocks">
                {ticket.clocks.map((c) => (
                  <ClockCard key={c.clock} clock={c} now={now} />
                ))}
              </Flex>
            ) : (
              <Typography.Text type="secondary">{t('servicedesk.detail.noClocks')}</Typography.Text>
            )}
          </Section>

          <Section title={t('servicedesk.detail.info')}>
            <Descriptions column={{ xs: 1, md: 2 }} size="small" data-testid="ticket-info">
              <Descriptions.Item label={t('servicedesk.ticket.place')}>{ticket.roomLabel ?? ticket.location ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('servicedesk.ticket.reporter')}>
                {ticket.reporterName || ticket.reporterPhone ? [ticket.reporterName, maskPhone(ticket.reporterPhone)].filter(Boolean).join(' · ') : '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('servicedesk.ticket.channel')}>{t(`servicedesk.channels.${ticket.channel}`)}</Descriptions.Item>
              <Descriptions.Item label={t('servicedesk.ticket.reportedAt')}>{formatDateTime(ticket.reportedAt)}</Descriptions.Item>
              <Descriptions.Item label={t('servicedesk.ticket.assignee')}>
                <span data-testid="ticket-assignee">{ticket.assigneeName ?? (ticket.inPool ? t('servicedesk.ticket.inPool') : '—')}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('servicedesk.ticket.group')}>{groupName ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('servicedesk.ticket.policy')} span={2}>
                {ticket.policyNote ?? t('servicedesk.detail.noPolicy')}
              </Descriptions.Item>
              <Descriptions.Item label={t('servicedesk.ticket.description')} span={2}>
                <span style={{ whiteSpace: 'pre-wrap' }}>{ticket.description || '—'}</span>
              </Descriptions.Item>
              {ticket.replyText && (
                <Descriptions.Item label={t('servicedesk.ticket.reply')} span={2}>
                  <span style={{ whiteSpace: 'pre-wrap' }}>{ticket.replyText}</span>
                </Descriptions.Item>
              )}
              {ticket.chargeFen !== null && <Descriptions.Item label={t('servicedesk.ticket.charge')}>{formatFen(ticket.chargeFen)}</Descriptions.Item>}
              {ticket.rating !== null && (
                <Descriptions.Item label={t('servicedesk.ticket.rating')}>
                  <Rate disabled value={ticket.rating} style={{ fontSize: 14 }} /> {ticket.ratingTags.join('、')} {ticket.ratingComment}
                </Descriptions.Item>
              )}
              {ticket.reworkCount > 0 && <Descriptions.Item label={t('servicedesk.ticket.rework')}>{ticket.reworkCount}</Descriptions.Item>}
              {ticket.cancelReason && (
                <Descriptions.Item label={t('servicedesk.ticket.cancelReason')} span={2}>
                  {ticket.cancelReason}
                </Descriptions.Item>
              )}
            </Descriptions>
          </Section>

          <Section title={t('servicedesk.detail.photos')}>
            <Photos ticket={ticket} />
          </Section>

          {ticket.materials.length > 0 && (
            <Section title={t('servicedesk.detail.materials')}>
              <Table
                size="small"
                rowKey="id"
                pagination={false}
                dataSource={ticket.materials}
                columns={[
                  { title: t('servicedesk.materials.name'), dataIndex: 'name' },
                  { title: t('servicedesk.materials.quantity'), key: 'q', align: 'right', render: (_: unknown, m) => `${m.quantity} ${m.unit}` },
                  { title: t('servicedesk.materials.price'), dataIndex: 'priceFen', align: 'right', render: (v: number) => formatFen(v) },
                ]}
              />
            </Section>
          )}

          {ticket.approvalStatus !== 'notNeeded' && (
            <Section title={t('servicedesk.detail.approvals')} extra={<Tag color={ticket.approvalStatus === 'approved' ? 'success' : ticket.approvalStatus === 'rejected' ? 'error' : 'processing'}>{t(`servicedesk.approvalStatuses.${ticket.approvalStatus}`)}</Tag>}>
              {ticket.approvals.length ? (
                <Table
                  size="small"
                  rowKey={(r) => `${r.voterName}-${r.at}`}
                  pagination={false}
                  dataSource={ticket.approvals}
                  columns={[
                    { title: t('servicedesk.approvals.voter'), dataIndex: 'voterName' },
                    { title: t('servicedesk.approvals.decision'), dataIndex: 'decision', render: (d: 'approve' | 'reject') => <Tag color={d === 'approve' ? 'success' : 'error'}>{t(`servicedesk.approvals.${d}`)}</Tag> },
                    { title: t('servicedesk.form.note'), dataIndex: 'note', render: (v: string | null) => v ?? '—' },
                    { title: t('servicedesk.approvals.at'), dataIndex: 'at', render: formatDateTime },
                  ]}
                />
              ) : (
                <Typography.Text type="secondary">{t('servicedesk.approvals.noVotes')}</Typography.Text>
              )}
            </Section>
          )}

          {ticket.returnVisit && (
            <Section title={t('servicedesk.detail.returnVisit')}>
              <Descriptions column={{ xs: 1, md: 2 }} size="small">
                <Descriptions.Item label={t('common.status')}>
                  <Tag>{t(`servicedesk.visitStatuses.${ticket.returnVisit.status}`)}</Tag>
                  {ticket.returnVisit.mandatory && <Tag color="red">{t('servicedesk.visits.mandatory')}</Tag>}
                </Descriptions.Item>
                <Descriptions.Item label={t('servicedesk.visits.reason')}>{t(`servicedesk.visitReasons.${ticket.returnVisit.reason as 'sample'}`, { defaultValue: ticket.returnVisit.reason })}</Descriptions.Item>
                <Descriptions.Item label={t('servicedesk.visits.attempts')}>{ticket.returnVisit.attempts}</Descriptions.Item>
                <Descriptions.Item label={t('servicedesk.visits.satisfaction')}>
                  {ticket.returnVisit.satisfaction ? <Rate disabled value={ticket.returnVisit.satisfaction} style={{ fontSize: 14 }} /> : '—'}
                </Descriptions.Item>
                <Descriptions.Item label={t('servicedesk.visits.resolved')}>{ticket.returnVisit.resolved === null ? '—' : ticket.returnVisit.resolved ? t('common.yes') : t('common.no')}</Descriptions.Item>
                <Descriptions.Item label={t('servicedesk.visits.visitedAt')}>{formatDateTime(ticket.returnVisit.visitedAt)}</Descriptions.Item>
                {ticket.returnVisit.note && (
                  <Descriptions.Item label={t('servicedesk.form.note')} span={2}>
                    {ticket.returnVisit.note}
                  </Descriptions.Item>
                )}
              </Descriptions>
            </Section>
          )}
        </Col>
        <Col xs={24} xl={8}>
          <Section title={t('servicedesk.detail.timeline')}>
            {ticket.timeline.length ? <TicketTimeline ticket={ticket} /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />}
          </Section>
        </Col>
      </Row>

      <DispatchModal ticket={ticket} open={dispatching} onClose={() => setDispatching(false)} onDone={() => done('dispatch')} />
      <ActionModal ticket={ticket} action={action} onClose={() => setAction(null)} onDone={done} />
    </>
  );
}
