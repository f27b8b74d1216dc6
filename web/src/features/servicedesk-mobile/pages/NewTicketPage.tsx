import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Alert, App, Button, Flex, Form, Input, Radio, Skeleton, Switch, Typography } from 'antd';
import { LeftOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ownerCreateTicketBody } from '../../../../../src/modules/servicedesk/schema.ts';
import { QueryError } from '../../../components/QueryError.tsx';
import { currentLang } from '../../../i18n/index.ts';
import { showServerErrors, zodField } from '../../../lib/form.ts';
import { useOwnerHome } from '../../owner/api.ts';
import { useCategories, useCreateTicket, type TicketKind } from '../api.ts';
import { TICKET_KINDS } from '../labels.ts';
import { newClientId } from '../offlineQueue.ts';
import { ChoiceChips } from '../components/ChoiceChips.tsx';
import { PhotoPicker, type LocalPhoto } from '../components/PhotoPicker.tsx';

const shape = ownerCreateTicketBody.shape;

interface Values {
  roomId: string;
  kind: TicketKind;
  categoryId: string;
  urgent: boolean;
  location?: string;
  title: string;
  description?: string;
}

/**
 * 报事报修: the owner reports a repair, complaint, question or paid-service request for one of their homes, with
 * photos from the camera or the gallery. One clientActionId per visit to the page, so a double tap (or a retry
 * after a lost answer) makes one ticket.
 */
export function NewTicketPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const home = useOwnerHome();
  const create = useCreateTicket();
  const [form] = Form.useForm<Values>();
  const [clientActionId] = useState(newClientId);
  const [photos, setPhotos] = useState<LocalPhoto[]>([]);
  const [formError, setFormError] = useState<string | null>(null);
  const kind = Form.useWatch('kind', form) ?? 'homeRepair';
  const categories = useCategories(kind);
  const en = currentLang() === 'en';

  if (home.error) return <div className="m-page"><QueryError error={home.error} onRetry={() => void home.refetch()} /></div>;
  if (!home.data) return <div className="m-page"><Skeleton active /></div>;
  const rooms = home.data.rooms;
  const uploading = photos.some((p) => p.state === 'uploading');

  const onFinish = (v: Values) => {
    setFormError(null);
    const failed = photos.filter((p) => p.state === 'failed');
    if (failed.length) {
      setFormError(t('servicedeskMobile.photoFailed'));
      return;
    }
    create.mutate(
      {
        roomId: v.roomId,
        kind: v.kind,
        categoryId: v.categoryId,
        urgency: v.urgent ? 'urgent' : 'normal',
        title: v.title,
        description: v.description ?? '',
        ...(v.kind !== 'homeRepair' && v.location?.trim() ? { location: v.location.trim() } : {}),
        photoFileIds: photos.map((p) => p.fileId!).filter(Boolean),
        clientActionId,
      },
      {
        onSuccess: (ticket) => {
          void message.success(t('servicedeskMobile.submitted', { no: ticket.no }));
          navigate('/tickets', { replace: true });
        },
        onError: (err) => setFormError(showServerErrors(form, err)),
      },
    );
  };

  return (
    <div className="m-page" data-testid="m-ticket-new">
      <Button type="link" icon={<LeftOutlined />} onClick={() => navigate(-1)} style={{ paddingInline: 0, marginBottom: 4 }}>
        {t('mobile.back')}
      </Button>
      {rooms.length === 0 ? (
        <div className="m-card">
          <Alert type="info" showIcon title={t('servicedeskMobile.noRoom')} />
        </div>
      ) : (
        <Form
          form={form}
          layout="vertical"
          requiredMark={false}
          onFinish={onFinish}
          initialValues={{ roomId: rooms[0]!.id, kind: 'homeRepair', urgent: false }}
          onValuesChange={(changed: Partial<Values>) => {
            if (changed.kind) form.setFieldValue('categoryId', undefined);
          }}
        >
          {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} data-testid="m-ticket-error" />}
          <div className="m-card">
            <Form.Item name="kind" label={t('servicedeskMobile.kind')} {...zodField(shape.kind)}>
              <ChoiceChips testId="m-ticket-kind" options={TICKET_KINDS.map((k) => ({ value: k, label: t(`servicedeskMobile.kinds.${k}`) }))} />
            </Form.Item>
            <Form.Item name="categoryId" label={t('servicedeskMobile.category')} {...zodField(shape.categoryId)} style={{ marginBottom: 8 }}>
              {categories.error ? (
                <QueryError error={categories.error} onRetry={() => void categories.refetch()} />
              ) : categories.data ? (
                <ChoiceChips testId="m-ticket-category" options={categories.data.items.map((c) => ({ value: c.id, label: en && c.nameEn ? c.nameEn : c.name }))} />
              ) : (
                <Skeleton.Button active block />
              )}
            </Form.Item>
          </div>

          <div className="m-card">
            <Form.Item name="roomId" label={t('servicedeskMobile.room')} {...zodField(shape.roomId)}>
              <Radio.Group style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
                {rooms.map((r) => (
                  <Radio key={r.id} value={r.id} className="m-choice" style={{ display: 'flex' }} data-testid="m-ticket-room">
                    {r.community} · {r.label}
                  </Radio>
                ))}
              </Radio.Group>
            </Form.Item>
            {kind !== 'homeRepair' && (
              <Form.Item
                name="location"
                label={kind === 'publicRepair' ? t('servicedeskMobile.location') : t('servicedeskMobile.locationOptional')}
                extra={kind === 'publicRepair' ? t('servicedeskMobile.locationHint') : undefined}
                rules={kind === 'publicRepair' ? [{ required: true, whitespace: true, message: t('servicedeskMobile.locationRequired') }, ...zodField(shape.location).rules] : zodField(shape.location).rules}
              >
                <Input maxLength={200} placeholder={t('servicedeskMobile.locationPlaceholder')} data-testid="m-ticket-location" />
              </Form.Item>
            )}
            <Flex justify="space-between" align="center" gap={12}>
              <div style={{ minWidth: 0 }}>
                <div>{t('servicedeskMobile.urgent')}</div>
                <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                  {t('servicedeskMobile.urgentHint')}
                </Typography.Text>
              </div>
              <Form.Item name="urgent" valuePropName="checked" noStyle>
                <Switch data-testid="m-ticket-urgent" />
              </Form.Item>
            </Flex>
          </div>

          <div className="m-card">
            <Form.Item name="title" label={t('servicedeskMobile.title')} {...zodField(shape.title)}>
              <Input maxLength={100} placeholder={t('servicedeskMobile.titlePlaceholder')} data-testid="m-ticket-title" />
            </Form.Item>
            <Form.Item name="description" label={t('servicedeskMobile.description')} {...zodField(shape.description)}>
              <Input.TextArea rows={3} maxLength={2000} placeholder={t('servicedeskMobile.descriptionPlaceholder')} data-testid="m-ticket-desc" />
            </Form.Item>
            <Form.Item label={t('servicedeskMobile.photos')} extra={t('servicedeskMobile.photosHint')} style={{ marginBottom: 0 }}>
              <PhotoPicker value={photos} onChange={setPhotos} upload testId="m-ticket-photo-input" />
            </Form.Item>
          </div>

          <Button type="primary" htmlType="submit" block size="large" loading={create.isPending} disabled={uploading} data-testid="m-ticket-submit">
            {uploading ? t('servicedeskMobile.uploading') : t('servicedeskMobile.submit')}
          </Button>
        </Form>
      )}
    </div>
  );
}
