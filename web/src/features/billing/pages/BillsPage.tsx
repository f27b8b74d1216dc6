import { useMemo, useState, type HTMLAttributes } from 'react';
import { useSearchParams } from 'react-router-dom';
import { App, Card, Flex, Select, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { LINE_STATUSES } from '../../../../../src/modules/billing/schema.ts';
import { useCurrentCommunity } from '../../../app/console/community.tsx';
import { CommunitySelect } from '../../../components/CommunitySelect.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { formatYuan } from '../../../lib/format.ts';
import { useAbilities } from '../../auth/api.ts';
import { useBillLines, type BillLine, type LineStatus } from '../api-setup.ts';
import { waivable } from '../components/cash/due.ts';
import { AccruedLateFee, LateFeeTag, WaiveLateFeeModal } from '../components/cash/LateFee.tsx';
import { BasisDrawer, LineStatusTag, PeriodText, lineTarget } from '../components/setup/BasisDrawer.tsx';
import { BuildingSelect, ItemLabel, ItemSelect } from '../components/setup/Pickers.tsx';
import { periodKeys } from '../components/setup/periods.ts';

const LINE_KINDS = ['charge', 'lateFee'] as const;
type LineKind = (typeof LINE_KINDS)[number];

/**
 * 账单查询: bill lines filtered by community, building, item, period, status and kind (bills or 滞纳金); a line's
 * basis in a drawer; 减免 of an unpaid late fee for those who may waive.
 */
export default function BillsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useAbilities();
  const [waiving, setWaiving] = useState<BillLine | null>(null);
  const { community } = useCurrentCommunity();
  const [params, setParams] = useSearchParams();
  const [localCommunity, setLocalCommunity] = useState<string | undefined>(params.get('communityId') ?? undefined);
  const communityId = community?.id ?? localCommunity;
  const runId = params.get('runId') ?? undefined;
  const [buildingId, setBuildingId] = useState<string | undefined>();
  // Other pages link here with filters (?runId=, ?itemId=, ?periodKey=, ?status=, ?kind=).
  const [kind, setKind] = useState<LineKind | undefined>(LINE_KINDS.find((x) => x === params.get('kind')));
  const [itemId, setItemId] = useState<string | undefined>(params.get('itemId') ?? undefined);
  const [periodKey, setPeriodKey] = useState<string | undefined>(params.get('periodKey') ?? undefined);
  const [status, setStatus] = useState<LineStatus | undefined>(LINE_STATUSES.find((x) => x === params.get('status')));
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [open, setOpen] = useState<BillLine | null>(null);
  const list = useBillLines({ ...paging, communityId, buildingId, itemId, periodKey, status, kind, runId });
  const reset = () => setPaging((p) => ({ ...p, page: 1 }));

  const periods = useMemo(
    () => [
      { label: t('billingSetup.cycles.monthly'), options: periodKeys('monthly', 14, 1).map((k) => ({ value: k, label: k })) },
      { label: t('billingSetup.cycles.quarterly'), options: periodKeys('quarterly', 6, 1).map((k) => ({ value: k, label: k })) },
      { label: t('billingSetup.cycles.halfYearly'), options: periodKeys('halfYearly', 3, 1).map((k) => ({ value: k, label: k })) },
      { label: t('billingSetup.cycles.yearly'), options: periodKeys('yearly', 2, 1).map((k) => ({ value: k, label: k })) },
    ],
    [t],
  );

  const rows = list.data?.items ?? [];
  const live = rows.filter((r) => r.status !== 'revoked');
  const sum = (f: (r: BillLine) => number) => live.reduce((s, r) => s + f(r), 0);

  return (
    <>
      <PageHeader title={t('billingSetup.bills.title')} subtitle={t('billingSetup.bills.subtitle')} />
      <Card>
        <Flex gap={8} wrap align="center" style={{ marginBottom: 16 }}>
          {!community && (
            <CommunitySelect
              allowAll
              value={localCommunity}
              onChange={(id) => {
                setLocalCommunity(id);
                setBuildingId(undefined);
                reset();
              }}
              testId="bills-community"
            />
          )}
          <BuildingSelect
            communityId={communityId}
            value={buildingId}
            placeholder={communityId ? t('billingSetup.pickers.allBuildings') : t('billingSetup.bills.pickCommunityFirst')}
            onChange={(v) => {
              setBuildingId(v);
              reset();
            }}
            testId="bills-building"
          />
          <ItemSelect
            communityId={communityId}
            value={itemId}
            onChange={(v) => {
              setItemId(v);
              reset();
            }}
            testId="bills-item"
          />
          <Select
            allowClear
            showSearch
            value={periodKey}
            onChange={(v: string | undefined) => {
              setPeriodKey(v);
              reset();
            }}
            placeholder={t('billingSetup.bills.allPeriods')}
            options={periods}
            style={{ width: 140 }}
            data-testid="bills-period"
          />
          <Select
            allowClear
            value={status}
            onChange={(v: LineStatus | undefined) => {
              setStatus(v);
              reset();
            }}
            placeholder={t('billingSetup.bills.allStatuses')}
            options={LINE_STATUSES.map((s) => ({ value: s, label: t(`billingSetup.lineStatuses.${s}`) }))}
            style={{ width: 120 }}
            data-testid="bills-status"
          />
          <Select
            allowClear
            value={kind}
            onChange={(v: LineKind | undefined) => {
              setKind(v);
              reset();
            }}
            placeholder={t('billingCash.lateFee.allKinds')}
            options={LINE_KINDS.map((k) => ({ value: k, label: t(`billingCash.lateFee.kinds.${k}`) }))}
            style={{ width: 120 }}
            data-testid="bills-kind"
          />
          {runId && (
            <Tag
              closable
              color="blue"
              onClose={() => {
                const next = new URLSearchParams(params);
                next.delete('runId');
                setParams(next, { replace: true });
              }}
              data-testid="bills-run-filter"
            >
              {t('billingSetup.bills.ofRun')}
            </Tag>
          )}
        </Flex>
        {list.error && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
        <Table<BillLine>
          rowKey="id"
          size="middle"
          loading={list.isFetching}
          dataSource={rows}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('billingSetup.bills.empty') }}
          data-testid="bills-table"
          onRow={(r) => ({ 'data-testid': 'bill-row', onClick: () => setOpen(r), style: { cursor: 'pointer' } }) as HTMLAttributes<HTMLElement>}
          pagination={{
            current: paging.page,
            pageSize: paging.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => t('common.total', { count: total }),
            onChange: (page, pageSize) => setPaging({ page, pageSize }),
          }}
          columns={[
            { title: t('billingSetup.bindings.target'), key: 'target', render: (_: unknown, r: BillLine) => <span onClick={(e) => e.stopPropagation()}>{lineTarget(r, t)}</span> },
            {
              title: t('billingSetup.bindings.item'),
              key: 'item',
              render: (_: unknown, r: BillLine) => (
                <Flex gap={4} align="center" wrap={false}>
                  <ItemLabel name={r.itemName} kind={r.itemKind} />
                  <LateFeeTag line={r} />
                </Flex>
              ),
            },
            { title: t('billingSetup.runs.period'), key: 'period', render: (_: unknown, r: BillLine) => <PeriodText line={r} /> },
            { title: t('billingSetup.bills.amount'), dataIndex: 'amountFen', align: 'right' as const, render: (v: number) => formatYuan(v) },
            { title: t('billingSetup.bills.paid'), dataIndex: 'paidFen', align: 'right' as const, render: (v: number) => (v ? formatYuan(v) : '—') },
            {
              title: t('billingSetup.bills.owed'),
              key: 'owed',
              align: 'right' as const,
              render: (_: unknown, r: BillLine) =>
                r.status === 'revoked' || r.amountFen === r.paidFen ? (
                  '—'
                ) : (
                  <>
                    <Typography.Text type="danger">{formatYuan(r.amountFen - r.paidFen)}</Typography.Text>
                    <AccruedLateFee fen={r.lateFeeAccruedFen} />
                  </>
                ),
            },
            { title: t('common.status'), dataIndex: 'status', render: (_: LineStatus, r: BillLine) => <LineStatusTag line={r} /> },
            { title: t('billingSetup.bills.dueDate'), dataIndex: 'dueDate', render: (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{v}</span> },
            {
              title: t('billingSetup.bills.basis'),
              key: 'basis',
              render: (_: unknown, r: BillLine) => (
                <Flex gap={12} onClick={(e) => e.stopPropagation()}>
                  <Typography.Link onClick={() => setOpen(r)} style={{ whiteSpace: 'nowrap' }}>
                    {t('billingSetup.bills.showBasis')}
                  </Typography.Link>
                  {can('billing.waive') && waivable(r) && (
                    <Typography.Link type="danger" onClick={() => setWaiving(r)} style={{ whiteSpace: 'nowrap' }} data-testid="bill-waive">
                      {t('billingCash.lateFee.waive')}
                    </Typography.Link>
                  )}
                </Flex>
              ),
            },
          ]}
          summary={() =>
            rows.length ? (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0} colSpan={3}>
                  <Typography.Text strong>{t('billingSetup.bills.pageTotals', { count: live.length })}</Typography.Text>
                </Table.Summary.Cell>
                <Table.Summary.Cell index={3} align="right">
                  <b data-testid="bills-total-amount">{formatYuan(sum((r) => r.amountFen))}</b>
                </Table.Summary.Cell>
                <Table.Summary.Cell index={4} align="right">
                  <b>{formatYuan(sum((r) => r.paidFen))}</b>
                </Table.Summary.Cell>
                <Table.Summary.Cell index={5} align="right">
                  <Typography.Text type="danger" strong>
                    {formatYuan(sum((r) => r.amountFen - r.paidFen))}
                  </Typography.Text>
                </Table.Summary.Cell>
                <Table.Summary.Cell index={6} colSpan={3} />
              </Table.Summary.Row>
            ) : null
          }
        />
      </Card>
      <BasisDrawer line={open} onClose={() => setOpen(null)} />
      <WaiveLateFeeModal line={waiving} onClose={() => setWaiving(null)} onDone={(fen) => void message.success(t('billingCash.lateFee.waivedDone', { amount: formatYuan(fen) }))} />
    </>
  );
}
