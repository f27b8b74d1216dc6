import { useMemo, useState, type HTMLAttributes } from 'react';
import { Alert, App, Button, Flex, Input, Modal, Select, Table, Tag, Tooltip, Typography, Upload } from 'antd';
import { CheckOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { METER_KINDS } from '../../../../../../src/modules/billing/schema.ts';
import { QueryError } from '../../../../components/QueryError.tsx';
import { ApiError } from '../../../../lib/api.ts';
import { formatDateTime } from '../../../../lib/format.ts';
import { useAbilities } from '../../../auth/api.ts';
import { useBuildings } from '../../../estate/api.ts';
import { useApproveReading, useCreateReading, useImportReadings, useMeters, useReadings, type Meter, type MeterKind, type Reading } from '../../api-setup.ts';
import { MeterTarget } from './MetersTab.tsx';
import { BuildingSelect } from './Pickers.tsx';
import { periodKeys, plainDecimal } from './periods.ts';

interface ImportError {
  row: number;
  column: string;
  reason: string;
}

/** The per-row report of a refused .xlsx import (nothing was written). */
function importErrorsOf(err: unknown): { errors: ImportError[]; truncated: boolean } | null {
  if (!(err instanceof ApiError)) return null;
  const d = err.details as { errors?: unknown; truncated?: unknown } | null;
  if (!d || !Array.isArray(d.errors)) return null;
  return { errors: d.errors as ImportError[], truncated: d.truncated === true };
}

function ReadingStatus({ reading }: { reading: Reading }) {
  const { t } = useTranslation();
  return (
    <Flex gap={4} wrap>
      {reading.status === 'review' ? <Tag color="warning">{t('billingSetup.readings.review')}</Tag> : <Tag color="success">{t('billingSetup.readings.accepted')}</Tag>}
      {reading.flags.map((f) => (
        <Tag key={f}>{t(`billingSetup.readingFlags.${f as 'jump'}`, { defaultValue: f })}</Tag>
      ))}
    </Flex>
  );
}

/** Readings held for review (an abnormal jump): check on site, then 审核通过 releases them for billing. */
function ReviewList({ communityId }: { communityId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useAbilities();
  const review = useReadings({ communityId, status: 'review', pageSize: 50 });
  const approve = useApproveReading();
  const items = review.data?.items ?? [];
  if (!items.length) return null;
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginBottom: 16 }}
      title={t('billingSetup.readings.reviewTitle', { count: review.data?.total ?? items.length })}
      description={
        <Table<Reading>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={items}
          style={{ marginTop: 8 }}
          data-testid="review-table"
          columns={[
            { title: t('billingSetup.meters.number'), dataIndex: 'meterNumber' },
            { title: t('billingSetup.runs.period'), dataIndex: 'periodKey' },
            { title: t('billingSetup.readings.previous'), dataIndex: 'previousReading', align: 'right' as const, render: plainDecimal },
            { title: t('billingSetup.readings.reading'), dataIndex: 'reading', align: 'right' as const, render: plainDecimal },
            { title: t('billingSetup.basis.usage'), dataIndex: 'usage', align: 'right' as const, render: (v: string) => <Typography.Text type="danger" strong>{plainDecimal(v)}</Typography.Text> },
            { title: t('billingSetup.readings.reader'), key: 'reader', render: (_: unknown, r: Reading) => `${r.readerName ?? '—'} · ${formatDateTime(r.readAt)}` },
            ...(can('billing.manage')
              ? [
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    render: (_: unknown, r: Reading) => (
                      <Button
                        size="small"
                        type="primary"
                        ghost
                        icon={<CheckOutlined />}
                        loading={approve.isPending && approve.variables === r.id}
                        onClick={() => approve.mutate(r.id, { onSuccess: () => void message.success(t('billingSetup.readings.approved')), onError: (e) => void message.error(e.message) })}
                        data-testid="reading-approve"
                      >
                        {t('billingSetup.readings.approve')}
                      </Button>
                    ),
                  },
                ]
              : []),
          ]}
        />
      }
    />
  );
}

