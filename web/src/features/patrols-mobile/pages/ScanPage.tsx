import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Alert, Button, Flex, Input, InputNumber, Result, Skeleton, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useCurrentMe } from '../../auth/api.ts';
import { useOnline } from '../../servicedesk-mobile/queue.tsx';
import { PhotoPicker, type LocalPhoto } from '../../servicedesk-mobile/components/PhotoPicker.tsx';
import { type Checkin, type Checkpoint, useScan } from '../../patrols/api.ts';
import { windowText } from '../../patrols/components/bits.tsx';
import { checkpointIdOf } from '../checkinQueue.ts';
import { rememberedTasks, useCheckinQueue } from '../queue.tsx';

type Value = boolean | number | string | null;
type Done = { kind: 'sent'; checkin: Checkin } | { kind: 'queued' } | { kind: 'rejected'; message: string };

/**
 * The page a checkpoint's QR opens (`/m/patrol/scan/<code>`): the checkpoint and its checklist, photos, a note, and
 * 打卡. The scan time is when this page opened; the check-in goes through the queue, so without network it is kept
 * with that time and sent later. Offline, the checklist comes from the last task list kept on the phone.
 */
export function ScanPage() {
  const { t } = useTranslation();
  const { code = '' } = useParams();
  const me = useCurrentMe();
  const online = useOnline();
  const [scannedAt] = useState(() => new Date().toISOString());
  const scan = useScan(code);
  const cached = rememberedTasks(me.user.id)?.checkpoints.find((c) => c.id === checkpointIdOf(code)) ?? null;
  const checkpoint: Checkpoint | null = scan.data?.checkpoint ?? cached;
  const queue = useCheckinQueue();
  const [answers, setAnswers] = useState<Record<string, Value>>({});
  const [photos, setPhotos] = useState<LocalPhoto[]>([]);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Done | null>(null);

  if (done) return <Outcome done={done} />;
  if (!checkpoint) {
    if (scan.isPending && online) return <div className="m-page"><div className="m-card"><Skeleton active /></div></div>;
    return (
      <div className="m-page">
        <Result status="warning" title={t('patrols.m.badCode')} subTitle={scan.error?.message ?? t('patrols.m.unknownOffline')} extra={<Link to="/patrol"><Button>{t('patrols.m.back')}</Button></Link>} />
      </div>
    );
  }
  const missing = checkpoint.checklist.filter((i) => i.required && (answers[i.id] === undefined || answers[i.id] === null || answers[i.id] === ''));
  const submit = async () => {
    setBusy(true);
    try {
      const outcome = await queue.submit(
        {
          code,
          checkpointId: checkpoint.id,
          checkpointName: checkpoint.name,
          scannedAt,
          answers: checkpoint.checklist.filter((i) => answers[i.id] !== undefined).map((i) => ({ itemId: i.id, value: answers[i.id] })),
          note: note.trim() || null,
          photos: await Promise.all(photos.map(async (p) => ({ name: p.name, type: p.blob.type || 'image/jpeg', data: await p.blob.arrayBuffer() }))),
        },
        !navigator.onLine,
      );
      setDone(outcome.kind === 'sent' ? { kind: 'sent', checkin: outcome.result as Checkin } : outcome.kind === 'queued' ? { kind: 'queued' } : { kind: 'rejected', message: outcome.error instanceof Error ? outcome.error.message : String(outcome.error) });
    } finally {
      setBusy(false);
    }
  };
  const point = scan.data?.point;
  return (
    <div className="m-page" data-testid="m-patrol-checkin">
      <div className="m-card">
        <Typography.Title level={4} style={{ margin: 0 }}>{checkpoint.no}. {checkpoint.name}</Typography.Title>
        <div className="m-sub">{[checkpoint.communityName, checkpoint.buildingName, checkpoint.location].filter(Boolean).join(' · ')}</div>
        <div className="m-sub">{t('patrols.m.scannedAt', { time: dayjs(scannedAt).format('HH:mm:ss') })}</div>
        {point ? (
          <Alert style={{ marginTop: 8 }} type="success" showIcon message={`${point.routeName} · ${t('patrols.roundN', { n: point.round })} · ${windowText(point.windowStart, point.windowEnd, t('patrols.nextDay'))}`} />
        ) : online && scan.data ? (
          <Alert style={{ marginTop: 8 }} type="warning" showIcon message={t('patrols.m.noOpenPoint')} />
        ) : null}
      </div>
      {checkpoint.checklist.length > 0 && (
        <div className="m-card">
          <div className="m-card-title">{t('patrols.checklist')}</div>
          <Flex vertical gap={14}>
            {checkpoint.checklist.map((item) => (
              <div key={item.id} data-testid="m-patrol-item">
                <div style={{ marginBottom: 6 }}>
                  {item.label}
                  {item.required && <Typography.Text type="danger"> *</Typography.Text>}
                  {item.answerKind === 'number' && (item.minValue !== null || item.maxValue !== null) && (
                    <span className="m-sub"> （{t('patrols.m.normalRange', { min: item.minValue ?? '', max: item.maxValue ?? '', unit: item.unit ?? '' })}）</span>
                  )}
                </div>
                {item.answerKind === 'yesNo' && (
                  <div className="m-chips">
                    {[true, false].map((v) => (
                      <button key={String(v)} type="button" className={answers[item.id] === v ? 'm-chip active' : 'm-chip'} onClick={() => setAnswers((a) => ({ ...a, [item.id]: v }))} data-testid={`m-patrol-answer-${v ? 'yes' : 'no'}`}>
                        {v ? t('patrols.yes') : t('patrols.no')}
                      </button>
                    ))}
                  </div>
                )}
                {item.answerKind === 'number' && (
                  <InputNumber
                    style={{ width: '100%' }}
                    size="large"
                    inputMode="decimal"
                    addonAfter={item.unit || undefined}
                    value={(answers[item.id] as number | null | undefined) ?? null}
                    onChange={(v) => setAnswers((a) => ({ ...a, [item.id]: v ?? null }))}
                    data-testid="m-patrol-answer-number"
                  />
                )}
                {item.answerKind === 'text' && <Input size="large" maxLength={200} value={(answers[item.id] as string | undefined) ?? ''} onChange={(e) => setAnswers((a) => ({ ...a, [item.id]: e.target.value }))} />}
              </div>
            ))}
          </Flex>
        </div>
      )}
      <div className="m-card">
        <div className="m-card-title">{t('patrols.photos')}</div>
        <PhotoPicker value={photos} onChange={setPhotos} max={9} testId="m-patrol-photos" />
        <Input.TextArea style={{ marginTop: 10 }} rows={2} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('patrols.m.notePlaceholder')} />
      </div>
      <Button type="primary" size="large" block loading={busy} disabled={missing.length > 0} onClick={() => void submit()} data-testid="m-patrol-submit">
        {online ? t('patrols.m.submit') : t('patrols.m.submitOffline')}
      </Button>
      {missing.length > 0 && <div className="m-sub" style={{ marginTop: 6, textAlign: 'center' }}>{t('patrols.m.answerAll')}</div>}
    </div>
  );
}

function Outcome({ done }: { done: Done }) {
  const { t } = useTranslation();
  const back = (
    <Link to="/patrol" key="back">
      <Button type="primary" size="large">{t('patrols.m.back')}</Button>
    </Link>
  );
  if (done.kind === 'queued') return <div className="m-page"><Result status="info" title={t('patrols.m.queuedTitle')} subTitle={t('patrols.m.queuedHint')} extra={back} /></div>;
  if (done.kind === 'rejected') return <div className="m-page" data-testid="m-patrol-refused"><Result status="error" title={t('patrols.m.refused')} subTitle={done.message} extra={back} /></div>;
  const c = done.checkin;
  return (
    <div className="m-page" data-testid="m-patrol-done">
      <Result
        status={c.abnormal ? 'warning' : 'success'}
        title={c.abnormal ? t('patrols.m.doneAbnormal') : t('patrols.m.done')}
        subTitle={[`${c.checkpointName} · ${dayjs(c.scannedAt).format('HH:mm')}`, c.ticket ? t('patrols.m.ticketMade', { no: c.ticket.no }) : ''].filter(Boolean).join('\n')}
        extra={back}
      />
    </div>
  );
}
