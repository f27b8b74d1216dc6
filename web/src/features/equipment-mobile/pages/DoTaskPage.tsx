import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { App, Button, Flex, Image, Input, InputNumber, Radio, Skeleton, Tag, Typography } from 'antd';
import { CameraOutlined, EnvironmentOutlined, LeftOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/QueryError.tsx';
import { isApiError, upload } from '../../../lib/api.ts';
import { shrinkPhoto } from '../../servicedesk-mobile/photos.ts';
import { useCompleteTask, useTask, type Task } from '../../equipment/api.ts';

type Answer = { index: number; ok?: boolean; value?: number | string | null };

/** One maintenance task: answer each checklist item, add photos and submit; an abnormal answer files a repair. */
export function DoTaskPage() {
  const { id = '' } = useParams();
  const q = useTask(id);
  if (q.error) return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data) return <div className="m-page"><div className="m-card"><Skeleton active /></div></div>;
  return <TaskForm task={q.data} />;
}

function TaskForm({ task }: { task: Task }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const complete = useCompleteTask(task.id);
  const [answers, setAnswers] = useState<Record<number, Answer>>({});
  const [note, setNote] = useState('');
  const [photos, setPhotos] = useState<string[]>([]);
  const [uploading, setUploading] = useState(false);
  const done = task.status !== 'open';
  const set = (index: number, a: Partial<Answer>) => setAnswers((prev) => ({ ...prev, [index]: { ...prev[index], ...a, index } }));
  const range = (min?: number | null, max?: number | null) => (min != null && max != null ? `${min}–${max}` : min != null ? `≥ ${min}` : max != null ? `≤ ${max}` : '');

  const addPhoto = async (file: File | undefined) => {
    if (!file) return;
    setUploading(true);
    try {
      const { blob, name } = await shrinkPhoto(file);
      const f = await upload<{ id: string }>('/api/files', blob, undefined, name);
      setPhotos((p) => [...p, f.id]);
    } catch (err) {
      void message.error(isApiError(err) ? err.message : String(err));
    } finally {
      setUploading(false);
    }
  };

  const submit = async () => {
    const list = task.checklist.map((item, i) => answers[i] ?? { index: i });
    if (task.checklist.some((item, i) => (item.kind === 'check' && typeof list[i].ok !== 'boolean') || (item.kind === 'number' && typeof list[i].value !== 'number'))) {
      void message.warning(t('equipment.mobile.allAnswered'));
      return;
    }
    try {
      const r = await complete.mutateAsync({ answers: list.map((a) => ({ index: a.index, ok: a.ok ?? null, value: a.value ?? null })), photoFileIds: photos, note: note || undefined });
      if (r.ticket) void message.warning(t('equipment.mobile.abnormalTicket', { no: r.ticket.no }), 5);
      else void message.success(t('equipment.mobile.submitted'));
      navigate('/equipment');
    } catch (err) {
      void message.error(isApiError(err) ? err.message : String(err));
    }
  };

  return (
    <div className="m-page" data-testid="m-equipment-do-task">
      <Link to="/equipment" className="m-sub">
        <LeftOutlined /> {t('equipment.mobile.back')}
      </Link>
      <div className="m-card" style={{ marginTop: 8 }}>
        <div style={{ fontWeight: 600, fontSize: 16 }}>{task.title}</div>
        <div className="m-info-line">
          <EnvironmentOutlined /> <Link to={`/equipment/${task.equipment.id}`}>{task.equipment.name}（{task.equipment.code}）</Link> · {task.equipment.location}
        </div>
        <Flex gap={6}>
          {task.overdue && <Tag color="red">{t('equipment.mobile.overdue')}</Tag>}
          <Tag>{t('equipment.mobile.dueOn', { date: task.dueOn })}</Tag>
          {done && <Tag color="green">{t(`equipment.taskStatuses.${task.status}`)}</Tag>}
        </Flex>
      </div>
      <div className="m-card">
        <div className="m-card-title">{t('equipment.maintenance.checklist')}</div>
        {task.checklist.map((item, i) => {
          const given = done ? task.answers?.find((a) => a.index === i) : answers[i];
          return (
            <div key={i} style={{ padding: '10px 0', borderBottom: '1px solid #f0f0f0' }} data-testid="m-check-item">
              <div style={{ marginBottom: 6 }}>
                {i + 1}. {item.label}
                {item.kind === 'number' && (item.min != null || item.max != null) && <span className="m-sub"> （{t('equipment.mobile.range', { range: `${range(item.min, item.max)} ${item.unit ?? ''}` })}）</span>}
              </div>
              {item.kind === 'check' && (
                <Radio.Group disabled={done} value={given?.ok} onChange={(e) => set(i, { ok: e.target.value })} optionType="button" buttonStyle="solid">
                  <Radio.Button value={true}>{t('equipment.mobile.answerYes')}</Radio.Button>
                  <Radio.Button value={false} style={given?.ok === false ? { background: '#ff4d4f', borderColor: '#ff4d4f' } : undefined}>
                    {t('equipment.mobile.answerNo')}
                  </Radio.Button>
                </Radio.Group>
              )}
              {item.kind === 'number' && (
                <InputNumber disabled={done} inputMode="decimal" value={typeof given?.value === 'number' ? given.value : null} onChange={(v) => set(i, { value: v ?? null })} addonAfter={item.unit ?? undefined} style={{ width: 180 }} placeholder={t('equipment.mobile.value')} />
              )}
              {item.kind === 'text' && <Input disabled={done} value={typeof given?.value === 'string' ? given.value : ''} onChange={(e) => set(i, { value: e.target.value })} maxLength={200} />}
            </div>
          );
        })}
      </div>
      <div className="m-card">
        <div className="m-card-title">{t('equipment.mobile.photos')}</div>
        <Flex gap={8} wrap>
          {(done ? task.photoFileIds : photos).map((p) => (
            <Image key={p} src={`/api/files/${p}/thumb`} width={72} height={72} style={{ objectFit: 'cover' }} />
          ))}
          {!done && (
            <label className="m-photo-add" style={{ width: 72, height: 72, display: 'flex', alignItems: 'center', justifyContent: 'center', border: '1px dashed #bbb', borderRadius: 8 }}>
              <CameraOutlined />
              <input type="file" accept="image/*" capture="environment" hidden onChange={(e) => void addPhoto(e.target.files?.[0])} />
            </label>
          )}
        </Flex>
        {!done && <Input.TextArea style={{ marginTop: 12 }} rows={2} maxLength={500} placeholder={t('equipment.mobile.note')} value={note} onChange={(e) => setNote(e.target.value)} />}
        {done && task.note && <Typography.Paragraph style={{ marginTop: 8 }}>{task.note}</Typography.Paragraph>}
      </div>
      {!done && (
        <Button type="primary" size="large" block loading={complete.isPending || uploading} onClick={() => void submit()} data-testid="m-task-submit">
          {t('equipment.mobile.submit')}
        </Button>
      )}
    </div>
  );
}
