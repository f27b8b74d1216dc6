import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { Button, Empty, Flex, Segmented, Skeleton, Tag, Typography } from 'antd';
import { CameraOutlined, CloudUploadOutlined, QrcodeOutlined, RightOutlined, SyncOutlined, TeamOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/QueryError.tsx';
import { useCurrentMe } from '../../auth/api.ts';
import { type CleaningTask, useMyTasks } from '../../cleaning/api.ts';
import { StateTag, windowText } from '../../cleaning/components/labels.tsx';
import { dismissRejected, useCompletionQueue, useOnline } from '../queue.ts';

type Tab = 'todo' | 'done';

/** 保洁绿化任务 (phone): my tasks of today in time order, to do and done, with the completions waiting to sync. */
export function TodayPage() {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const online = useOnline();
  const queue = useCompletionQueue(me.user.id);
  const mine = useMyTasks();
  const [tab, setTab] = useState<Tab>('todo');
  const queued = useMemo(() => new Set(queue.pending.map((p) => p.taskId)), [queue.pending]);
  const tasks = mine.data?.tasks ?? [];
  const finished = (x: CleaningTask) => x.status === 'done' || queued.has(x.id);
  const todo = tasks.filter((x) => !finished(x) && x.status !== 'missed');
  const done = tasks.filter((x) => finished(x) || x.status === 'missed');
  const list = tab === 'todo' ? todo : done;

  return (
    <div className="m-page" data-testid="m-cleaning">
      {(queue.pending.length > 0 || !online) && (
        <div className={online ? 'm-syncbar' : 'm-syncbar offline'} data-testid="m-cleaning-sync">
          <CloudUploadOutlined />
          <span style={{ flex: 1 }}>{online ? t('cleaning.mobile.pending', { n: queue.pending.length }) : t('cleaning.mobile.offline')}</span>
          {online && queue.pending.length > 0 && (
            <Button size="small" icon={<SyncOutlined />} onClick={() => void queue.flush()}>
              {t('cleaning.mobile.syncNow')}
            </Button>
          )}
        </div>
      )}
      {queue.rejected.length > 0 && (
        <div className="m-card" style={{ borderLeft: '3px solid #ff4d4f' }} onClick={dismissRejected}>
          {queue.rejected.map((r, i) => (
            <div key={i}>
              <Typography.Text type="danger">{t('cleaning.mobile.failed', { message: `${r.label}：${r.message}` })}</Typography.Text>
            </div>
          ))}
        </div>
      )}
      <Segmented<Tab>
        block
        size="large"
        value={tab}
        onChange={setTab}
        options={[
          { value: 'todo', label: <span data-testid="m-cleaning-tab-todo">{t('cleaning.mobile.todo', { n: todo.length })}</span> },
          { value: 'done', label: <span data-testid="m-cleaning-tab-done">{t('cleaning.mobile.finished', { n: done.length })}</span> },
        ]}
        style={{ marginBottom: 12 }}
      />
      {mine.error && !mine.data ? (
        <QueryError error={mine.error} onRetry={() => void mine.refetch()} />
      ) : !mine.data ? (
        <div className="m-card">
          <Skeleton active />
        </div>
      ) : list.length === 0 ? (
        <div className="m-card">
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={tab === 'todo' ? (tasks.length ? t('cleaning.mobile.allDone') : t('cleaning.mobile.none')) : t('cleaning.mobile.none')} />
        </div>
      ) : (
        <Flex vertical gap={10}>
          {list.map((x) => (
            <TaskCard key={x.id} task={x} queued={queued.has(x.id)} />
          ))}
        </Flex>
      )}
    </div>
  );
}

function TaskCard({ task, queued }: { task: CleaningTask; queued: boolean }) {
  const { t } = useTranslation();
  return (
    <Link to={`/cleaning/tasks/${task.id}`} className="m-card" style={{ display: 'block', marginBottom: 0, color: 'inherit' }} data-testid="m-cleaning-task">
      <Flex align="center" gap={10}>
        <div style={{ flex: 1, minWidth: 0 }}>
          <Flex align="center" gap={6} style={{ marginBottom: 4 }}>
            <Typography.Text strong style={{ fontSize: 16 }}>
              {windowText(task.startsAt, task.dueAt)}
            </Typography.Text>
            {queued ? <Tag color="warning">{t('cleaning.mobile.queued').split('，')[0]}</Tag> : <StateTag state={task.state} />}
          </Flex>
          <div style={{ fontSize: 15 }}>
            {task.area.name} · {task.item.name}
          </div>
          <Flex gap={8} style={{ marginTop: 4, color: '#888', fontSize: 13 }}>
            {task.doneAt && (
              <span>
                {t('cleaning.doneAt')} {dayjs(task.doneAt).format('HH:mm')}
              </span>
            )}
            {task.area.qrRequired && (
              <span>
                <QrcodeOutlined /> {t('cleaning.checkIn.qr')}
              </span>
            )}
            {task.photoRequired && (
              <span>
                <CameraOutlined /> {t('cleaning.itemForm.photoRequired')}
              </span>
            )}
            {!task.assignee && (
              <span>
                <TeamOutlined /> {t('cleaning.mobile.teamTask')}
              </span>
            )}
          </Flex>
        </div>
        <RightOutlined style={{ color: '#bbb' }} />
      </Flex>
    </Link>
  );
}
