import { useMemo, useState } from 'react';
import { Alert, App, Button, Checkbox, Descriptions, Flex, Popconfirm, Progress, Segmented, Select, Spin, Table, Typography } from 'antd';
import { EyeOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { CYCLES } from '../../../../../../src/modules/billing/schema.ts';
import { formatYuan } from '../../../../lib/format.ts';
import { useAllFeeItems, useCreateRun, usePreviewRun, type BillRun, type Cycle, type Preview } from '../../api-setup.ts';
import { ItemLabel } from './Pickers.tsx';
import { periodKeys } from './periods.ts';

type PreviewItem = Preview['items'][number];

/**
 * 出账: a community, a period of one cycle and the items billed in it (all enabled ones by default); 预览 shows what
 * a run would create, 确认出账 creates it. The run works inside the request, so the page shows the run's progress
 * (from the polled list) until the answer arrives.
 */
export function RunForm({ communityId, running, onCreating }: { communityId: string; running: BillRun | null; onCreating: (on: boolean) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [cycle, setCycle] = useState<Cycle>('monthly');
  const keys = useMemo(() => periodKeys(cycle), [cycle]);
  const [periodKey, setPeriodKey] = useState<string>(keys[2]);
  const [selected, setSelected] = useState<string[] | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const all = useAllFeeItems(communityId);
  const preview = usePreviewRun();
  const create = useCreateRun();

  const items = (all.data?.items ?? []).filter((i) => i.active && i.communities.some((c) => c.communityId === communityId) && (i.kind === 'oneOff' || i.cycle === cycle));
  const chosen = selected ?? items.map((i) => i.id);
  const everything = selected === null || (chosen.length === items.length && items.every((i) => chosen.includes(i.id)));
  const input = { communityId, periodKey, itemIds: everything ? undefined : chosen };
  const changed = () => {
    preview.reset();
    setFormError(null);
  };

  const doPreview = () => {
    setFormError(null);
    preview.mutate(input, { onError: (err) => setFormError(err.message) });
  };
  const doCreate = () => {
    setFormError(null);
    onCreating(true);
    create.mutate(input, {
      onSuccess: (run) => {
        preview.reset();
        if (run.status === 'completed') void message.success(t('billingSetup.runs.done', { lines: run.linesCreated, amount: formatYuan(run.amountFen) }));
        else void message.warning(t('billingSetup.runs.notDone', { status: t(`billingSetup.runStatuses.${run.status}`) }));
      },
      onError: (err) => setFormError(err.message),
      onSettled: () => onCreating(false),
    });
  };

  const p = preview.data;
  return (
    <Flex vertical gap={12}>
      <Flex gap={16} wrap align="center">
        <Segmented
          value={cycle}
          onChange={(v) => {
            const c = v as Cycle;
            setCycle(c);
            setPeriodKey(periodKeys(c)[2]);
            setSelected(null);
            changed();
          }}
          options={CYCLES.map((c) => ({ value: c, label: t(`billingSetup.cycles.${c}`) }))}
          data-testid="run-cycle"
        />
        <Flex gap={8} align="center">
          <Typography.Text>{t('billingSetup.runs.period')}</Typography.Text>
          <Select
            value={periodKey}
            onChange={(v: string) => {
              setPeriodKey(v);
              changed();
            }}
            options={keys.map((k) => ({ value: k, label: k }))}
            style={{ width: 130 }}
            data-testid="run-period"
          />
        </Flex>
      </Flex>
      <div>
        <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 6 }}>
          {t('billingSetup.runs.items')}
        </Typography.Text>
        {items.length ? (
          <Checkbox.Group
            value={chosen}
            onChange={(v) => {
              setSelected(v as string[]);
              changed();
            }}
            options={items.map((i) => ({ value: i.id, label: `${i.name}${i.kind === 'oneOff' ? ` · ${t('billingSetup.items.oneOff')}` : ''}` }))}
            data-testid="run-items"
          />
        ) : (
          <Typography.Text type="warning">{all.isFetching ? t('common.loading') : t('billingSetup.runs.noItems')}</Typography.Text>
        )}
      </div>
      <Flex gap={8}>
        <Button icon={<EyeOutlined />} onClick={doPreview} loading={preview.isPending} disabled={!chosen.length || create.isPending} data-testid="run-preview">
          {t('billingSetup.runs.preview')}
        </Button>
        <Popconfirm
          title={t('billingSetup.runs.confirmTitle', { period: periodKey })}
          description={p ? t('billingSetup.runs.confirmText', { lines: p.totals.lines, amount: formatYuan(p.totals.amountFen) }) : t('billingSetup.runs.confirmNoPreview')}
          onConfirm={doCreate}
          okButtonProps={{ 'data-testid': 'run-confirm-ok' }}
        >
          <Button type="primary" icon={<ThunderboltOutlined />} loading={create.isPending} disabled={!chosen.length} data-testid="run-create">
            {t('billingSetup.runs.create')}
          </Button>
        </Popconfirm>
      </Flex>
      {formError && <Alert type="error" showIcon title={formError} closable onClose={() => setFormError(null)} data-testid="run-error" />}
      {create.isPending && (
        <Alert
          type="info"
          data-testid="run-progress"
          title={
            <Flex gap={12} align="center">
              <Spin size="small" />
              <span>{t('billingSetup.runs.inProgress', { period: periodKey })}</span>
              {running && <Progress percent={running.percent} size="small" style={{ width: 240, margin: 0 }} format={() => `${running.processed}/${running.total}`} />}
            </Flex>
          }
        />
      )}
      {p && !create.isPending && <PreviewTable preview={p} />}
    </Flex>
  );
}

