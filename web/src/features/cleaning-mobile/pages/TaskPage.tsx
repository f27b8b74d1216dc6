import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { App, Button, Flex, Input, Result, Skeleton, Tag, Typography } from 'antd';
import { CheckCircleFilled, QrcodeOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../../lib/api.ts';
import { QueryError } from '../../../components/QueryError.tsx';
import { useCurrentMe } from '../../auth/api.ts';
import { type CleaningTask, type MyTasks, cleaningKeys, completeTask, uploadPhoto } from '../../cleaning/api.ts';
import { StateTag, windowText } from '../../cleaning/components/labels.tsx';
import { enqueue, isRetryable, newClientId, useCompletionQueue } from '../queue.ts';
import { AreaScanner, type KeptPhoto, PhotoTiles } from '../components.tsx';

/**
 * Completing a task on the phone: the area's QR code (required or optional), photos, a note. Submitting sends the
 * completion at once; without a network it waits in the device's queue (the work keeps its time, so it is not
 * counted late for the delay).
 */
export function TaskPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const me = useCurrentMe();
  const queue = useCompletionQueue(me.user.id);
  const cached = (qc.getQueryData<MyTasks>(cleaningKeys.mine()) ?? null)?.tasks.find((x) => x.id === id);
  const task = useQuery({ queryKey: ['cleaning', 'task', id], queryFn: () => api.get<CleaningTask>(`/api/cleaning/tasks/${id}`), initialData: cached, initialDataUpdatedAt: 0 });
  const [code, setCode] = useState<string | undefined>();
  const [scanning, setScanning] = useState(false);
  const [photos, setPhotos] = useState<KeptPhoto[]>([]);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);

  if (task.error && !task.data) return <div className="m-page"><QueryError error={task.error} onRetry={() => void task.refetch()} /></div>;
  if (!task.data) return <div className="m-page"><div className="m-card"><Skeleton active /></div></div>;
  const x = task.data;
  const queued = queue.pending.some((p) => p.taskId === x.id);
  const canSubmit = (!x.area.qrRequired || code) && (!x.photoRequired || photos.length > 0);

  /** Sent at once when the network allows; a refusal (a wrong code, say) stays on the page, a network failure waits in the queue. */
  const submit = async () => {
    setBusy(true);
    const entry = { clientId: newClientId(), taskId: x.id, label: `${x.area.name} ${x.item.name}`, doneAt: new Date().toISOString(), note: note.trim() || undefined, code, photos: photos.map((p) => ({ name: p.name, dataUrl: p.dataUrl, fileId: null as string | null })) };
    try {
      for (const p of entry.photos) p.fileId = (await uploadPhoto(await (await fetch(p.dataUrl)).blob(), p.name)).id;
      await completeTask(x.id, { clientId: entry.clientId, doneAt: entry.doneAt, note: entry.note, code, photoFileIds: entry.photos.map((p) => p.fileId!) });
      void message.success(t('cleaning.mobile.submitted'));
    } catch (err) {
      if (!isRetryable(err)) {
        setBusy(false);
        void message.error(t('cleaning.mobile.failed', { message: (err as Error).message }));
        return;
      }
      enqueue(entry);
      void message.warning(t('cleaning.mobile.queued'));
    }
    setBusy(false);
    void qc.invalidateQueries({ queryKey: cleaningKeys.all });
    navigate('/cleaning');
  };

  return (
    <div className="m-page" data-testid="m-cleaning-task-page">
      <div className="m-card">
        <Flex justify="space-between" align="center">
          <Typography.Title level={5} style={{ margin: 0 }}>
            {x.area.name} · {x.item.name}
          </Typography.Title>
          {queued ? <Tag color="warning">{t('cleaning.mobile.pending', { n: 1 })}</Tag> : <StateTag state={x.state} />}
        </Flex>
        <div className="m-sub" style={{ marginTop: 6 }}>
          {t('cleaning.window')} {windowText(x.startsAt, x.dueAt)} · {x.assignee?.name ?? t('cleaning.mobile.teamTask')}
        </div>
        {x.item.standard && (
          <div style={{ marginTop: 8 }}>
            <Typography.Text type="secondary">{t('cleaning.standard')}：</Typography.Text>
            {x.item.standard}
          </div>
        )}
        {x.state === 'overdue' && <div style={{ marginTop: 8, color: '#fa8c16' }}>{t('cleaning.mobile.late')}</div>}
      </div>

      {x.status === 'done' || queued ? (
        <div className="m-card">
          <Result
            status="success"
            icon={<CheckCircleFilled />}
            title={x.status === 'done' ? t(`cleaning.state.${x.state}`) : t('cleaning.mobile.queued')}
            subTitle={x.doneAt ? `${new Date(x.doneAt).toLocaleTimeString().slice(0, 5)} ${x.doneBy?.name ?? ''}${x.note ? ` · ${x.note}` : ''}` : undefined}
          />
        </div>
      ) : x.status === 'missed' ? (
        <div className="m-card">
          <Result status="warning" title={t('cleaning.state.missed')} />
        </div>
      ) : (
        <>
          <div className="m-card">
            <div className="m-card-title">
              <QrcodeOutlined /> {x.area.qrRequired ? t('cleaning.mobile.codeRequired') : t('cleaning.mobile.scan')}
            </div>
            {code ? (
              <Tag color="success" icon={<CheckCircleFilled />} data-testid="m-cleaning-scanned">
                {t('cleaning.mobile.scanned')}
              </Tag>
            ) : scanning ? (
              <AreaScanner onCode={(c) => (setCode(c), setScanning(false))} />
            ) : (
              <Button block size="large" icon={<QrcodeOutlined />} onClick={() => setScanning(true)} data-testid="m-cleaning-scan">
                {t('cleaning.mobile.scan')}
              </Button>
            )}
          </div>
          <div className="m-card">
            <div className="m-card-title">{x.photoRequired ? t('cleaning.mobile.photoRequired') : t('cleaning.mobile.photoOptional')}</div>
            <PhotoTiles value={photos} onChange={setPhotos} />
          </div>
          <div className="m-card">
            <Input.TextArea rows={2} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('cleaning.mobile.note')} data-testid="m-cleaning-note" />
          </div>
          <Button type="primary" size="large" block disabled={!canSubmit} loading={busy} onClick={() => void submit()} data-testid="m-cleaning-submit">
            {t('cleaning.mobile.submit')}
          </Button>
        </>
      )}
    </div>
  );
}
