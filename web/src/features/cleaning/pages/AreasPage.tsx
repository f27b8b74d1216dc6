import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { Button, Card, Checkbox, Col, Empty, Flex, Image, Modal, Row, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { CameraOutlined, EditOutlined, PlusOutlined, PrinterOutlined, QrcodeOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { CommunitySelect, usePageCommunity } from '../../../components/CommunitySelect.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { useAbilities } from '../../auth/api.ts';
import { type CleaningArea, type CleaningItem, useArea, useAreaCode, useAreas, useUpdateArea, useUpdateItem } from '../api.ts';
import { useScheduleText } from '../components/labels.tsx';
import { AreaModal } from '../components/AreaModal.tsx';
import { ItemModal } from '../components/ItemModal.tsx';

/** 区域与作业: the community's areas with their team, and the selected area's work items and QR label. */
export default function AreasPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { id } = useParams();
  const can = useAbilities();
  const manage = can('cleaning.manage');
  const { communityId, setCommunityId, fromHeader } = usePageCommunity();
  const [showInactive, setShowInactive] = useState(false);
  const areas = useAreas(communityId, showInactive);
  const selected = id ?? areas.data?.[0]?.id;
  const [areaModal, setAreaModal] = useState<{ open: boolean; area: CleaningArea | null }>({ open: false, area: null });

  return (
    <div data-testid="cleaning-areas">
      <Flex gap={12} wrap align="center" style={{ marginBottom: 16 }}>
        {!fromHeader && <CommunitySelect value={communityId} onChange={(c) => c && setCommunityId(c)} />}
        <Checkbox checked={showInactive} onChange={(e) => setShowInactive(e.target.checked)}>
          {t('cleaning.areaForm.showInactive')}
        </Checkbox>
        {manage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setAreaModal({ open: true, area: null })} data-testid="cleaning-add-area">
            {t('cleaning.areaForm.add')}
          </Button>
        )}
      </Flex>
      {areas.error ? (
        <QueryError error={areas.error} onRetry={() => void areas.refetch()} />
      ) : (
        <Row gutter={16}>
          <Col xs={24} lg={9}>
            <Table<CleaningArea>
              size="small"
              rowKey="id"
              loading={areas.isLoading}
              dataSource={areas.data ?? []}
              pagination={false}
              onRow={(r) => ({ onClick: () => navigate(`/field/cleaning/areas/${r.id}`), style: { cursor: 'pointer', background: r.id === selected ? '#e6f4ff' : undefined } })}
              columns={[
                {
                  title: t('cleaning.area'),
                  dataIndex: 'name',
                  render: (name: string, r) => (
                    <Space size={4}>
                      <span>{name}</span>
                      {r.qrRequired && <QrcodeOutlined />}
                      {!r.active && <Tag>{t('cleaning.areaForm.inactive')}</Tag>}
                    </Space>
                  ),
                },
                { title: t('cleaning.areaForm.kind'), dataIndex: 'kind', width: 70, render: (k: CleaningArea['kind']) => <Tag color={k === 'greening' ? 'green' : 'cyan'}>{t(`cleaning.kind.${k}`)}</Tag> },
                { title: t('cleaning.team'), key: 'team', render: (_, r) => r.post?.name ?? r.department?.name ?? <Typography.Text type="secondary">{t('cleaning.areaForm.noTeam')}</Typography.Text> },
                { title: t('cleaning.items'), dataIndex: 'itemCount', width: 70, align: 'right' },
              ]}
            />
          </Col>
          <Col xs={24} lg={15}>
            {selected && communityId ? (
              <AreaDetail id={selected} communityId={communityId} manage={manage} onEdit={(a) => setAreaModal({ open: true, area: a })} />
            ) : (
              !areas.isLoading && <Empty />
            )}
          </Col>
        </Row>
      )}
      {communityId && (
        <AreaModal
          communityId={communityId}
          area={areaModal.area}
          open={areaModal.open}
          onClose={(saved) => {
            setAreaModal({ open: false, area: null });
            if (saved) navigate(`/field/cleaning/areas/${saved}`);
          }}
        />
      )}
    </div>
  );
}

