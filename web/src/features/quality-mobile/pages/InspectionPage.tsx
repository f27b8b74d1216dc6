import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { App, Button, DatePicker, Flex, Form, Input, InputNumber, Modal, Select, Skeleton, Typography } from 'antd';
import { LeftOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/QueryError.tsx';
import { showServerErrors } from '../../../lib/form.ts';
import { PhotoPicker, type LocalPhoto } from '../../servicedesk-mobile/components/PhotoPicker.tsx';
import { useAddFinding, useAssignees, useInspection, useScoreItems, useSubmitInspection, type InspectionDetail } from '../../quality/api.ts';
import { InspectionStatusTag, NoticeStatusTag } from '../../quality/components/tags.tsx';

/** One inspection on the phone: deduct points item by item, record findings with photos (each a notice), submit. */
export function InspectionPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const insp = useInspection(id);
  if (insp.error) return <div className="m-page"><QueryError error={insp.error} onRetry={() => void insp.refetch()} /></div>;
  if (!insp.data) return <div className="m-page"><Skeleton active /></div>;
  return (
    <div className="m-page" data-testid="m-quality-inspection-page">
      <Link to="../.." relative="path" style={{ display: 'inline-block', marginBottom: 8 }}>
        <LeftOutlined /> {t('quality.mobile.back')}
      </Link>
      <Body d={insp.data} />
    </div>
  );
}

function Body({ d }: { d: InspectionDetail }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const [deducted, setDeducted] = useState<Record<string, number>>({});
  const [finding, setFinding] = useState(false);
  const save = useScoreItems(d.id);
  const submit = useSubmitInspection(d.id);
  useEffect(() => setDeducted(Object.fromEntries(d.items.map((i) => [i.id, i.deducted]))), [d.items]);
  const dirty = d.items.some((i) => (deducted[i.id] ?? 0) !== i.deducted);
  const saveScores = () => save.mutateAsync(d.items.map((i) => ({ itemId: i.id, deducted: deducted[i.id] ?? 0 })));
  const onSubmit = () =>
    modal.confirm({
      title: t('quality.mobile.submitInspection'),
      content: t('quality.mobile.submitConfirm'),
      onOk: async () => {
        if (dirty) await saveScores();
        const r = await submit.mutateAsync({});
        void message.success(t('quality.mobile.submitted', { score: r.score, max: r.maxScore }));
      },
    });
  return (
    <Flex vertical gap={10}>
      <div className="m-card">
        <Flex justify="space-between" align="center">
          <Typography.Text strong style={{ fontSize: 16 }}>{d.title}</Typography.Text>
          <InspectionStatusTag status={d.status} />
        </Flex>
        <div className="m-sub">
          {d.plannedOn} · {d.communityName} · {t(`quality.kind.${d.kind}`)} · {d.templateName}
        </div>
        {d.score !== null && (
          <Typography.Title level={3} style={{ margin: '8px 0 0' }}>
            {d.score}/{d.maxScore}
          </Typography.Title>
        )}
      </div>
      <div className="m-card">
        <div className="m-card-title">{t('quality.inspections.items')}</div>
        {d.items.map((i) => (
          <Flex key={i.id} justify="space-between" align="center" gap={8} style={{ padding: '8px 0', borderBottom: '1px solid #f3f3f3' }}>
            <div style={{ minWidth: 0 }}>
              <div>{i.label}</div>
              <div className="m-sub">
                {t(`quality.departmentKind.${i.departmentKind}`)} · {t('quality.inspections.maxPoints')} {i.maxPoints} · {t('quality.inspections.pointsLeft')} {i.points}
              </div>
            </div>
            {d.canEdit ? (
              <InputNumber size="large" min={0} max={i.maxPoints} value={deducted[i.id] ?? 0} onChange={(v) => setDeducted((m) => ({ ...m, [i.id]: v ?? 0 }))} prefix="−" style={{ width: 92 }} aria-label={`${i.label} ${t('quality.inspections.deducted')}`} />
            ) : (
              <Typography.Text type={i.deducted ? 'danger' : 'secondary'}>−{i.deducted}</Typography.Text>
            )}
          </Flex>
        ))}
        {d.canEdit && dirty && (
          <Button block style={{ marginTop: 10 }} loading={save.isPending} onClick={() => void saveScores()}>
            {t('quality.mobile.saveScores')}
          </Button>
        )}
      </div>
      <div className="m-card">
        <Flex justify="space-between" align="center">
          <div className="m-card-title">{t('quality.inspections.notices')}</div>
          {d.canEdit && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setFinding(true)} data-testid="m-quality-add-finding">
              {t('quality.finding.add')}
            </Button>
          )}
        </Flex>
        {d.notices.length === 0 && <div className="m-sub">{t('quality.common.none')}</div>}
        {d.notices.map((n) => (
          <Link key={n.id} to={`../../notices/${n.id}`} relative="path" style={{ display: 'block', color: 'inherit', padding: '8px 0', borderBottom: '1px solid #f3f3f3' }}>
            <Flex justify="space-between" gap={8}>
              <span>{n.description}</span>
              <NoticeStatusTag status={n.status} overdue={n.overdue} />
            </Flex>
            <div className="m-sub">
              {n.no} · {n.department?.name ?? n.assignee?.name} · −{n.deduction}
            </div>
          </Link>
        ))}
      </div>
      {d.canEdit && (
        <Button type="primary" size="large" block loading={submit.isPending} onClick={onSubmit} data-testid="m-quality-submit">
          {t('quality.mobile.submitInspection')}
        </Button>
      )}
      {finding && <FindingSheet d={d} onClose={() => setFinding(false)} />}
    </Flex>
  );
}

