import { useState, type ReactNode } from 'react';
import { Button, Drawer, Flex, Form, Input, InputNumber } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { completeBody, materialsBody, reasonBody, replyBody, stepBody } from '../../../../../src/modules/servicedesk/schema.ts';
import { zodField } from '../../../lib/form.ts';
import type { NewStep } from '../offlineQueue.ts';
import type { TicketDetail } from '../api.ts';
import { toFen } from '../labels.ts';
import { ChoiceChips } from './ChoiceChips.tsx';
import { PhotoPicker, toQueuedPhotos, type LocalPhoto } from './PhotoPicker.tsx';

export type SheetName = 'arrive' | 'photos' | 'materials' | 'complete' | 'handBack' | 'pause' | 'reply';
type Submit = (step: Omit<NewStep, 'offline'>) => Promise<unknown>;

/** A bottom sheet: the form of one step, thumb-reachable, with its confirm button at the bottom. */
function Sheet({ title, open, onClose, children, testId }: { title: string; open: boolean; onClose: () => void; children: ReactNode; testId: string }) {
  return (
    <Drawer placement="bottom" size="auto" open={open} onClose={onClose} title={title} destroyOnHidden styles={{ body: { paddingBottom: 24 }, wrapper: { maxHeight: '90vh' } }} data-testid={testId}>
      {children}
    </Drawer>
  );
}

function SubmitButton({ children, testId, busy, danger }: { children: ReactNode; testId: string; busy: boolean; danger?: boolean }) {
  return (
    <Button type="primary" danger={danger} htmlType="submit" block size="large" loading={busy} data-testid={testId}>
      {children}
    </Button>
  );
}

const materialItem = materialsBody.shape.items.element.shape;

/**
 * The technician's step forms. Each one hands a step to the offline queue and closes: what happens next (sent,
 * queued, refused) is shown by the page.
 */
