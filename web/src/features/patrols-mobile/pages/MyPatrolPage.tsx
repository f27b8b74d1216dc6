import { useEffect, useMemo, useState } from 'react';
import { useQrCamera } from '../../../components/useQrCamera.ts';
import { useNavigate } from 'react-router-dom';
import { Button, Empty, Flex, Input, Skeleton, Tag, Typography } from 'antd';
import { CheckCircleFilled, ClockCircleOutlined, CloseCircleFilled, CloudUploadOutlined, ScanOutlined, SyncOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useCurrentMe } from '../../auth/api.ts';
import { useOnline } from '../../servicedesk-mobile/queue.tsx';
import { useMyPatrolTasks, type MyTasks, type Task } from '../../patrols/api.ts';
import { TaskStatusTag, windowText } from '../../patrols/components/bits.tsx';
import { checkpointIdOf, codeFromScan } from '../checkinQueue.ts';
import { rememberedTasks, rememberTasks, useCheckinQueue, usePendingCheckins } from '../queue.tsx';

/**
 * 巡更打卡 (phone): my rounds from the last 12 hours to the next 18, each point's state (queued check-ins shown as
 * 待同步), a scanner (the browser's BarcodeDetector where it has one, a code field otherwise) and the sync bar.
 * Works offline from the last task list the server sent; check-ins wait in the queue.
 */
export function MyPatrolPage() {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const online = useOnline();
  const query = useMyPatrolTasks();
  const queue = useCheckinQueue();
  const { pending, rejected } = usePendingCheckins();
  const [scanning, setScanning] = useState(false);
  useEffect(() => {
    if (query.data) rememberTasks(me.user.id, query.data);
  }, [query.data, me.user.id]);
  const data: MyTasks | null = query.data ?? rememberedTasks(me.user.id);
  const now = Date.now();
  const tasks = useMemo(() => (data?.tasks ?? []).filter((x) => Date.parse(x.windowEnd) > now - 6 * 3600_000).sort((a, b) => a.windowStart.localeCompare(b.windowStart)), [data, now]);

  return (
    <div className="m-page" data-testid="m-patrol">
      {(pending.length > 0 || !online) && (
        <div className={online ? 'm-syncbar' : 'm-syncbar offline'} data-testid="m-patrol-sync">
          <CloudUploadOutlined />
          <span style={{ flex: 1 }}>{online ? t('patrols.m.syncing') : t('patrols.m.offline')}</span>
          {pending.length > 0 && <Tag color="warning" data-testid="m-patrol-pending">{t('patrols.m.pendingCount', { count: pending.length })}</Tag>}
          {online && pending.length > 0 && <Button size="small" icon={<SyncOutlined />} onClick={() => void queue.flush()}>{t('patrols.m.syncNow')}</Button>}
        </div>
      )}
      {rejected.map((r) => (
        <div key={r.id} className="m-card" style={{ borderLeft: '4px solid #ff4d4f' }} data-testid="m-patrol-rejected">
          <Typography.Text strong>{t('patrols.m.rejected', { name: r.checkpointName, time: dayjs(r.scannedAt).format('HH:mm') })}</Typography.Text>
          <div className="m-sub">{r.error}</div>
          <Button size="small" onClick={() => void queue.dismiss(r.id)} style={{ marginTop: 6 }}>{t('patrols.m.dismiss')}</Button>
        </div>
      ))}
      <div className="m-card">
        <Button type="primary" size="large" block icon={<ScanOutlined />} onClick={() => setScanning((s) => !s)} data-testid="m-patrol-scan">
          {t('patrols.m.scan')}
        </Button>
        {scanning && <Scanner />}
      </div>
      <div className="m-card-title" style={{ margin: '16px 4px 8px' }}>{t('patrols.m.myRounds')}</div>
      {!data && query.isPending ? (
        <div className="m-card"><Skeleton active /></div>
      ) : tasks.length === 0 ? (
        <div className="m-card"><Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('patrols.m.noRounds')} /></div>
      ) : (
        <Flex vertical gap={10}>
          {tasks.map((task) => <RoundCard key={task.id} task={task} queued={pending.map((p) => ({ checkpointId: p.checkpointId ?? checkpointIdOf(p.code), at: p.scannedAt }))} />)}
        </Flex>
      )}
      {!query.data && data && <div className="m-sub" style={{ marginTop: 8 }}>{t('patrols.m.cached', { time: dayjs(data.now).format('MM-DD HH:mm') })}</div>}
    </div>
  );
}

