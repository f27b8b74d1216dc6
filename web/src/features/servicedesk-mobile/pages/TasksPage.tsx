import { useState, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { App, Badge, Button, Empty, Flex, Segmented, Skeleton, Tag, Typography } from 'antd';
import { CloudUploadOutlined, RightOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../lib/api.ts';
import { QueryError } from '../../../components/QueryError.tsx';
import { deskKeys, useGrab, useMyTasks, useNotificationStream, usePool, type TicketSummary } from '../api.ts';
import { placeOf } from '../labels.ts';
import { StatusTag } from '../components/StatusTag.tsx';
import { clockText, nextClock, useNow } from '../components/ClockList.tsx';
import { useOnline, usePendingSteps } from '../queue.tsx';

type Tab = 'mine' | 'pool';

/**
 * 我的任务: the technician's open tasks (待处理) and the grab pool of their groups (抢单池). The lists refresh as
 * notifications arrive (a new task, a ticket in the pool); steps waiting to sync are counted at the top.
 */
export function TasksPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const tab: Tab = params.get('tab') === 'pool' ? 'pool' : 'mine';
  const mine = useMyTasks();
  const pool = usePool();
  const pending = usePendingSteps();
  const online = useOnline();

  useNotificationStream((n) => {
    void qc.invalidateQueries({ queryKey: deskKeys.tasks });
    if (n.kind === 'assigned' || n.kind === 'pool') void message.info({ content: `${t(`servicedeskMobile.notify.${n.kind}`)}：${n.title}`, key: `n${n.id}` });
  });

  const list = tab === 'mine' ? mine : pool;
  // My tasks by what is due first (overdue at the top); the pool oldest first, as the server sends it.
  const items = tab === 'mine' ? (mine.data && [...mine.data.items].sort(byNextDue)) : pool.data?.items;

  return (
    <div className="m-page" data-testid="m-tasks">
      {(pending.length > 0 || !online) && <SyncBar count={pending.length} online={online} />}
      <Segmented<Tab>
        block
        size="large"
        value={tab}
        onChange={(v) => setParams(v === 'pool' ? { tab: 'pool' } : {}, { replace: true })}
        options={[
          { value: 'mine', label: <span data-testid="m-tasks-tab-mine">{t('servicedeskMobile.tabMine')}{mine.data ? ` ${mine.data.total}` : ''}</span> },
          { value: 'pool', label: <span data-testid="m-tasks-tab-pool">{t('servicedeskMobile.tabPool')}{pool.data ? ` ${pool.data.items.length}` : ''}</span> },
        ]}
        style={{ marginBottom: 12 }}
      />
      {list.error ? (
        <QueryError error={list.error} onRetry={() => void list.refetch()} />
      ) : !items ? (
        <div className="m-card">
          <Skeleton active />
        </div>
      ) : items.length === 0 ? (
        <div className="m-card">
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={tab === 'mine' ? t('servicedeskMobile.noTasks') : t('servicedeskMobile.noPool')} />
        </div>
      ) : (
        <Flex vertical gap={10}>
          {items.map((r) => (tab === 'mine' ? <TaskRow key={r.id} task={r} pending={pending.filter((p) => p.ticketId === r.id).length} /> : <PoolRow key={r.id} task={r} />))}
        </Flex>
      )}
    </div>
  );
}

/** The task whose next open deadline comes first goes first; tasks without one go last. */
function byNextDue(a: TicketSummary, b: TicketSummary): number {
  const due = (t: TicketSummary) => {
    const c = nextClock(t.clocks);
    return c ? Date.parse(c.dueAt) : Number.POSITIVE_INFINITY;
  };
  return due(a) - due(b) || Date.parse(b.reportedAt) - Date.parse(a.reportedAt);
}

/** "待同步 N" with a button to try now; or "offline" when the phone has no network. */
export function SyncBar({ count, online }: { count: number; online: boolean }) {
  const { t } = useTranslation();
  return (
    <div className={online ? 'm-syncbar' : 'm-syncbar offline'} data-testid="m-sync-bar">
      <CloudUploadOutlined />
      <span style={{ flex: 1, minWidth: 0 }}>{online ? t('servicedeskMobile.syncing') : t('servicedeskMobile.offline')}</span>
      {count > 0 && (
        <Tag color="warning" style={{ marginInlineEnd: 0 }} data-testid="m-pending-count">
          {t('servicedeskMobile.pendingCount', { count })}
        </Tag>
      )}
    </div>
  );
}

function Row({ task, right, to }: { task: TicketSummary; right: ReactNode; to?: string }) {
  const { t } = useTranslation();
  const now = useNow(30_000);
  const clock = nextClock(task.clocks);
  const body = (
    <Flex justify="space-between" align="flex-start" gap={8}>
      <div style={{ minWidth: 0, flex: 1 }}>
        <Flex align="center" gap={6} wrap>
          {task.urgency === 'urgent' && (
            <Tag color="red" style={{ marginInlineEnd: 0 }}>
              {t('servicedeskMobile.urgentTag')}
            </Tag>
          )}
          <Typography.Text strong style={{ fontSize: 16 }}>
            {task.title}
          </Typography.Text>
        </Flex>
        <div className="m-sub">{placeOf(task)}</div>
        <div className="m-sub">
          {t(`servicedeskMobile.kinds.${task.kind}`)} · {task.categoryName} · {dayjs(task.reportedAt).format('MM-DD HH:mm')}
        </div>
        {clock && (
          <div className={`m-sub m-clock-line ${Date.parse(clock.dueAt) < now ? 'late' : ''}`} data-testid="m-task-clock">
            {clockText(t, clock, now)}
          </div>
        )}
      </div>
      {right}
    </Flex>
  );
  return to ? (
    <Link to={to} className="m-card m-row-link" data-testid="m-task-row" data-no={task.no}>
      {body}
    </Link>
  ) : (
    <div className="m-card" data-testid="m-pool-row" data-no={task.no}>
      {body}
    </div>
  );
}

function TaskRow({ task, pending }: { task: TicketSummary; pending: number }) {
  return (
    <Row
      task={task}
      to={`/tasks/${task.id}`}
      right={
        <Flex vertical align="flex-end" gap={6} style={{ flex: 'none' }}>
          <Badge count={pending} size="small" offset={[-2, 2]}>
            <StatusTag status={task.status} />
          </Badge>
          <RightOutlined style={{ color: '#bbb' }} />
        </Flex>
      }
    />
  );
}

function PoolRow({ task }: { task: TicketSummary }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const grab = useGrab();
  const [lost, setLost] = useState(false);
  return (
    <Row
      task={task}
      right={
        <Button
          type="primary"
          size="large"
          icon={<ThunderboltOutlined />}
          disabled={lost}
          loading={grab.isPending}
          style={{ flex: 'none' }}
          data-testid="m-grab"
          onClick={() =>
            grab.mutate(task.id, {
              onSuccess: () => void message.success(t('servicedeskMobile.grabbed')),
              onError: (err) => {
                if (isApiError(err, 409)) {
                  setLost(true);
                  void message.warning({ content: t('servicedeskMobile.grabLost'), key: 'grab-lost' });
                } else void message.error(err.message);
              },
            })
          }
        >
          {t('servicedeskMobile.grab')}
        </Button>
      }
    />
  );
}
