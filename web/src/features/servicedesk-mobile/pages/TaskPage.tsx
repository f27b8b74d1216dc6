import { useState, type ReactNode } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { App, Button, Flex, Skeleton, Tag, Typography } from 'antd';
import {
  CameraOutlined,
  CheckCircleOutlined,
  EnvironmentOutlined,
  LeftOutlined,
  MessageOutlined,
  PauseCircleOutlined,
  PhoneOutlined,
  PlayCircleOutlined,
  RollbackOutlined,
  ShoppingOutlined,
  ToolOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/QueryError.tsx';
import { useTask, type TicketDetail } from '../api.ts';
import { dialable, yuan } from '../labels.ts';
import type { NewStep, StepOutcome } from '../offlineQueue.ts';
import { useOnline, usePendingSteps, useSubmitStep, useTicketView } from '../queue.tsx';
import { StatusTag } from '../components/StatusTag.tsx';
import { ClockList } from '../components/ClockList.tsx';
import { TicketTimeline } from '../components/TicketTimeline.tsx';
import { TicketPhotos } from '../components/TicketPhotos.tsx';
import { StepSheets, type SheetName } from '../components/StepSheets.tsx';
import { SyncBar } from './TasksPage.tsx';

type Action = TicketDetail['actions'][number];

/** 接单 → 到场 → 维修 → 完工, for the progress line at the top. */
function progressOf(t: TicketDetail): number {
  if (['completed', 'confirmed', 'visited', 'closed'].includes(t.status)) return 4;
  const s = t.status === 'paused' ? t.pausedFrom : t.status;
  if (s === 'inProgress') return 3;
  if (s === 'arrived') return 2;
  return t.acknowledgedAt ? 1 : 0;
}

/**
 * 任务详情: where to go and whom to call, the deadlines counting down, and the steps in order as big buttons —
 * 接单, 到场签到, 开始维修, 添加照片 / 登记材料, 完工 — plus 退单 and 暂停/继续. Every step goes through the offline
 * queue: without signal it is saved on the phone, shown as done with 待同步, and sent when the signal returns.
 */
export function TaskPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const q = useTask(id);
  const ticket = useTicketView(q.data);
  const pending = usePendingSteps(id);
  const online = useOnline();
  const { submit, busy } = useSubmitStep();
  const [sheet, setSheet] = useState<SheetName | null>(null);

  if (!ticket) {
    if (q.error) return <div className="m-page"><QueryError error={q.error} onRetry={() => void q.refetch()} /></div>;
    return <div className="m-page"><Skeleton active /></div>;
  }

  const run = async (step: Omit<NewStep, 'offline'>): Promise<StepOutcome> => {
    const outcome = await submit(step);
    const name = t(`servicedeskMobile.steps.${step.step}`);
    if (outcome.kind === 'sent') void message.success({ content: t('servicedeskMobile.stepSent', { step: name }), key: 'step' });
    else if (outcome.kind === 'queued') void message.warning({ content: t('servicedeskMobile.stepQueued', { step: name }), key: 'step' });
    else {
      void message.error({ content: (outcome.error as Error).message, key: 'step' });
      void q.refetch();
    }
    return outcome;
  };
  const can = (a: Action) => ticket.actions.includes(a);
  const direct = (step: NewStep['step']) => () => void run({ ticketId: ticket.id, step });
  const progress = progressOf(ticket);
  const working = ['dispatched', 'arrived', 'inProgress', 'paused'].includes(ticket.status) && ticket.assigneeId !== null;

  // The steps of the job in order; the first one possible is the big blue button.
  const main: Array<{ key: string; show: boolean; label: string; icon: ReactNode; onClick: () => void }> = [
    { key: 'acknowledge', show: can('acknowledge') && !ticket.acknowledgedAt, label: t('servicedeskMobile.steps.acknowledge'), icon: <CheckCircleOutlined />, onClick: direct('acknowledge') },
    { key: 'arrive', show: can('arrive'), label: t('servicedeskMobile.steps.arrive'), icon: <EnvironmentOutlined />, onClick: () => setSheet('arrive') },
    { key: 'start', show: can('start'), label: t('servicedeskMobile.steps.start'), icon: <ToolOutlined />, onClick: direct('start') },
    { key: 'resume', show: can('resume'), label: t('servicedeskMobile.steps.resume'), icon: <PlayCircleOutlined />, onClick: direct('resume') },
    { key: 'complete', show: can('complete'), label: t('servicedeskMobile.steps.complete'), icon: <CheckCircleOutlined />, onClick: () => setSheet('complete') },
  ].filter((b) => b.show);
  const written = ticket.kind === 'complaint' || ticket.kind === 'inquiry' || ticket.kind === 'paidService';
  const extra: Array<{ key: string; show: boolean; label: string; icon: ReactNode; onClick: () => void; danger?: boolean }> = [
    { key: 'photos', show: working && ticket.status !== 'dispatched', label: t('servicedeskMobile.steps.photos'), icon: <CameraOutlined />, onClick: () => setSheet('photos') },
    { key: 'materials', show: working && ticket.status !== 'dispatched', label: t('servicedeskMobile.steps.materials'), icon: <ShoppingOutlined />, onClick: () => setSheet('materials') },
    { key: 'reply', show: written && can('reply'), label: t('servicedeskMobile.steps.reply'), icon: <MessageOutlined />, onClick: () => setSheet('reply') },
    { key: 'pause', show: can('pause'), label: t('servicedeskMobile.steps.pause'), icon: <PauseCircleOutlined />, onClick: () => setSheet('pause') },
    { key: 'handBack', show: can('handBack'), label: t('servicedeskMobile.steps.handBack'), icon: <RollbackOutlined />, onClick: () => setSheet('handBack'), danger: true },
  ].filter((b) => b.show);

  return (
    <div className="m-page" data-testid="m-task" data-status={ticket.status}>
      <Button type="link" icon={<LeftOutlined />} onClick={() => navigate('/tasks')} style={{ paddingInline: 0, marginBottom: 4 }}>
        {t('servicedeskMobile.myTasks')}
      </Button>
      {(pending.length > 0 || !online) && <SyncBar count={pending.length} online={online} />}

      <div className="m-card">
        <Flex justify="space-between" align="flex-start" gap={8}>
          <Typography.Title level={5} style={{ margin: 0, minWidth: 0, overflowWrap: 'anywhere' }}>
            {ticket.urgency === 'urgent' && (
              <Tag color="red" style={{ verticalAlign: 2 }}>
                {t('servicedeskMobile.urgentTag')}
              </Tag>
            )}
            {ticket.title}
          </Typography.Title>
          <StatusTag status={ticket.status} testId="m-task-status" />
        </Flex>
        <div className="m-sub" style={{ marginTop: 6 }}>
          {t(`servicedeskMobile.kinds.${ticket.kind}`)} · {ticket.categoryName} · {ticket.no}
        </div>
        {ticket.description && <div className="m-desc">{ticket.description}</div>}
        <div className="m-progress" data-testid="m-task-progress" data-step={progress}>
          {(['acknowledge', 'arrive', 'start', 'complete'] as const).map((s, i) => (
            <div key={s} className={i < progress ? 'm-progress-step done' : 'm-progress-step'}>
              <span className="m-progress-dot">{i + 1}</span>
              <span>{t(`servicedeskMobile.progressSteps.${s}`)}</span>
            </div>
          ))}
        </div>
      </div>

      <div className="m-card">
        <div className="m-info-line">
          <EnvironmentOutlined />
          <span data-testid="m-task-place">{[ticket.communityName, ticket.roomLabel, ticket.location].filter(Boolean).join(' · ')}</span>
        </div>
        <Flex className="m-info-line" align="center" gap={8}>
          <UserOutlined />
          <span style={{ flex: 1, minWidth: 0 }} data-testid="m-task-reporter">
            {ticket.reporterName ?? t('servicedeskMobile.reporterUnknown')}
            {ticket.reporterPhone && <span className="m-sub" style={{ marginInlineStart: 8 }}>{ticket.reporterPhone}</span>}
          </span>
          {dialable(ticket.reporterPhone) && (
            <Button shape="round" icon={<PhoneOutlined />} href={`tel:${ticket.reporterPhone}`} data-testid="m-task-call">
              {t('mobile.call')}
            </Button>
          )}
        </Flex>
        <ClockList clocks={ticket.clocks} />
      </div>

      {(main.length > 0 || extra.length > 0) && (
        <div className="m-card m-steps" data-testid="m-task-steps">
          {main.map((b, i) => (
            <Button key={b.key} type={i === 0 ? 'primary' : 'default'} size="large" block icon={b.icon} onClick={b.onClick} loading={busy === b.key} className="m-step-button" data-testid={`m-step-${b.key}`}>
              {b.label}
            </Button>
          ))}
          {extra.length > 0 && (
            <div className="m-step-grid">
              {extra.map((b) => (
                <Button key={b.key} size="large" icon={b.icon} onClick={b.onClick} danger={b.danger} data-testid={`m-step-${b.key}`}>
                  {b.label}
                </Button>
              ))}
            </div>
          )}
        </div>
      )}

      {ticket.attachments.length > 0 && (
        <div className="m-card">
          <div className="m-card-title">{t('servicedeskMobile.photos')}</div>
          <TicketPhotos ticket={ticket} />
        </div>
      )}

      {ticket.materials.length > 0 && (
        <div className="m-card" data-testid="m-task-materials">
          <div className="m-card-title">{t('servicedeskMobile.materials')}</div>
          {ticket.materials.map((m) => (
            <Flex key={m.id} justify="space-between" className="m-material-line">
              <span>
                {m.name} × {Number(m.quantity)} {m.unit}
              </span>
              <span>¥{yuan(Math.round(Number(m.quantity) * m.priceFen))}</span>
            </Flex>
          ))}
        </div>
      )}

      <div className="m-card">
        <div className="m-card-title">{t('servicedeskMobile.progress')}</div>
        <TicketTimeline ticket={ticket} pending={pending} />
      </div>

      <StepSheets ticket={ticket} open={sheet} onClose={() => setSheet(null)} submit={run} />
    </div>
  );
}
