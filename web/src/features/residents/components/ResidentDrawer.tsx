import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, App, Button, Descriptions, Divider, Drawer, Empty, Flex, Popconfirm, Skeleton, Space, Tag, Typography } from 'antd';
import { EditOutlined, EyeOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/QueryError.tsx';
import { formatDate } from '../../../lib/format.ts';
import { useAbilities } from '../../auth/api.ts';
import { CareFlagTags, positionLabel, RelationTag } from '../labels.tsx';
import { useResident, useRevealResident, type Revealed } from '../api.ts';
import { ResidentFormModal } from './ResidentFormModal.tsx';
import { VehiclesTable } from './VehiclesTable.tsx';

/**
 * One resident: identity (masked; in full on request for roles allowed to, which the audit trail records), rooms,
 * vehicles and committee roles.
 */
export function ResidentDrawer({ residentId, onClose }: { residentId: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useAbilities();
  const detail = useResident(residentId ?? undefined);
  const reveal = useRevealResident();
  const [full, setFull] = useState<Revealed | null>(null);
  const [editing, setEditing] = useState(false);
  const r = detail.data;

  // What was revealed belongs to the one resident it was asked for.
  useEffect(() => setFull(null), [residentId]);

  const showFull = () =>
    reveal.mutateAsync(residentId!).then(
      (v) => setFull(v),
      (err: Error) => void message.error(err.message),
    );

  return (
    <Drawer
      open={residentId !== null}
      onClose={onClose}
      size={640}
      destroyOnHidden
      title={
        r ? (
          <Space wrap>
            <span data-testid="resident-title">{r.name}</span>
            <CareFlagTags flags={r.careFlags} />
          </Space>
        ) : (
          t('residents.detail')
        )
      }
      extra={
        r &&
        can('resident.manage') && (
          <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="resident-edit">
            {t('common.edit')}
          </Button>
        )
      }
      data-testid="resident-drawer"
    >
      {detail.error && <QueryError error={detail.error} onRetry={() => void detail.refetch()} />}
      {!r ? (
        !detail.error && <Skeleton active />
      ) : (
        <>
          <Descriptions
            size="small"
            column={2}
            data-testid="resident-facts"
            items={[
              { key: 'phone', label: t('residents.phone'), children: <span data-testid="resident-phone">{full ? (full.phone ?? '—') : (r.phone ?? '—')}</span> },
              { key: 'idType', label: t('residents.idType'), children: t(`residents.idTypes.${r.idType}`) },
              { key: 'idNumber', label: t('residents.idNumber'), span: 2, children: <span data-testid="resident-id-number">{full ? (full.idNumber ?? '—') : (r.idNumber ?? '—')}</span> },
              { key: 'gender', label: t('residents.gender'), children: r.gender ? t(`residents.genders.${r.gender}`) : '—' },
              { key: 'birthday', label: t('residents.birthday'), children: formatDate(r.birthday) },
              { key: 'profile', label: t('residents.profileNote'), span: 2, children: r.profileNote ?? '—' },
              { key: 'safety', label: t('residents.safetyNote'), span: 2, children: r.safetyNote ?? '—' },
            ]}
          />
          {can('personal.viewFull') &&
            (full ? (
              <Alert type="info" showIcon icon={<SafetyCertificateOutlined />} title={t('residents.revealedNote')} style={{ marginTop: 8 }} data-testid="resident-revealed" />
            ) : (
              <Flex align="center" gap={12} wrap style={{ marginTop: 8 }}>
                <Popconfirm title={t('residents.revealConfirm')} description={t('residents.revealAudited')} onConfirm={showFull} okText={t('residents.reveal')}>
                  <Button icon={<EyeOutlined />} loading={reveal.isPending} data-testid="resident-reveal">
                    {t('residents.reveal')}
                  </Button>
                </Popconfirm>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('residents.revealAudited')}
                </Typography.Text>
              </Flex>
            ))}

          <Divider titlePlacement="start">{t('residents.rooms')}</Divider>
          {r.rooms.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('residents.noRoom')} />
          ) : (
            <Flex vertical gap={8} data-testid="resident-rooms">
              {[...r.rooms]
                .sort((a, b) => Number(b.current) - Number(a.current))
                .map((x) => (
                  <Space key={x.linkId} wrap>
                    <Link to={`/estate/rooms/${x.roomId}`} onClick={onClose}>
                      {x.communityName} {x.label}
                    </Link>
                    <RelationTag relation={x.relation} />
                    {!x.current && <Tag>{t('residents.formerly')}</Tag>}
                  </Space>
                ))}
            </Flex>
          )}

          <Divider titlePlacement="start">{t('residents.vehicles')}</Divider>
          <VehiclesTable vehicles={r.vehicles} people={[{ id: r.id, name: r.name }]} communityId={r.communityId} />

          <Divider titlePlacement="start">{t('residents.committee')}</Divider>
          {r.committee.length === 0 ? (
            <Typography.Text type="secondary">{t('residents.noCommittee')}</Typography.Text>
          ) : (
            <Flex vertical gap={8}>
              {r.committee.map((c) => (
                <Space key={c.id}>
                  <Tag color="gold">{positionLabel(t, c.position)}</Tag>
                  {formatDate(c.termStart)} ~ {formatDate(c.termEnd)}
                </Space>
              ))}
            </Flex>
          )}
          <ResidentFormModal open={editing} resident={r} onClose={() => setEditing(false)} />
        </>
      )}
    </Drawer>
  );
}
