import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { App, Button, Flex, Image, Input, Modal, Skeleton, Tag, Typography } from 'antd';
import { LeftOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/QueryError.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { PhotoPicker, type LocalPhoto } from '../../servicedesk-mobile/components/PhotoPicker.tsx';
import { useNotice, useNoticeAction, type NoticeAction, type NoticeDetail } from '../../quality/api.ts';
import { NoticeStatusTag } from '../../quality/components/tags.tsx';

/** A notice on the phone: the finding and its photos; rectify with photos, or verify / send back; the history. */
export function NoticePage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const notice = useNotice(id);
  if (notice.error) return <div className="m-page"><QueryError error={notice.error} onRetry={() => void notice.refetch()} /></div>;
  if (!notice.data) return <div className="m-page"><Skeleton active /></div>;
  const n = notice.data;
  return (
    <div className="m-page" data-testid="m-quality-notice-page" data-status={n.status}>
      <Link to="../.." relative="path" style={{ display: 'inline-block', marginBottom: 8 }}>
        <LeftOutlined /> {t('quality.mobile.back')}
      </Link>
      <Flex vertical gap={10}>
        <div className="m-card">
          <Flex justify="space-between" align="flex-start" gap={8}>
            <Typography.Text strong style={{ fontSize: 16 }}>{n.description}</Typography.Text>
            <NoticeStatusTag status={n.status} overdue={n.overdue} />
          </Flex>
          <div className="m-sub">{n.no} · {[n.buildingName, n.location].filter(Boolean).join(' ')}</div>
          <div className="m-info-line">{t('quality.notices.department')}：{n.department?.name ?? '—'}　{t('quality.notices.assignee')}：{n.assignee?.name ?? '—'}</div>
          <div className="m-info-line" style={{ color: n.overdue ? '#cf1322' : undefined }}>
            {t('quality.notices.deadline')}：{formatDateTime(n.deadlineAt)}
            {n.escalationLevel > 0 && <Tag color="volcano" style={{ marginLeft: 6 }}>{t(`quality.common.escalated${n.escalationLevel as 1 | 2}`)}</Tag>}
          </div>
          <div className="m-info-line">{t('quality.notices.inspection')}：{n.inspectionTitle} · {n.inspector.name} · −{n.deduction}</div>
          {n.rectifyNote && <div className="m-desc">{t('quality.notices.rectifyNote')}：{n.rectifyNote}</div>}
          <PhotoRow n={n} />
        </div>
        <Actions n={n} />
        <div className="m-card">
          <div className="m-card-title">{t('quality.notices.history')}</div>
          <div className="m-timeline">
            {[...n.events].reverse().map((e) => (
              <div key={e.id} className="m-timeline-item">
                <div className="m-timeline-title">{t(`quality.action.${e.action as NoticeAction}`, { defaultValue: e.action })}</div>
                <div className="m-timeline-meta">{formatDateTime(e.at)} {e.actorName ?? ''}</div>
                {(e.note || e.level) && <div className="m-timeline-note">{e.level ? t(`quality.common.escalated${e.level as 1 | 2}`) : e.note}</div>}
              </div>
            ))}
          </div>
        </div>
      </Flex>
    </div>
  );
}

function PhotoRow({ n }: { n: NoticeDetail }) {
  if (!n.photos.length) return null;
  return (
    <Flex gap={6} wrap style={{ marginTop: 8 }}>
      <Image.PreviewGroup>
        {n.photos.map((p) => (
          <Image key={p.fileId} src={`${p.url}/thumb`} preview={{ src: p.url }} width={72} height={72} style={{ objectFit: 'cover', borderRadius: 6, outline: p.stage === 'rectify' ? '2px solid #52c41a' : undefined }} />
        ))}
      </Image.PreviewGroup>
    </Flex>
  );
}

/** The caller's steps: rectify (note + photos) for the responsible side; verify or send back for the inspector. */
function Actions({ n }: { n: NoticeDetail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const act = useNoticeAction(n.id);
  const [note, setNote] = useState('');
  const [photos, setPhotos] = useState<LocalPhoto[]>([]);
  const [sendingBack, setSendingBack] = useState(false);
  const [reason, setReason] = useState('');
  const run = async (action: NoticeAction, body: { note?: string; reason?: string; photoFileIds?: string[] }, done: string) => {
    try {
      await act.mutateAsync({ action, ...body });
      void message.success(done);
    } catch (err) {
      void message.error((err as Error).message);
    }
  };
  if (n.actions.includes('rectify')) {
    return (
      <div className="m-card">
        <div className="m-card-title">{t('quality.action.rectify')}</div>
        <Input.TextArea rows={3} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('quality.notices.rectifyNote')} maxLength={500} data-testid="m-quality-rectify-note" />
        <div style={{ margin: '10px 0' }}>
          <PhotoPicker value={photos} onChange={setPhotos} upload testId="m-quality-rectify-photos" />
        </div>
        <Button
          type="primary"
          size="large"
          block
          disabled={!note.trim() || photos.some((p) => p.state === 'uploading')}
          loading={act.isPending}
          onClick={() => void run('rectify', { note: note.trim(), photoFileIds: photos.map((p) => p.fileId).filter((x): x is string => Boolean(x)) }, t('quality.mobile.rectified'))}
          data-testid="m-quality-rectify"
        >
          {t('quality.action.rectify')}
        </Button>
      </div>
    );
  }
  if (!n.actions.includes('verify')) return null;
  return (
    <div className="m-card">
      <Flex gap={10}>
        <Button size="large" style={{ flex: 1 }} danger onClick={() => setSendingBack(true)} data-testid="m-quality-send-back">
          {t('quality.action.sendBack')}
        </Button>
        <Button size="large" type="primary" style={{ flex: 2 }} loading={act.isPending} onClick={() => void run('verify', {}, t('quality.mobile.verified'))} data-testid="m-quality-verify">
          {t('quality.action.verify')}
        </Button>
      </Flex>
      <Modal open={sendingBack} title={t('quality.action.sendBack')} onCancel={() => setSendingBack(false)} okButtonProps={{ disabled: !reason.trim() }} onOk={() => void run('sendBack', { reason: reason.trim() }, t('quality.mobile.sentBack')).then(() => setSendingBack(false))}>
        <Input.TextArea rows={3} value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('quality.notices.reason')} maxLength={500} />
      </Modal>
    </div>
  );
}
