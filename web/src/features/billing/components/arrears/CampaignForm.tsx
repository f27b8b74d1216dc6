import { useMemo, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Col, Drawer, Empty, Flex, Form, Input, InputNumber, Row, Select, Table, Tag, Tooltip, Typography } from 'antd';
import { CheckCircleFilled, CloseCircleOutlined, EyeOutlined, SendOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { CHANNELS, createCampaignBody } from '../../../../../../src/modules/billing/collection-schema.ts';
import { CommunitySelect } from '../../../../components/CommunitySelect.tsx';
import { formatYuan, yuanToFen } from '../../../../lib/format.ts';
import { showServerErrors, zodField } from '../../../../lib/form.ts';
import { useBuildings, useZones } from '../../../estate/api.ts';
import { newIdempotencyKey, useCreateCampaign, usePreviewCampaign, type Campaign, type CampaignPreview, type Channel, type DebtorFilter } from '../../api-arrears.ts';
import { CollectorSelect, Money, yuanRule } from './shared.tsx';

interface Values {
  communityId?: string;
  title: string;
  minOwedYuan?: string;
  minOverdueDays?: number | null;
  buildingIds?: string[];
  zoneIds?: string[];
  channels: Channel[];
  assigneeId?: string;
}

/** What the arrears page hands over when rooms are ticked and "发起催缴" is pressed (router state). */
export interface CampaignPrefill {
  communityId: string;
  roomIds: string[];
}

/** Fields the server names → the form fields showing them. */
const ALIASES = { minOwedFen: 'minOwedYuan' };

function Reach({ ok, yes, no }: { ok: boolean; yes: string; no: string }) {
  return ok ? (
    <Tooltip title={yes}>
      <CheckCircleFilled style={{ color: '#52c41a' }} aria-label={yes} />
    </Tooltip>
  ) : (
    <Tooltip title={no}>
      <CloseCircleOutlined style={{ color: '#bfbfbf' }} aria-label={no} />
    </Tooltip>
  );
}

/**
 * 新建催缴: choose the rooms (filters, or rooms ticked on the arrears page), preview the list with who can be reached,
 * pick the channels and send. The idempotency key is made once per form, so a retried send cannot remind twice.
 */
export function CampaignForm({
  open,
  communityId: fixedCommunity,
  roomIds: initialRoomIds,
  onClose,
  onCreated,
}: {
  open: boolean;
  /** The header's community, or the one the rooms were picked in. */
  communityId: string | undefined;
  roomIds?: string[];
  onClose: () => void;
  onCreated: (campaign: Campaign) => void;
}) {
  const { t } = useTranslation();
  const now = dayjs();
  return (
    <Drawer open={open} onClose={onClose} size={1040} title={t('billingArrears.collection.newCampaign')} destroyOnHidden data-testid="campaign-form">
      {open && (
        <CampaignFormBody
          fixedCommunity={fixedCommunity}
          initialRoomIds={initialRoomIds}
          defaultTitle={t('billingArrears.collection.defaultTitle', { year: now.year(), month: now.month() + 1 })}
          onCreated={onCreated}
        />
      )}
    </Drawer>
  );
}

function CampaignFormBody({ fixedCommunity, initialRoomIds, defaultTitle, onCreated }: { fixedCommunity: string | undefined; initialRoomIds?: string[]; defaultTitle: string; onCreated: (c: Campaign) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  // Once per form: a second click, or a retry after a network error, sends the same key and cannot remind twice.
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [roomIds, setRoomIds] = useState<string[] | undefined>(initialRoomIds?.length ? initialRoomIds : undefined);
  const [formError, setFormError] = useState<string | null>(null);
  const [previewed, setPreviewed] = useState<{ filter: string; data: CampaignPreview } | null>(null);
  const preview = usePreviewCampaign();
  const create = useCreateCampaign();

  const watched = Form.useWatch([], form) as Partial<Values> | undefined;
  const communityId = fixedCommunity ?? watched?.communityId;
  const buildings = useBuildings(communityId);
  const zones = useZones(communityId);
  const channels = watched?.channels ?? [];

  /** The filter the form says now (undefined while it is not a valid one). */
  const filterOf = (v: Partial<Values> | undefined): DebtorFilter | undefined => {
    if (!communityId) return undefined;
    const minOwedFen = v?.minOwedYuan?.trim() ? yuanToFen(v.minOwedYuan) : undefined;
    if (minOwedFen === null) return undefined;
    return {
      communityId,
      minOwedFen,
      minOverdueDays: v?.minOverdueDays ?? undefined,
      buildingIds: roomIds || !v?.buildingIds?.length ? undefined : v.buildingIds,
      zoneIds: roomIds || !v?.zoneIds?.length ? undefined : v.zoneIds,
      roomIds,
    };
  };
  const current = filterOf(watched);
  const currentKey = JSON.stringify(current ?? null);
  const stale = previewed !== null && previewed.filter !== currentKey;
  const list = previewed && !stale ? previewed.data : null;
  const sendable = list !== null && list.roomCount > 0;

  const runPreview = async () => {
    const ok = await form.validateFields(['communityId', 'minOwedYuan', 'minOverdueDays']).catch(() => null);
    if (!ok) return;
    const filter = filterOf(form.getFieldsValue(true) as Values);
    if (!filter) return;
    setFormError(null);
    preview.mutate(filter, {
      onSuccess: (data) => setPreviewed({ filter: JSON.stringify(filter), data }),
      onError: (err) => {
        setPreviewed(null);
        setFormError(showServerErrors(form, err, ALIASES));
      },
    });
  };

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v || !current || !sendable) return;
    setFormError(null);
    create.mutate(
      { ...current, title: v.title.trim(), channels: v.channels, assigneeId: v.channels.includes('task') ? v.assigneeId : undefined, idempotencyKey },
      {
        onSuccess: ({ campaign, created }) => {
          if (created) void message.success(t('billingArrears.collection.created', { rooms: campaign.roomCount }));
          else void message.info(t('billingArrears.collection.replayed'));
          onCreated(campaign);
        },
        onError: (err) => setFormError(showServerErrors(form, err, ALIASES)),
      },
    );
  };

  const roomColumns = useMemo(
    () => [
      { title: t('billingArrears.common.room'), dataIndex: 'roomLabel' },
      { title: t('billingArrears.common.owner'), dataIndex: 'ownerName', render: (v: string | null) => v ?? '—' },
      { title: t('billingArrears.arrears.owed'), dataIndex: 'owedFen', align: 'right' as const, render: (v: number) => <Money fen={v} strong /> },
      { title: t('billingArrears.arrears.oldestDue'), dataIndex: 'oldestDueDate' },
      { title: t('billingArrears.arrears.daysOverdue'), dataIndex: 'overdueDays', align: 'right' as const, render: (v: number) => t('billingArrears.arrears.daysValue', { days: v }) },
      {
        title: t('billingArrears.collection.channel.sms'),
        dataIndex: 'hasOwnerPhone',
        align: 'center' as const,
        render: (v: boolean) => <Reach ok={v} yes={t('billingArrears.collection.hasPhone')} no={t('billingArrears.collection.noPhone')} />,
      },
      {
        title: t('billingArrears.collection.channel.inApp'),
        dataIndex: 'hasOwnerAccount',
        align: 'center' as const,
        render: (v: boolean) => <Reach ok={v} yes={t('billingArrears.collection.hasAccount')} no={t('billingArrears.collection.noAccount')} />,
      },
    ],
    [t],
  );

  return (
    <>
      <Alert type="warning" showIcon title={t('billingArrears.collection.law')} style={{ marginBottom: 16 }} data-testid="campaign-law" />
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} data-testid="campaign-error" />}
      <Form<Values> form={form} layout="vertical" preserve={false} initialValues={{ communityId: fixedCommunity, title: defaultTitle, channels: ['sms', 'inApp'] }}>
        <Card size="small" title={t('billingArrears.collection.step1')} style={{ marginBottom: 12 }}>
          <Row gutter={16}>
            {!fixedCommunity && (
              <Col span={8}>
                <Form.Item name="communityId" label={t('billingArrears.common.community')} rules={[{ required: true, message: t('billingArrears.common.required') }]}>
                  <CommunitySelect width={260} testId="campaign-community" />
                </Form.Item>
              </Col>
            )}
            <Col span={8}>
              <Form.Item name="minOwedYuan" label={t('billingArrears.arrears.minOwed')} rules={[yuanRule(t('billingArrears.common.amountFormat'), true)]}>
                <Input inputMode="decimal" allowClear data-testid="campaign-min-owed" />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="minOverdueDays" label={t('billingArrears.arrears.minOverdueDays')}>
                <InputNumber min={0} max={3650} precision={0} style={{ width: '100%' }} data-testid="campaign-min-days" />
              </Form.Item>
            </Col>
          </Row>
          {roomIds ? (
            <Flex gap={8} align="center">
              <Tag color="blue" data-testid="campaign-picked-rooms">
                {t('billingArrears.collection.pickedRooms', { count: roomIds.length })}
              </Tag>
              <Button type="link" size="small" onClick={() => setRoomIds(undefined)}>
                {t('billingArrears.collection.clearRooms')}
              </Button>
            </Flex>
          ) : (
            <Row gutter={16}>
              <Col span={12}>
                <Form.Item name="buildingIds" label={t('billingArrears.collection.buildings')} style={{ marginBottom: 0 }}>
                  <Select mode="multiple" allowClear disabled={!communityId} showSearch={{ optionFilterProp: 'label' }} options={(buildings.data?.items ?? []).map((b) => ({ value: b.id, label: b.name }))} maxTagCount="responsive" data-testid="campaign-buildings" />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name="zoneIds" label={t('billingArrears.collection.zones')} style={{ marginBottom: 0 }}>
                  <Select mode="multiple" allowClear disabled={!communityId} options={(zones.data?.items ?? []).map((z) => ({ value: z.id, label: z.name }))} maxTagCount="responsive" data-testid="campaign-zones" />
                </Form.Item>
              </Col>
            </Row>
          )}
          <Button icon={<EyeOutlined />} onClick={() => void runPreview()} loading={preview.isPending} disabled={!current} style={{ marginTop: 16 }} data-testid="campaign-preview">
            {t('billingArrears.collection.preview')}
          </Button>
        </Card>

        <Card size="small" title={t('billingArrears.collection.step2')} style={{ marginBottom: 12 }}>
          {stale && <Alert type="info" showIcon title={t('billingArrears.collection.previewAgain')} style={{ marginBottom: 12 }} />}
          {list && list.roomCount === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('billingArrears.arrears.noRooms')} style={{ margin: 0 }} />
          ) : list ? (
            <>
              <Typography.Paragraph strong data-testid="campaign-preview-stats">
                {t('billingArrears.collection.previewStats', { rooms: list.roomCount, owed: formatYuan(list.totalOwedFen), phone: list.withPhone, account: list.withAccount })}
              </Typography.Paragraph>
              <Table
                size="small"
                rowKey="roomId"
                dataSource={list.rooms}
                columns={roomColumns}
                pagination={{ pageSize: 8, showSizeChanger: false, size: 'small' }}
                scroll={{ x: 'max-content' }}
                data-testid="campaign-preview-table"
              />
            </>
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('billingArrears.collection.needPreview')} style={{ margin: 0 }} />
          )}
        </Card>

        <Card size="small" title={t('billingArrears.collection.step3')}>
          <Form.Item name="title" label={t('billingArrears.collection.campaignTitle')} {...zodField(createCampaignBody.shape.title)}>
            <Input maxLength={100} data-testid="campaign-title" />
          </Form.Item>
          <Form.Item name="channels" label={t('billingArrears.collection.channels')} rules={[{ required: true, type: 'array', min: 1, message: t('billingArrears.common.required') }]}>
            <Checkbox.Group style={{ width: '100%' }} data-testid="campaign-channels">
              <Row gutter={[8, 8]} style={{ width: '100%' }}>
                {CHANNELS.map((c) => (
                  <Col span={12} key={c}>
                    <Checkbox value={c} data-testid={`campaign-channel-${c}`}>
                      {t(`billingArrears.collection.channel.${c}`)}
                      <Typography.Text type="secondary" style={{ fontSize: 12, marginLeft: 6 }}>
                        {t(`billingArrears.collection.channelHints.${c}`)}
                      </Typography.Text>
                    </Checkbox>
                  </Col>
                ))}
              </Row>
            </Checkbox.Group>
          </Form.Item>
          {channels.includes('task') && (
            <Form.Item name="assigneeId" label={t('billingArrears.collection.assignee')} extra={t('billingArrears.collection.assigneeHint')}>
              <CollectorSelect communityId={communityId} testId="campaign-assignee" />
            </Form.Item>
          )}
          <Tooltip title={sendable ? undefined : t('billingArrears.collection.needPreview')}>
            <Button type="primary" icon={<SendOutlined />} disabled={!sendable} loading={create.isPending} onClick={() => void submit()} data-testid="campaign-submit">
              {t('billingArrears.collection.create', { count: list?.roomCount ?? 0 })}
            </Button>
          </Tooltip>
        </Card>
      </Form>
    </>
  );
}
