import { useState } from 'react';
import { App, Button, DatePicker, Descriptions, Drawer, Flex, Form, Image, Input, Modal, Skeleton, Tag, Timeline, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/QueryError.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { useNotice, useNoticeAction, type NoticeAction, type NoticeDetail } from '../api.ts';
import { NoticeStatusTag } from './tags.tsx';

/** A rectification notice: what, where, who, until when; its photos, its history and the caller's workflow buttons. */
export function NoticeDrawer({ id, onClose }: { id: string | undefined; onClose: () => void }) {
  const { t } = useTranslation();
  const notice = useNotice(id);
  return (
    <Drawer open={Boolean(id)} onClose={onClose} width={620} title={notice.data ? `${t('quality.notices.title')} ${notice.data.no}` : t('quality.notices.title')} destroyOnHidden>
      {notice.error ? <QueryError error={notice.error} onRetry={() => void notice.refetch()} /> : !notice.data ? <Skeleton active /> : <NoticeBody n={notice.data} />}
    </Drawer>
  );
}

function NoticeBody({ n }: { n: NoticeDetail }) {
  const { t } = useTranslation();
  const [acting, setActing] = useState<NoticeAction | null>(null);
  const findingPhotos = n.photos.filter((p) => p.stage === 'finding');
  const rectifyPhotos = n.photos.filter((p) => p.stage === 'rectify');
  return (
    <Flex vertical gap={16} data-testid="notice-drawer">
      <Flex gap={8} wrap>
        <NoticeStatusTag status={n.status} overdue={n.overdue} />
        {n.escalationLevel > 0 && <Tag color="volcano">{t(`quality.common.escalated${n.escalationLevel as 1 | 2}`)}</Tag>}
      </Flex>
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t('quality.notices.description')}>{n.description}</Descriptions.Item>
        <Descriptions.Item label={t('quality.notices.location')}>{[n.buildingName, n.location].filter(Boolean).join(' · ') || '—'}</Descriptions.Item>
        <Descriptions.Item label={t('quality.notices.inspection')}>{n.inspectionTitle}{n.itemLabel ? ` · ${n.itemLabel}` : ''}</Descriptions.Item>
        <Descriptions.Item label={t('quality.notices.deduction')}>{t('quality.common.points', { n: n.deduction })}</Descriptions.Item>
        <Descriptions.Item label={t('quality.notices.department')}>{n.department?.name ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('quality.notices.assignee')}>{n.assignee?.name ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('quality.notices.inspector')}>{n.inspector.name}</Descriptions.Item>
        <Descriptions.Item label={t('quality.notices.deadline')}>
          <Typography.Text type={n.overdue ? 'danger' : undefined}>{formatDateTime(n.deadlineAt)}</Typography.Text>
        </Descriptions.Item>
        {n.rectifyNote && <Descriptions.Item label={t('quality.notices.rectifyNote')}>{n.rectifyNote}</Descriptions.Item>}
      </Descriptions>
      {findingPhotos.length > 0 && <Photos title={t('quality.notices.photosFinding')} urls={findingPhotos.map((p) => p.url)} />}
      {rectifyPhotos.length > 0 && <Photos title={t('quality.notices.photosRectify')} urls={rectifyPhotos.map((p) => p.url)} />}
      {n.actions.length > 0 && (
        <Flex gap={8} wrap>
          {n.actions.map((a) => (
            <Button key={a} type={a === 'verify' || a === 'rectify' ? 'primary' : 'default'} danger={a === 'cancel'} onClick={() => setActing(a)} data-testid={`notice-${a}`}>
              {t(`quality.action.${a}`)}
            </Button>
          ))}
        </Flex>
      )}
      <div>
        <Typography.Title level={5}>{t('quality.notices.history')}</Typography.Title>
        <Timeline
          items={n.events.map((e) => ({
            color: e.action === 'escalate' ? 'red' : e.action === 'verify' ? 'green' : e.action === 'sendBack' ? 'orange' : 'blue',
            children: (
              <>
                <Typography.Text strong>{t(`quality.action.${e.action as NoticeAction}`, { defaultValue: e.action })}</Typography.Text>
                <Typography.Text type="secondary"> {formatDateTime(e.at)} {e.actorName ?? ''}</Typography.Text>
                {e.level && <div>{t(`quality.common.escalated${e.level as 1 | 2}`)}</div>}
                {e.note && <div>{e.note}</div>}
              </>
            ),
          }))}
        />
      </div>
      {acting && <ActionModal notice={n} action={acting} onClose={() => setActing(null)} />}
    </Flex>
  );
}

function Photos({ title, urls }: { title: string; urls: string[] }) {
  return (
    <div>
      <Typography.Text type="secondary">{title}</Typography.Text>
      <Flex gap={8} wrap style={{ marginTop: 6 }}>
        <Image.PreviewGroup>
          {urls.map((u) => (
            <Image key={u} src={`${u}/thumb`} preview={{ src: u }} width={88} height={88} style={{ objectFit: 'cover', borderRadius: 6 }} />
          ))}
        </Image.PreviewGroup>
      </Flex>
    </div>
  );
}

/** The form of one step: a note for rectify/verify, a reason for send back / withdraw, a new deadline to extend. */
function ActionModal({ notice, action, onClose }: { notice: NoticeDetail; action: NoticeAction; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ note?: string; reason?: string; deadlineAt?: Dayjs }>();
  const act = useNoticeAction(notice.id);
  const needsReason = action === 'sendBack' || action === 'cancel' || action === 'extend';
  const submit = async () => {
    const v = await form.validateFields();
    await act.mutateAsync({ action, note: v.note, reason: v.reason, deadlineAt: v.deadlineAt?.toISOString() });
    void message.success(t('quality.common.done'));
    onClose();
  };
  return (
    <Modal open title={`${t(`quality.action.${action}`)} · ${notice.no}`} onCancel={onClose} onOk={() => void submit().catch(() => undefined)} confirmLoading={act.isPending}>
      <Form form={form} layout="vertical">
        {action === 'extend' && (
          <Form.Item name="deadlineAt" label={t('quality.notices.newDeadline')} rules={[{ required: true }]}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" disabledDate={(d) => d.isBefore(dayjs(), 'day')} />
          </Form.Item>
        )}
        {needsReason ? (
          <Form.Item name="reason" label={t('quality.notices.reason')} rules={[{ required: true, max: 500 }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
        ) : (
          <Form.Item name="note" label={t('quality.notices.note')} rules={[{ required: action === 'rectify', max: 500 }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
        )}
        {act.error && <Typography.Text type="danger">{(act.error as Error).message}</Typography.Text>}
      </Form>
    </Modal>
  );
}
