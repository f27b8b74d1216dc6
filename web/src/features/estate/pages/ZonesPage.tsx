import { useEffect, useState } from 'react';
import { Alert, AutoComplete, Button, Card, Form, Input, Modal, Radio, Select, Table, Tabs, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { createCommonPartBody, createPhaseBody, createZoneBody } from '../../../../../src/modules/estate/schema.ts';
import { CommunitySelect, usePageCommunity } from '../../../components/CommunitySelect.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { compact, showServerErrors, zodField } from '../../../lib/form.ts';
import { useAbilities } from '../../auth/api.ts';
import { useStaffList } from '../../staff/api.ts';
import { useBuildings, useCommonParts, useCreateCommonPart, useCreatePhase, useCreateZone, usePhases, useUpdateZone, useZones, type CommonPart, type Phase, type Zone } from '../api.ts';

type Kind = 'zone' | 'part' | 'phase';

function useStaffOptions(enabled: boolean) {
  const can = useAbilities();
  const staff = useStaffList({ pageSize: 200, status: 'active' }, enabled && can('staff.read'));
  return (staff.data?.items ?? []).map((s) => ({ value: s.id, label: s.displayName }));
}

/** One modal for the three simple records: a zone (片区), a common part (公共部位) or a phase (分期/组团). */
function StructureModal({ kind, zone, communityId, onClose }: { kind: Kind | null; zone?: Zone; communityId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const [formError, setFormError] = useState<string | null>(null);
  const staff = useStaffOptions(kind !== null && kind !== 'phase');
  const zones = useZones(kind === 'part' ? communityId : undefined);
  const buildings = useBuildings(communityId, kind === 'part');
  const createZone = useCreateZone();
  const updateZone = useUpdateZone();
  const createPart = useCreateCommonPart();
  const createPhase = useCreatePhase();
  const pending = createZone.isPending || updateZone.isPending || createPart.isPending || createPhase.isPending;

  useEffect(() => {
    if (!kind) return;
    setFormError(null);
    form.resetFields();
  }, [kind, form]);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setFormError(null);
    const opts = { onSuccess: onClose, onError: (err: unknown) => setFormError(showServerErrors(form, err)) };
    if (kind === 'zone' && zone) updateZone.mutate({ id: zone.id, input: { name: v.name, responsibleUserId: v.responsibleUserId ?? null, note: v.note?.trim() || null } }, opts);
    else if (kind === 'zone') createZone.mutate(compact({ ...v, communityId }), opts);
    else if (kind === 'part') createPart.mutate(compact({ ...v, communityId }), opts);
    else if (kind === 'phase') createPhase.mutate({ ...v, communityId }, opts);
  };

  const title = kind === 'zone' ? (zone ? t('zones.editZone') : t('zones.createZone')) : kind === 'part' ? t('zones.createPart') : t('zones.createPhase');
  const kinds = t('zones.partKinds').split('、');
  return (
    <Modal open={kind !== null} title={title} onCancel={onClose} onOk={() => void submit()} okText={t('common.save')} confirmLoading={pending} destroyOnHidden okButtonProps={{ 'data-testid': 'structure-form-submit' }}>
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" preserve={false} initialValues={zone ? { name: zone.name, responsibleUserId: zone.responsibleUserId ?? undefined, note: zone.note ?? undefined } : { kind: kind === 'phase' ? 'phase' : undefined }}>
        <Form.Item name="name" label={t('zones.name')} {...zodField(createZoneBody.shape.name)}>
          <Input maxLength={40} data-testid="structure-name" />
        </Form.Item>
        {kind === 'phase' && (
          <Form.Item name="kind" label={t('zones.phaseKind')} {...zodField(createPhaseBody.shape.kind)}>
            <Radio.Group options={(['phase', 'group'] as const).map((k) => ({ value: k, label: t(`zones.phaseKinds.${k}`) }))} />
          </Form.Item>
        )}
        {kind === 'part' && (
          <>
            <Form.Item name="kind" label={t('zones.partKind')} {...zodField(createCommonPartBody.shape.kind)}>
              <AutoComplete options={kinds.map((k) => ({ value: k }))} showSearch={{ filterOption: true }} />
            </Form.Item>
            <Form.Item name="location" label={t('zones.location')} {...zodField(createCommonPartBody.shape.location)}>
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item name="zoneId" label={t('zones.zone')}>
              <Select allowClear options={(zones.data?.items ?? []).map((z) => ({ value: z.id, label: z.name }))} />
            </Form.Item>
            <Form.Item name="buildingId" label={t('estate.building')}>
              <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={(buildings.data?.items ?? []).map((b) => ({ value: b.id, label: b.name }))} />
            </Form.Item>
          </>
        )}
        {kind !== 'phase' && (
          <Form.Item name="responsibleUserId" label={t('zones.responsible')}>
            <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={staff} placeholder={t('zones.responsiblePlaceholder')} />
          </Form.Item>
        )}
        {kind === 'zone' && (
          <Form.Item name="note" label={t('zones.note')} {...zodField(createZoneBody.shape.note)}>
            <Input.TextArea rows={2} maxLength={200} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

/** 片区与公共部位: zones with their responsible staff, common parts, and the phases/groups of a community. */
export default function ZonesPage() {
  const { t } = useTranslation();
  const can = useAbilities();
  const manage = can('estate.manage');
  const { communityId, setCommunityId, fromHeader } = usePageCommunity();
  const [tab, setTab] = useState<Kind>('zone');
  const [modal, setModal] = useState<{ kind: Kind | null; zone?: Zone }>({ kind: null });
  const zones = useZones(communityId);
  const parts = useCommonParts(communityId);
  const phases = usePhases(communityId);
  const zoneName = (id: string | null) => zones.data?.items.find((z) => z.id === id)?.name ?? '—';
  const buildings = useBuildings(communityId);
  const buildingName = (id: string | null) => buildings.data?.items.find((b) => b.id === id)?.name ?? '—';
  const error = zones.error ?? parts.error ?? phases.error;

  const add = manage && (
    <Button type="primary" icon={<PlusOutlined />} onClick={() => setModal({ kind: tab })} data-testid="structure-create">
      {tab === 'zone' ? t('zones.createZone') : tab === 'part' ? t('zones.createPart') : t('zones.createPhase')}
    </Button>
  );

  return (
    <>
      <PageHeader title={t('zones.title')} subtitle={t('zones.subtitle')} extra={!fromHeader && <CommunitySelect value={communityId} onChange={(id) => id && setCommunityId(id)} testId="zones-community" />} />
      <Card>
        {error && <QueryError error={error} />}
        <Tabs
          activeKey={tab}
          onChange={(k) => setTab(k as Kind)}
          tabBarExtraContent={add}
          items={[
            {
              key: 'zone',
              label: t('zones.zones'),
              children: (
                <Table<Zone>
                  rowKey="id"
                  size="small"
                  loading={zones.isPending}
                  dataSource={zones.data?.items}
                  pagination={false}
                  data-testid="zones-table"
                  locale={{ emptyText: t('zones.noZones') }}
                  columns={[
                    { title: t('zones.name'), dataIndex: 'name', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
                    { title: t('zones.responsible'), dataIndex: 'responsibleName', render: (v: string | null) => v ?? '—' },
                    { title: t('zones.note'), dataIndex: 'note', render: (v: string | null) => v ?? '—' },
                    ...(manage
                      ? [
                          {
                            title: t('common.actions'),
                            key: 'actions',
                            width: 90,
                            render: (_: unknown, z: Zone) => (
                              <Button type="link" size="small" onClick={() => setModal({ kind: 'zone', zone: z })}>
                                {t('common.edit')}
                              </Button>
                            ),
                          },
                        ]
                      : []),
                  ]}
                />
              ),
            },
            {
              key: 'part',
              label: t('zones.parts'),
              children: (
                <Table<CommonPart>
                  rowKey="id"
                  size="small"
                  loading={parts.isPending}
                  dataSource={parts.data?.items}
                  pagination={parts.data && parts.data.items.length > 20 ? { pageSize: 20 } : false}
                  data-testid="parts-table"
                  scroll={{ x: 'max-content' }}
                  locale={{ emptyText: t('zones.noParts') }}
                  columns={[
                    { title: t('zones.name'), dataIndex: 'name', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
                    { title: t('zones.partKind'), dataIndex: 'kind' },
                    { title: t('zones.location'), dataIndex: 'location', render: (v: string | null) => v ?? '—' },
                    { title: t('zones.zone'), dataIndex: 'zoneId', render: zoneName },
                    { title: t('estate.building'), dataIndex: 'buildingId', render: buildingName },
                    { title: t('zones.responsible'), dataIndex: 'responsibleName', render: (v: string | null) => v ?? '—' },
                  ]}
                />
              ),
            },
            {
              key: 'phase',
              label: t('zones.phases'),
              children: (
                <Table<Phase>
                  rowKey="id"
                  size="small"
                  loading={phases.isPending}
                  dataSource={phases.data?.items}
                  pagination={false}
                  locale={{ emptyText: t('zones.noPhases') }}
                  columns={[
                    { title: t('zones.name'), dataIndex: 'name' },
                    { title: t('zones.phaseKind'), dataIndex: 'kind', render: (k: Phase['kind']) => t(`zones.phaseKinds.${k}`) },
                  ]}
                />
              ),
            },
          ]}
        />
      </Card>
      {communityId && <StructureModal kind={modal.kind} zone={modal.zone} communityId={communityId} onClose={() => setModal({ kind: null })} />}
    </>
  );
}