/** 抄表: the period's readings meter by meter — type and press Enter to save and go to the next row; .xlsx import. */
export function ReadingsTab({ communityId }: { communityId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useAbilities();
  const manage = can('billing.manage');
  const monthly = useMemo(() => periodKeys('monthly', 12, 1), []);
  const [periodKey, setPeriodKey] = useState(monthly[1]);
  const [kind, setKind] = useState<MeterKind | undefined>();
  const [buildingId, setBuildingId] = useState<string | undefined>();
  const [paging, setPaging] = useState({ page: 1, pageSize: 50 });
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState<string | null>(null);
  const [report, setReport] = useState<{ errors: ImportError[]; truncated: boolean; message: string } | null>(null);
  const meters = useMeters({ ...paging, communityId, kind, buildingId, status: 'active' });
  const readings = useReadings({ communityId, periodKey, pageSize: 200 });
  const buildings = useBuildings(communityId);
  const create = useCreateReading();
  const importer = useImportReadings();
  const buildingName = new Map((buildings.data?.items ?? []).map((b) => [b.id, b.name]));
  const byMeter = new Map((readings.data?.items ?? []).map((r) => [r.meterId, r]));
  const rows = meters.data?.items ?? [];
  const done = rows.filter((m) => byMeter.has(m.id) || m.lastReading?.periodKey === periodKey).length;

  const focusRow = (index: number) => {
    const el = document.querySelector<HTMLInputElement>(`[data-reading-index="${index}"]`);
    el?.focus();
  };

  const save = (m: Meter, index: number) => {
    const value = drafts[m.id]?.trim();
    if (!value) return;
    setSaving(m.id);
    setErrors(({ [m.id]: _, ...rest }) => rest);
    create.mutate(
      { meterId: m.id, periodKey, reading: value },
      {
        onSuccess: (r) => {
          setDrafts(({ [m.id]: _, ...rest }) => rest);
          if (r.status === 'review') void message.warning(t('billingSetup.readings.heldForReview', { number: m.number, usage: plainDecimal(r.usage) }));
          focusRow(index + 1);
        },
        onError: (err) => setErrors((e) => ({ ...e, [m.id]: err.message })),
        onSettled: () => setSaving(null),
      },
    );
  };

  const onFile = (file: File) => {
    setReport(null);
    importer.mutate(
      { communityId, file },
      {
        onSuccess: (r) => void message.success(t('billingSetup.readings.imported', { count: r.imported, review: r.review })),
        onError: (err) => {
          const rep = importErrorsOf(err);
          if (rep) setReport({ ...rep, message: err.message });
          else void message.error(err.message);
        },
      },
    );
    return false;
  };

  return (
    <>
      <ReviewList communityId={communityId} />
      <Flex justify="space-between" align="center" gap={12} wrap style={{ marginBottom: 16 }}>
        <Flex gap={8} wrap align="center">
          <Typography.Text>{t('billingSetup.runs.period')}</Typography.Text>
          <Select value={periodKey} onChange={(v: string) => setPeriodKey(v)} options={monthly.map((k) => ({ value: k, label: k }))} style={{ width: 120 }} data-testid="readings-period" />
          <BuildingSelect
            communityId={communityId}
            value={buildingId}
            onChange={(v) => {
              setBuildingId(v);
              setPaging((p) => ({ ...p, page: 1 }));
            }}
          />
          <Select
            allowClear
            value={kind}
            onChange={(v: MeterKind | undefined) => {
              setKind(v);
              setPaging((p) => ({ ...p, page: 1 }));
            }}
            placeholder={t('billingSetup.meters.allKinds')}
            options={METER_KINDS.map((k) => ({ value: k, label: t(`billingSetup.meterKinds.${k}`) }))}
            style={{ width: 120 }}
          />
          <Typography.Text type="secondary" data-testid="readings-progress">
            {t('billingSetup.readings.pageProgress', { done, count: rows.length })}
            {manage && ` · ${t('billingSetup.readings.enterHint')}`}
          </Typography.Text>
        </Flex>
        {manage && (
          <Tooltip title={t('billingSetup.readings.importColumns')} placement="topRight">
            <Upload accept=".xlsx" multiple={false} showUploadList={false} beforeUpload={onFile} disabled={importer.isPending}>
              <Button icon={<UploadOutlined />} loading={importer.isPending} data-testid="readings-import">
                {t('billingSetup.readings.import')}
              </Button>
            </Upload>
          </Tooltip>
        )}
      </Flex>
      {(meters.error || readings.error) && <QueryError error={meters.error ?? readings.error} onRetry={() => void Promise.all([meters.refetch(), readings.refetch()])} />}
      <Table<Meter>
        rowKey="id"
        size="small"
        loading={meters.isFetching && !meters.data}
        dataSource={rows}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('billingSetup.meters.empty') }}
        data-testid="readings-table"
        onRow={(m) => ({ 'data-testid': 'reading-row', 'data-number': m.number }) as HTMLAttributes<HTMLElement>}
        pagination={{
          current: paging.page,
          pageSize: paging.pageSize,
          total: meters.data?.total ?? 0,
          showTotal: (total) => t('common.total', { count: total }),
          onChange: (page, pageSize) => setPaging({ page, pageSize }),
        }}
        columns={[
          { title: t('billingSetup.meters.number'), dataIndex: 'number', render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
          { title: t('billingSetup.meters.kind'), dataIndex: 'kind', render: (k: MeterKind) => t(`billingSetup.meterKinds.${k}`) },
          { title: t('billingSetup.bindings.target'), key: 'target', render: (_: unknown, m: Meter) => <MeterTarget meter={m} buildingName={buildingName.get(m.buildingId)} /> },
          {
            title: t('billingSetup.readings.previous'),
            key: 'previous',
            align: 'right' as const,
            render: (_: unknown, m: Meter) => {
              const r = byMeter.get(m.id);
              if (r) return plainDecimal(r.previousReading);
              if (m.lastReading && m.lastReading.periodKey !== periodKey) return plainDecimal(m.lastReading.reading);
              return m.lastReading ? '—' : <Typography.Text type="secondary">{plainDecimal(m.initialReading)}</Typography.Text>;
            },
          },
          {
            title: t('billingSetup.readings.reading'),
            key: 'reading',
            width: 280,
            render: (_: unknown, m: Meter, index: number) => {
              const r = byMeter.get(m.id);
              if (r) return <Typography.Text strong>{plainDecimal(r.reading)}</Typography.Text>;
              if (m.lastReading?.periodKey === periodKey) return <Typography.Text strong>{plainDecimal(m.lastReading.reading)}</Typography.Text>;
              if (!manage) return '—';
              const error = errors[m.id];
              return (
                <Flex vertical gap={2}>
                  <Flex gap={4}>
                    <Input
                      size="small"
                      value={drafts[m.id] ?? ''}
                      status={error ? 'error' : undefined}
                      onChange={(e) => setDrafts((d) => ({ ...d, [m.id]: e.target.value }))}
                      onPressEnter={() => save(m, index)}
                      placeholder={t('billingSetup.readings.enter')}
                      style={{ width: 130 }}
                      data-reading-index={index}
                      data-testid="reading-input"
                    />
                    <Button size="small" onClick={() => save(m, index)} loading={saving === m.id} disabled={!drafts[m.id]?.trim()} data-testid="reading-save">
                      {t('common.save')}
                    </Button>
                  </Flex>
                  {error && (
                    <Typography.Text type="danger" style={{ fontSize: 12, maxWidth: 260 }} data-testid="reading-error">
                      {error}
                    </Typography.Text>
                  )}
                </Flex>
              );
            },
          },
          { title: t('billingSetup.basis.usage'), key: 'usage', align: 'right' as const, render: (_: unknown, m: Meter) => plainDecimal(byMeter.get(m.id)?.usage) },
          {
            title: t('common.status'),
            key: 'status',
            render: (_: unknown, m: Meter) => {
              const r = byMeter.get(m.id);
              if (r) return <ReadingStatus reading={r} />;
              if (m.lastReading?.periodKey === periodKey) return <Tag color="success">{t('billingSetup.readings.accepted')}</Tag>;
              return <Typography.Text type="secondary">{t('billingSetup.readings.notRead')}</Typography.Text>;
            },
          },
          { title: t('billingSetup.readings.reader'), key: 'reader', render: (_: unknown, m: Meter) => byMeter.get(m.id)?.readerName ?? '—' },
        ]}
      />
      <Modal open={report !== null} title={t('billingSetup.readings.importFailed')} onCancel={() => setReport(null)} footer={null} width={720} destroyOnHidden>
        {report && (
          <>
            <Alert type="error" showIcon title={report.message} description={
                <>
                  {report.truncated && <div>{t('billingSetup.readings.truncated', { shown: report.errors.length })}</div>}
                  <div>{t('billingSetup.readings.importColumns')}</div>
                </>
              } style={{ marginBottom: 12 }} />
            <Table<ImportError>
              rowKey={(r) => `${r.row}-${r.column}`}
              size="small"
              dataSource={report.errors}
              pagination={report.errors.length > 20 ? { pageSize: 20 } : false}
              data-testid="import-report"
              columns={[
                { title: t('billingSetup.readings.row'), dataIndex: 'row', width: 80 },
                { title: t('billingSetup.readings.column'), dataIndex: 'column', width: 100 },
                { title: t('billingSetup.readings.reason'), dataIndex: 'reason' },
              ]}
            />
          </>
        )}
      </Modal>
    </>
  );
}