function PreviewTable({ preview: p }: { preview: Preview }) {
  const { t } = useTranslation();
  return (
    <div data-testid="run-preview-result">
      <Descriptions
        size="small"
        column={4}
        style={{ marginBottom: 8 }}
        items={[
          { key: 'period', label: t('billingSetup.runs.period'), children: `${p.periodKey} (${p.periodStart} ~ ${p.periodEnd})` },
          { key: 'targets', label: t('billingSetup.runs.targets'), children: p.targets },
          { key: 'lines', label: t('billingSetup.runs.newLines'), children: <b>{p.totals.lines}</b> },
          { key: 'amount', label: t('billingSetup.runs.newAmount'), children: <b>¥{formatYuan(p.totals.amountFen)}</b> },
        ]}
      />
      <Table<PreviewItem>
        rowKey="itemId"
        size="small"
        pagination={false}
        dataSource={p.items}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('billingSetup.bindings.item'), key: 'item', render: (_: unknown, r: PreviewItem) => <ItemLabel name={r.itemName} kind={r.kind} /> },
          { title: t('billingSetup.runs.newLines'), dataIndex: 'lines', align: 'right' as const },
          { title: t('billingSetup.runs.newAmount'), dataIndex: 'amountFen', align: 'right' as const, render: (v: number) => formatYuan(v) },
          { title: t('billingSetup.runs.existing'), key: 'existing', align: 'right' as const, render: (_: unknown, r: PreviewItem) => (r.existing ? `${r.existing} · ${formatYuan(r.existingAmountFen)}` : '—') },
          { title: t('billingSetup.runs.missingReadings'), dataIndex: 'missingReadings', align: 'right' as const, render: (v: number) => (v ? <Typography.Text type="warning">{v}</Typography.Text> : '—') },
          { title: t('billingSetup.runs.readingsInReview'), dataIndex: 'readingsInReview', align: 'right' as const, render: (v: number) => (v ? <Typography.Text type="danger">{v}</Typography.Text> : '—') },
          { title: t('billingSetup.runs.zero'), dataIndex: 'zero', align: 'right' as const, render: (v: number) => v || '—' },
        ]}
        summary={() => (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0}>
              <b>{t('billingSetup.runs.totals')}</b>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={1} align="right">
              <b>{p.totals.lines}</b>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={2} align="right">
              <b>{formatYuan(p.totals.amountFen)}</b>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={3} align="right">
              {p.totals.existing || '—'}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={4} colSpan={3} />
          </Table.Summary.Row>
        )}
      />
      {p.items.some((i) => i.missingReadings || i.readingsInReview) && <Alert type="warning" showIcon style={{ marginTop: 8 }} title={t('billingSetup.runs.readingsWarning')} />}
    </div>
  );
}