interface FindingForm {
  description: string;
  location?: string;
  itemId?: string;
  deduction?: number;
  departmentId?: string;
  assigneeId?: string;
  deadlineAt: Dayjs;
}

/** A finding: what and where, the item and points, who must rectify by when, photos. Saved as a numbered notice. */
function FindingSheet({ d, onClose }: { d: InspectionDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<FindingForm>();
  const [photos, setPhotos] = useState<LocalPhoto[]>([]);
  const people = useAssignees(d.communityId);
  const add = useAddFinding(d.id);
  const submit = async () => {
    const v = await form.validateFields();
    if (!v.departmentId && !v.assigneeId) {
      form.setFields([{ name: 'departmentId', errors: [t('quality.finding.needTarget')] }]);
      return;
    }
    try {
      const r = await add.mutateAsync({
        description: v.description,
        location: v.location || undefined,
        itemId: v.itemId,
        deduction: v.deduction ?? 0,
        departmentId: v.departmentId,
        assigneeId: v.assigneeId,
        deadlineAt: v.deadlineAt.toISOString(),
        photoFileIds: photos.map((p) => p.fileId).filter((x): x is string => Boolean(x)),
      });
      void message.success(t('quality.finding.created', { no: r.notices[r.notices.length - 1]?.no ?? '' }));
      onClose();
    } catch (err) {
      const rest = showServerErrors(form, err);
      if (rest) void message.error(rest);
    }
  };
  return (
    <Modal open title={t('quality.finding.add')} onCancel={onClose} onOk={() => void submit().catch(() => undefined)} confirmLoading={add.isPending} okText={t('quality.common.submit')} width={440}>
      <Form form={form} layout="vertical" initialValues={{ deduction: 1, deadlineAt: dayjs().add(2, 'day').hour(18).minute(0).second(0) }}>
        <Form.Item name="description" label={t('quality.finding.description')} rules={[{ required: true, max: 500 }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Form.Item name="location" label={t('quality.finding.location')} rules={[{ max: 100 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="itemId" label={t('quality.finding.item')}>
          <Select allowClear options={d.items.map((i) => ({ value: i.id, label: i.label }))} />
        </Form.Item>
        <Flex gap={10}>
          <Form.Item name="deduction" label={t('quality.finding.deduction')} style={{ width: 110 }}>
            <InputNumber min={0} max={100} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="deadlineAt" label={t('quality.finding.deadline')} rules={[{ required: true }]} style={{ flex: 1 }}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="MM-DD HH:mm" style={{ width: '100%' }} inputReadOnly />
          </Form.Item>
        </Flex>
        <Form.Item name="departmentId" label={t('quality.finding.department')}>
          <Select allowClear options={(people.data?.departments ?? []).map((x) => ({ value: x.id, label: x.name }))} />
        </Form.Item>
        <Form.Item name="assigneeId" label={t('quality.finding.assignee')}>
          <Select allowClear showSearch optionFilterProp="label" options={(people.data?.rectifiers ?? []).map((x) => ({ value: x.id, label: x.name }))} />
        </Form.Item>
        <Form.Item label={t('quality.finding.photos')}>
          <PhotoPicker value={photos} onChange={setPhotos} upload testId="m-quality-finding-photos" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
