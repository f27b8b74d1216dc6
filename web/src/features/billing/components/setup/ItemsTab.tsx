import { useState, type HTMLAttributes } from 'react';
import { App, Button, Flex, Popconfirm, Segmented, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { FEE_KINDS } from '../../../../../../src/modules/billing/schema.ts';
import { QueryError } from '../../../../components/QueryError.tsx';
import { formatYuan } from '../../../../lib/format.ts';
import { useAbilities } from '../../../auth/api.ts';
import { useFeeItems, useSaveFeeItem, type FeeItem, type FeeItemQuery, type FeeKind } from '../../api-setup.ts';
import { FeeItemDrawer } from './FeeItemDrawer.tsx';
import { plainDecimal, priceUnitKey } from './periods.ts';

/** "2026-01-01 ~ 2026-12-31", or null when the discount has no validity limits. */
function validityText(d: FeeItem['discounts'][number]): string | null {
  return d.validFrom || d.validTo ? `${d.validFrom ?? '…'} ~ ${d.validTo ?? '…'}` : null;
}

/** "预交 12 月送 1 月" */
export function discountText(d: FeeItem['discounts'][number], t: TFunction): string {
  const main =
    d.kind === 'prepay'
      ? t('billingSetup.discountText.prepay', { pay: d.payMonths, free: d.freeMonths })
      : d.kind === 'vacancy'
        ? t('billingSetup.discountText.vacancy', { percent: plainDecimal(d.percent) })
        : t('billingSetup.discountText.fixed', { amount: formatYuan(d.reductionFen) });
  return main;
}

/** "1.8000 元/㎡·月", or "阶梯 3 档: ≤180 2.8500 · ≤260 3.1000 · 以上 4.3500 元/吨". */
export function PriceText({ item }: { item: FeeItem }) {
  const { t } = useTranslation();
  const unit = t(priceUnitKey(item.kind, item.meterKind));
  if (item.tiers) {
    const detail = item.tiers.map((x) => `${x.upTo ? `≤${x.upTo}` : t('billingSetup.form.upToOpen')} ${x.unitPrice}`).join(' · ');
    return (
      <Tooltip title={`${detail} ${unit}`}>
        <span style={{ whiteSpace: 'nowrap' }}>{t('billingSetup.items.tierCount', { count: item.tiers.length })}</span>
      </Tooltip>
    );
  }
  return (
    <span style={{ whiteSpace: 'nowrap' }}>
      {item.unitPrice} <Typography.Text type="secondary">{unit}</Typography.Text>
    </span>
  );
}

/** 收费项目 by kind; a drawer to create or change one; 停用 keeps its bills but leaves it out of later runs. */
export function ItemsTab({ communityId }: { communityId?: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useAbilities();
  const manage = can('billing.manage');
  const [kind, setKind] = useState<FeeKind | 'all'>('all');
  const [showInactive, setShowInactive] = useState(false);
  const [paging, setPaging] = useState({ page: 1, pageSize: 50 });
  const [editing, setEditing] = useState<FeeItem | 'new' | null>(null);
  const q: FeeItemQuery = { ...paging, communityId, kind: kind === 'all' ? undefined : kind, active: showInactive ? undefined : 'true' };
  const list = useFeeItems(q);
  const save = useSaveFeeItem();

  const toggle = (item: FeeItem) =>
    save.mutate(
      { id: item.id, input: { active: !item.active } },
      { onSuccess: () => void message.success(item.active ? t('billingSetup.items.deactivated') : t('billingSetup.items.activated')), onError: (e) => void message.error(e.message) },
    );

  return (
    <>
      <Flex justify="space-between" align="center" gap={12} wrap style={{ marginBottom: 16 }}>
        <Segmented
          value={kind}
          onChange={(v) => {
            setKind(v as FeeKind | 'all');
            setPaging((p) => ({ ...p, page: 1 }));
          }}
          options={[{ value: 'all', label: t('common.all') }, ...FEE_KINDS.map((k) => ({ value: k, label: t(`billingSetup.kinds.${k}`) }))]}
          data-testid="items-kind-filter"
        />
        <Flex gap={12} align="center">
          <Flex gap={6} align="center">
            <Switch size="small" checked={showInactive} onChange={setShowInactive} />
            <Typography.Text type="secondary">{t('billingSetup.items.showInactive')}</Typography.Text>
          </Flex>
          {manage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="item-new">
              {t('billingSetup.items.create')}
            </Button>
          )}
        </Flex>
      </Flex>
      {list.error && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
      <Table<FeeItem>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('billingSetup.items.empty') }}
        data-testid="items-table"
        onRow={(r) => ({ 'data-testid': 'item-row', 'data-name': r.name }) as HTMLAttributes<HTMLElement>}
        pagination={{
          current: paging.page,
          pageSize: paging.pageSize,
          total: list.data?.total ?? 0,
          hideOnSinglePage: true,
          showTotal: (total) => t('common.total', { count: total }),
          onChange: (page, pageSize) => setPaging({ page, pageSize }),
        }}
        columns={[
          {
            title: t('billingSetup.items.name'),
            dataIndex: 'name',
            render: (v: string, r) => (
              <Flex vertical style={{ whiteSpace: 'nowrap' }}>
                <Flex gap={6} align="center">
                  {manage ? <Typography.Link onClick={() => setEditing(r)}>{v}</Typography.Link> : <span>{v}</span>}
                  {!r.active && <Tag>{t('common.disabled')}</Tag>}
                </Flex>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t(`billingSetup.kinds.${r.kind}`)} · {t(`billingSetup.balanceKinds.${r.balanceKind}`)}
                  {r.autoDeduct && ` · ${t('billingSetup.items.autoDeductTag')}`}
                </Typography.Text>
              </Flex>
            ),
          },
          { title: t('billingSetup.items.unitPrice'), key: 'price', render: (_: unknown, r: FeeItem) => <PriceText item={r} /> },
          {
            title: t('billingSetup.items.cycle'),
            key: 'cycle',
            render: (_: unknown, r: FeeItem) => (
              <Flex vertical style={{ whiteSpace: 'nowrap' }}>
                <span>
                  {r.kind === 'oneOff' ? t('billingSetup.items.oneOff') : t(`billingSetup.cycles.${r.cycle}`)} · {t(`billingSetup.billingModes.${r.billingMode}`)}
                </span>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t(`billingSetup.dueText.${r.dueFrom}`, { days: r.dueDays })} · {t(`billingSetup.roundings.${r.rounding}`)}
                </Typography.Text>
              </Flex>
            ),
          },
          {
            title: t('billingSetup.items.terms'),
            key: 'terms',
            render: (_: unknown, r: FeeItem) =>
              r.lateFee || r.discounts.length ? (
                <Flex vertical gap={2} align="flex-start">
                  {r.lateFee && (
                    <Tag color="orange" style={{ whiteSpace: 'nowrap' }}>
                      {t('billingSetup.form.lateFee')}: {r.lateFee.perDayPermille ? t('billingSetup.lateFeeText.perDay', { permille: r.lateFee.perDayPermille, grace: r.lateFee.graceDays }) : t('billingSetup.lateFeeText.perMonth', { amount: formatYuan(r.lateFee.perMonthFen), grace: r.lateFee.graceDays })}
                    </Tag>
                  )}
                  {r.discounts.map((d) => (
                    <Tooltip key={d.id} title={validityText(d) && t('billingSetup.items.validity', { range: validityText(d) })}>
                      <Tag color="green" style={{ whiteSpace: 'nowrap' }}>
                        {discountText(d, t)}
                        {validityText(d) && ' *'}
                      </Tag>
                    </Tooltip>
                  ))}
                </Flex>
              ) : (
                <Typography.Text type="secondary">—</Typography.Text>
              ),
          },
          {
            title: t('billingSetup.items.communities'),
            dataIndex: 'communities',
            render: (cs: FeeItem['communities']) =>
              cs.length ? (
                <Flex vertical gap={0}>
                  {cs.map((c) => (
                    <span key={c.communityId} style={{ whiteSpace: 'nowrap', fontSize: 13 }}>
                      {c.communityName}
                      {(c.unitPrice || c.autoBillDay) && (
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {c.unitPrice && ` · ${c.unitPrice}`}
                          {c.autoBillDay && ` · ${t('billingSetup.items.autoOnShort', { day: c.autoBillDay })}`}
                        </Typography.Text>
                      )}
                    </span>
                  ))}
                </Flex>
              ) : (
                <Typography.Text type="warning">{t('billingSetup.items.noCommunity')}</Typography.Text>
              ),
          },
          ...(manage
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  fixed: 'right' as const,
                  render: (_: unknown, r: FeeItem) => (
                    <Flex>
                      <Button type="link" size="small" onClick={() => setEditing(r)} data-testid="item-edit">
                        {t('common.edit')}
                      </Button>
                      <Popconfirm title={r.active ? t('billingSetup.items.deactivateConfirm') : t('billingSetup.items.activateConfirm')} onConfirm={() => toggle(r)}>
                        <Button type="link" size="small" danger={r.active}>
                          {r.active ? t('common.disable') : t('common.enable')}
                        </Button>
                      </Popconfirm>
                    </Flex>
                  ),
                },
              ]
            : []),
        ]}
      />
      <FeeItemDrawer editing={editing} communityId={communityId} onClose={() => setEditing(null)} />
    </>
  );
}