function RoundCard({ task, queued }: { task: Task; queued: Array<{ checkpointId: string | null; at: string }> }) {
  const { t } = useTranslation();
  const now = Date.now();
  const current = Date.parse(task.windowStart) <= now && now <= Date.parse(task.windowEnd);
  const inWindow = (at: string) => task.windowStart <= at && at <= task.windowEnd;
  return (
    <div className="m-card" style={current ? { borderLeft: '4px solid #1677ff' } : undefined} data-testid="m-patrol-round">
      <Flex justify="space-between" align="center" gap={8}>
        <div style={{ minWidth: 0 }}>
          <Typography.Text strong style={{ fontSize: 16 }}>{task.routeName}</Typography.Text>
          <div className="m-sub">
            {t('patrols.roundN', { n: task.round })} · {windowText(task.windowStart, task.windowEnd, t('patrols.nextDay'))} · {task.shiftName}
          </div>
        </div>
        <TaskStatusTag status={task.status} windowStart={task.windowStart} />
      </Flex>
      {task.assignees.length > 1 && <div className="m-sub">{t('patrols.m.together', { names: task.assignees.map((a) => a.name).join('、') })}</div>}
      <Flex vertical gap={6} style={{ marginTop: 8 }}>
        {task.points.map((p) => {
          const waiting = p.status !== 'done' && queued.some((q) => q.checkpointId === p.checkpointId && inWindow(q.at));
          return (
            <Flex key={p.id} align="center" gap={8} data-testid="m-patrol-point" data-status={waiting ? 'queued' : p.status}>
              {waiting ? <CloudUploadOutlined style={{ color: '#faad14' }} /> : p.status === 'done' ? <CheckCircleFilled style={{ color: '#52c41a' }} /> : p.status === 'missed' ? <CloseCircleFilled style={{ color: '#ff4d4f' }} /> : <ClockCircleOutlined style={{ color: '#bfbfbf' }} />}
              <span style={{ flex: 1 }}>{p.checkpointNo}. {p.name}</span>
              <span className="m-sub">{waiting ? t('patrols.m.queued') : p.status === 'done' && p.doneAt ? dayjs(p.doneAt).format('HH:mm') : t(`patrols.pointStatus.${p.status}`)}</span>
            </Flex>
          );
        })}
      </Flex>
    </div>
  );
}

/** The camera with the browser's BarcodeDetector where there is one; the code field always (labels print it too). */
function Scanner() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [manual, setManual] = useState('');
  const open = (text: string) => navigate(`/patrol/scan/${encodeURIComponent(codeFromScan(text))}`);
  const { video, camera } = useQrCamera(open);

  return (
    <div style={{ marginTop: 12 }}>
      {camera !== 'none' && <video ref={video} muted playsInline style={{ width: '100%', borderRadius: 8, background: '#000', aspectRatio: '4 / 3' }} />}
      {camera === 'none' && <div className="m-sub" style={{ marginBottom: 8 }}>{t('patrols.m.noCamera')}</div>}
      <Flex gap={8} style={{ marginTop: 8 }}>
        <Input value={manual} onChange={(e) => setManual(e.target.value)} placeholder={t('patrols.m.codePlaceholder')} data-testid="m-patrol-code" />
        <Button disabled={!manual.trim()} onClick={() => open(manual)} data-testid="m-patrol-code-go">{t('patrols.m.open')}</Button>
      </Flex>
    </div>
  );
}