export function StepSheets({ ticket, open, onClose, submit }: { ticket: TicketDetail; open: SheetName | null; onClose: () => void; submit: Submit }) {
  const { t } = useTranslation();
  const [photos, setPhotos] = useState<LocalPhoto[]>([]);
  const [busy, setBusy] = useState(false);
  const close = () => {
    setPhotos([]);
    onClose();
  };
  const send = async (step: Omit<NewStep, 'offline'>) => {
    setBusy(true);
    try {
      const queued = await toQueuedPhotos(photos);
      close();
      await submit({ ...step, photos: queued });
    } finally {
      setBusy(false);
    }
  };
  const photoField = (label: string, testId: string, extra?: string) => (
    <Form.Item label={label} extra={extra}>
      <PhotoPicker value={photos} onChange={setPhotos} testId={testId} />
    </Form.Item>
  );
  const paid = ticket.kind === 'paidService';
  const written = ticket.kind === 'complaint' || ticket.kind === 'inquiry';

  return (
    <>
      <Sheet title={t('servicedeskMobile.steps.arrive')} open={open === 'arrive'} onClose={close} testId="m-sheet-arrive">
        <Form layout="vertical" requiredMark={false} onFinish={(v: { note?: string }) => void send({ ticketId: ticket.id, step: 'arrive', body: v.note?.trim() ? { note: v.note.trim() } : {}, photoField: 'photoFileIds' })}>
          {photoField(t('servicedeskMobile.arrivePhoto'), 'm-arrive-photo-input', t('servicedeskMobile.arrivePhotoHint'))}
          <Form.Item name="note" label={t('servicedeskMobile.noteOptional')} {...zodField(stepBody.shape.note)}>
            <Input maxLength={500} data-testid="m-arrive-note" />
          </Form.Item>
          <SubmitButton testId="m-arrive-submit" busy={busy}>
            {t('servicedeskMobile.arriveSubmit')}
          </SubmitButton>
        </Form>
      </Sheet>

      <Sheet title={t('servicedeskMobile.steps.photos')} open={open === 'photos'} onClose={close} testId="m-sheet-photos">
        <Form
          layout="vertical"
          requiredMark={false}
          initialValues={{ stage: ticket.status === 'completed' ? 'after' : ticket.status === 'inProgress' ? 'progress' : 'before' }}
          onFinish={(v: { stage: 'before' | 'progress' | 'after' }) => void send({ ticketId: ticket.id, step: 'photos', body: { stage: v.stage }, photoField: 'fileIds' })}
        >
          <Form.Item name="stage" label={t('servicedeskMobile.photoStage')}>
            <ChoiceChips testId="m-photos-stage" options={(['before', 'progress', 'after'] as const).map((s) => ({ value: s, label: t(`servicedeskMobile.photoStages.${s}`) }))} />
          </Form.Item>
          {photoField(t('servicedeskMobile.photos'), 'm-photos-input')}
          <Button type="primary" htmlType="submit" block size="large" loading={busy} disabled={!photos.length} data-testid="m-photos-submit">
            {t('servicedeskMobile.photosSubmit')}
          </Button>
        </Form>
      </Sheet>

      <Sheet title={t('servicedeskMobile.steps.materials')} open={open === 'materials'} onClose={close} testId="m-sheet-materials">
        <Form
          layout="vertical"
          requiredMark={false}
          initialValues={{ items: [{ unit: t('servicedeskMobile.defaultUnit') }] }}
          onFinish={(v: { items: Array<{ name: string; quantity: number; unit: string; price?: number }> }) =>
            void send({ ticketId: ticket.id, step: 'materials', body: { items: v.items.map((m) => ({ name: m.name.trim(), quantity: m.quantity, unit: m.unit.trim(), priceFen: toFen(m.price ?? 0) })) } })
          }
        >
          <Form.List name="items">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f, i) => (
                  <div key={f.key} className="m-material" data-testid="m-material-row">
                    <Flex gap={8}>
                      <Form.Item name={[f.name, 'name']} label={t('servicedeskMobile.materialName')} style={{ flex: 1, minWidth: 0 }} {...zodField(materialItem.name)}>
                        <Input maxLength={50} data-testid="m-material-name" />
                      </Form.Item>
                      {fields.length > 1 && <Button type="text" icon={<DeleteOutlined />} aria-label={t('common.delete')} onClick={() => remove(f.name)} style={{ marginTop: 30 }} />}
                    </Flex>
                    <Flex gap={8}>
                      <Form.Item name={[f.name, 'quantity']} label={t('servicedeskMobile.materialQty')} style={{ flex: 1 }} {...zodField(materialItem.quantity)}>
                        <InputNumber min={0.01} step={1} precision={2} inputMode="decimal" style={{ width: '100%' }} data-testid="m-material-qty" />
                      </Form.Item>
                      <Form.Item name={[f.name, 'unit']} label={t('servicedeskMobile.materialUnit')} style={{ width: 72 }} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
                        <Input maxLength={10} data-testid="m-material-unit" />
                      </Form.Item>
                      <Form.Item name={[f.name, 'price']} label={t('servicedeskMobile.materialPrice')} style={{ flex: 1 }}>
                        <InputNumber min={0} max={100000} precision={2} inputMode="decimal" style={{ width: '100%' }} data-testid="m-material-price" />
                      </Form.Item>
                    </Flex>
                    {i < fields.length - 1 && <div className="m-divider" />}
                  </div>
                ))}
                <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add({ unit: t('servicedeskMobile.defaultUnit') })} style={{ marginBottom: 16 }}>
                  {t('servicedeskMobile.addMaterial')}
                </Button>
              </>
            )}
          </Form.List>
          <SubmitButton testId="m-materials-submit" busy={busy}>
            {t('servicedeskMobile.materialsSubmit')}
          </SubmitButton>
        </Form>
      </Sheet>

      <Sheet title={t('servicedeskMobile.steps.complete')} open={open === 'complete'} onClose={close} testId="m-sheet-complete">
        <Form
          layout="vertical"
          requiredMark={false}
          onFinish={(v: { note?: string; charge?: number; replyText?: string }) =>
            void send({
              ticketId: ticket.id,
              step: 'complete',
              photoField: 'photoFileIds',
              body: {
                ...(v.note?.trim() ? { note: v.note.trim() } : {}),
                ...(v.replyText?.trim() ? { replyText: v.replyText.trim() } : {}),
                ...(paid && v.charge !== undefined && v.charge !== null ? { chargeFen: toFen(v.charge) } : {}),
              },
            })
          }
        >
          {!written && photoField(t('servicedeskMobile.afterPhotos'), 'm-complete-photo-input', t('servicedeskMobile.afterPhotosHint'))}
          {written && (
            <Form.Item name="replyText" label={t('servicedeskMobile.replyText')} {...zodField(completeBody.shape.replyText)}>
              <Input.TextArea rows={3} maxLength={2000} />
            </Form.Item>
          )}
          <Form.Item name="note" label={t('servicedeskMobile.completeNote')} {...zodField(completeBody.shape.note)}>
            <Input.TextArea rows={2} maxLength={1000} placeholder={t('servicedeskMobile.completeNotePlaceholder')} data-testid="m-complete-note" />
          </Form.Item>
          {paid && (
            <Form.Item name="charge" label={t('servicedeskMobile.charge')} extra={t('servicedeskMobile.chargeHint')}>
              <InputNumber min={0} max={1000000} precision={2} prefix="¥" inputMode="decimal" style={{ width: '100%' }} data-testid="m-complete-charge" />
            </Form.Item>
          )}
          <SubmitButton testId="m-complete-submit" busy={busy}>
            {t('servicedeskMobile.completeSubmit')}
          </SubmitButton>
        </Form>
      </Sheet>

      {(['handBack', 'pause'] as const).map((step) => (
        <Sheet key={step} title={t(`servicedeskMobile.steps.${step}`)} open={open === step} onClose={close} testId={`m-sheet-${step}`}>
          <Form layout="vertical" requiredMark={false} onFinish={(v: { reason: string }) => void send({ ticketId: ticket.id, step, body: { reason: v.reason.trim() } })}>
            <Form.Item name="reason" label={t(step === 'handBack' ? 'servicedeskMobile.handBackReason' : 'servicedeskMobile.pauseReason')} {...zodField(reasonBody.shape.reason)}>
              <Input.TextArea rows={3} maxLength={500} placeholder={t(step === 'handBack' ? 'servicedeskMobile.handBackPlaceholder' : 'servicedeskMobile.pausePlaceholder')} data-testid={`m-${step}-reason`} />
            </Form.Item>
            <SubmitButton testId={`m-${step}-submit`} busy={busy} danger={step === 'handBack'}>
              {t(`servicedeskMobile.steps.${step}`)}
            </SubmitButton>
          </Form>
        </Sheet>
      ))}

      <Sheet title={t('servicedeskMobile.steps.reply')} open={open === 'reply'} onClose={close} testId="m-sheet-reply">
        <Form layout="vertical" requiredMark={false} onFinish={(v: { text: string }) => void send({ ticketId: ticket.id, step: 'reply', body: { text: v.text.trim() } })}>
          <Form.Item name="text" label={t('servicedeskMobile.replyText')} {...zodField(replyBody.shape.text)}>
            <Input.TextArea rows={4} maxLength={2000} data-testid="m-reply-text" />
          </Form.Item>
          <SubmitButton testId="m-reply-submit" busy={busy}>
            {t('servicedeskMobile.replySubmit')}
          </SubmitButton>
        </Form>
      </Sheet>
    </>
  );
}