function AreaDetail({ id, communityId, manage, onEdit }: { id: string; communityId: string; manage: boolean; onEdit: (a: CleaningArea) => void }) {
  const { t } = useTranslation();
  const area = useArea(id);
  const schedule = useScheduleText();
  const toggle = useUpdateItem();
  const updateArea = useUpdateArea(id);
  const [itemModal, setItemModal] = useState<{ open: boolean; item: CleaningItem | null }>({ open: false, item: null });
  const [qrOpen, setQrOpen] = useState(false);
  const code = useAreaCode(id, qrOpen);

  if (area.error) return <QueryError error={area.error} onRetry={() => void area.refetch()} />;
  if (!area.data) return <Skeleton active />;
  const a = area.data;
  return (
    <Card
      size="small"
      title={
        <Space>
          {a.name}
          <Tag color={a.kind === 'greening' ? 'green' : 'cyan'}>{t(`cleaning.kind.${a.kind}`)}</Tag>
        </Space>
      }
      extra={
        <Space>
          <Button size="small" icon={<QrcodeOutlined />} onClick={() => setQrOpen(true)} data-testid="cleaning-area-qr">
            {t('cleaning.areaForm.qr')}
          </Button>
          {manage && (
            <Button size="small" icon={<EditOutlined />} onClick={() => onEdit(a)}>
              {t('cleaning.areaForm.edit')}
            </Button>
          )}
          {manage && (
            <Button size="small" danger={a.active} loading={updateArea.isPending} onClick={() => updateArea.mutate({ active: !a.active })}>
              {a.active ? t('cleaning.itemForm.deactivate') : t('cleaning.itemForm.activate')}
            </Button>
          )}
          {manage && (
            <Button size="small" type="primary" icon={<PlusOutlined />} onClick={() => setItemModal({ open: true, item: null })} data-testid="cleaning-add-item">
              {t('cleaning.itemForm.add')}
            </Button>
          )}
        </Space>
      }
      data-testid="cleaning-area-detail"
    >
      <Space size={[16, 4]} wrap style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary">
          {t('cleaning.areaForm.post')}：{a.post?.name ?? '—'}
        </Typography.Text>
        <Typography.Text type="secondary">
          {t('cleaning.areaForm.department')}：{a.department?.name ?? '—'}
        </Typography.Text>
        {a.building && (
          <Typography.Text type="secondary">
            {t('cleaning.areaForm.building')}：{a.building.name}
          </Typography.Text>
        )}
        {a.qrRequired && <Tag icon={<QrcodeOutlined />}>{t('cleaning.areaForm.qrRequired')}</Tag>}
      </Space>
      <Table<CleaningItem>
        size="small"
        rowKey="id"
        dataSource={a.items}
        pagination={false}
        columns={[
          { title: t('cleaning.itemForm.name'), dataIndex: 'name', render: (n: string, r) => <span style={{ color: r.active ? undefined : '#999' }}>{n}</span> },
          { title: t('cleaning.itemForm.frequency'), key: 'f', render: (_, r) => schedule(r) },
          { title: t('cleaning.window'), dataIndex: 'windowMinutes', width: 90, render: (n: number) => t('cleaning.itemForm.minutes', { n }) },
          { title: t('cleaning.shift'), key: 's', width: 70, render: (_, r) => r.shift?.name ?? '—' },
          { title: t('cleaning.standard'), dataIndex: 'standard', ellipsis: true },
          { title: <CameraOutlined />, dataIndex: 'photoRequired', width: 40, render: (p: boolean) => (p ? <CameraOutlined /> : null) },
          ...(manage
            ? [
                {
                  title: '',
                  key: 'op',
                  width: 120,
                  render: (_: unknown, r: CleaningItem) => (
                    <Space size={0}>
                      <Button type="link" size="small" onClick={() => setItemModal({ open: true, item: r })}>
                        {t('cleaning.itemForm.edit')}
                      </Button>
                      <Button type="link" size="small" danger={r.active} onClick={() => toggle.mutate({ id: r.id, active: !r.active })}>
                        {r.active ? t('cleaning.itemForm.deactivate') : t('cleaning.itemForm.activate')}
                      </Button>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <ItemModal communityId={communityId} areaId={a.id} item={itemModal.item} open={itemModal.open} onClose={() => setItemModal({ open: false, item: null })} />
      <Modal open={qrOpen} title={`${a.name} · ${t('cleaning.areaForm.qr')}`} onCancel={() => setQrOpen(false)} footer={null} width={380}>
        {code.data ? (
          <Flex vertical align="center" gap={8} className="cleaning-qr-label">
            <Image src={code.data.dataUrl} width={240} preview={false} alt={a.name} />
            <Typography.Title level={5} style={{ margin: 0 }}>
              {a.name}
            </Typography.Title>
            <Typography.Text type="secondary" style={{ fontSize: 11, wordBreak: 'break-all', textAlign: 'center' }} copyable>
              {code.data.code}
            </Typography.Text>
            <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
              {t('cleaning.areaForm.qrHint')}
            </Typography.Paragraph>
            <Button icon={<PrinterOutlined />} onClick={() => printLabel(a.name, code.data!.dataUrl, code.data!.code)}>
              {t('cleaning.areaForm.print')}
            </Button>
          </Flex>
        ) : (
          <Skeleton active />
        )}
      </Modal>
    </Card>
  );
}

/** A window with just the label (the QR image, the area's name and the code under it), printed at once. */
function printLabel(name: string, dataUrl: string, code: string) {
  const w = window.open('', '_blank', 'width=420,height=560');
  if (!w) return;
  const esc = (v: string) => v.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  w.document.write(
    `<!doctype html><meta charset="utf-8"><title>${esc(name)}</title><body style="font-family:sans-serif;text-align:center;padding:24px">` +
      `<img src="${dataUrl}" style="width:280px;height:280px"><h2 style="margin:8px 0">${esc(name)}</h2>` +
      `<div style="font-size:10px;color:#666;word-break:break-all">${esc(code)}</div></body>`,
  );
  w.document.close();
  w.onload = () => w.print();
}
