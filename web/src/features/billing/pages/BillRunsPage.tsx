import { useState, type HTMLAttributes } from 'react';
import { Link } from 'react-router-dom';
import { Alert, App, Button, Card, Empty, Flex, Popconfirm, Progress, Table, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { CommunitySelect, usePageCommunity } from '../../../components/CommunitySelect.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { formatDateTime, formatYuan } from '../../../lib/format.ts';
import { useAllFeeItems, useBillRuns, useResumeRun, useRevokeRun, type BillRun, type RunStatus } from '../api-setup.ts';
import { RunForm } from '../components/setup/RunForm.tsx';

/** The server treats a run whose heartbeat is older than this as stopped (resumable). */
const STALE_AFTER_MS = 2 * 60_000;

const STATUS_COLOR: Record<RunStatus, string> = { running: 'processing', completed: 'success', failed: 'error', revoked: 'default' };

const isStale = (r: BillRun, now = Date.now()) => r.status === 'running' && now - Date.parse(r.heartbeatAt) > STALE_AFTER_MS;

/** 出账: bill a community for a period, and the runs made so far with their progress; 继续 and 撤销. */
export default function BillRunsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { communityId, setCommunityId, fromHeader } = usePageCommunity();
  const [creating, setCreating] = useState(false);
  const [paging, setPaging] = useState({ page: 1, pageSize: 10 });
  const [actionError, setActionError] = useState<string | null>(null);
  const runs = useBillRuns({ ...paging, communityId }, creating);
  const items = useAllFeeItems();
  const resume = useResumeRun();
  const revoke = useRevokeRun();
  const itemName = new Map((items.data?.items ?? []).map((i) => [i.id, i.name]));
  const running = runs.data?.items.find((r) => r.status === 'running' && !isStale(r)) ?? null;

  const doResume = (r: BillRun) => {
    setActionError(null);
    resume.mutate(r.id, {
      onSuccess: (run) => void message.success(t('billingSetup.runs.done', { lines: run.linesCreated, amount: formatYuan(run.amountFen) })),
      onError: (err) => setActionError(err.message),
    });
  };
  const doRevoke = (r: BillRun) => {
    setActionError(null);
    revoke.mutate(r.id, { onSuccess: () => void message.success(t('billingSetup.runs.revoked')), onError: (err) => setActionError(err.message) });
  };

  return (
    <>
      <PageHeader
        title={t('billingSetup.runs.title')}
        subtitle={t('billingSetup.runs.subtitle')}
        extra={!fromHeader ? <CommunitySelect value={communityId} onChange={(id) => id && setCommunityId(id)} testId="page-community" /> : undefined}
      />
      {!communityId ? (
        <Card>
          <Empty description={t('billingSetup.noCommunity')} />
        </Card>
      ) : (
        <>
          <Card title={t('billingSetup.runs.newRun')} style={{ marginBottom: 16 }}>
            <RunForm key={communityId} communityId={communityId} running={running} onCreating={setCreating} />
          </Card>
          <Card title={t('billingSetup.runs.history')}>
            {actionError && <Alert type="error" showIcon closable title={actionError} onClose={() => setActionError(null)} style={{ marginBottom: 12 }} data-testid="run-action-error" />}
            {runs.error && <QueryError error={runs.error} onRetry={() => void runs.refetch()} />}
            <Table<BillRun>
              rowKey="id"
              size="middle"
              loading={runs.isPending}
              dataSource={runs.data?.items}
              scroll={{ x: 'max-content' }}
              locale={{ emptyText: t('billingSetup.runs.empty') }}
              data-testid="runs-table"
              onRow={(r) => ({ 'data-testid': 'run-row', 'data-status': r.status, 'data-period': r.periodKey }) as HTMLAttributes<HTMLElement>}
              pagination={{
                current: paging.page,
                pageSize: paging.pageSize,
                total: runs.data?.total ?? 0,
                hideOnSinglePage: true,
                showTotal: (total) => t('common.total', { count: total }),
                onChange: (page, pageSize) => setPaging({ page, pageSize }),
              }}
              columns={[
                { title: t('billingSetup.runs.period'), dataIndex: 'periodKey', render: (v: string) => <b>{v}</b> },
                {
                  title: t('billingSetup.runs.items'),
                  dataIndex: 'itemIds',
                  render: (ids: string[]) => {
                    const names = ids.map((id) => itemName.get(id) ?? '…');
                    return (
                      <Tooltip title={names.join('、')}>
                        <Typography.Text ellipsis style={{ maxWidth: 180 }}>
                          {names.join('、')}
                        </Typography.Text>
                      </Tooltip>
                    );
                  },
                },
                {
                  title: t('common.status'),
                  dataIndex: 'status',
                  render: (s: RunStatus, r) => (
                    <Flex vertical gap={2}>
                      <span>
                        <Tag color={STATUS_COLOR[s]} data-testid="run-status">
                          {t(`billingSetup.runStatuses.${s}`)}
                        </Tag>
                        {isStale(r) && <Tag color="warning">{t('billingSetup.runs.stale')}</Tag>}
                      </span>
                      {r.error && (
                        <Typography.Text type="danger" ellipsis={{ tooltip: r.error }} style={{ maxWidth: 200, fontSize: 12 }}>
                          {r.error}
                        </Typography.Text>
                      )}
                    </Flex>
                  ),
                },
                {
                  title: t('billingSetup.runs.progress'),
                  key: 'progress',
                  render: (_: unknown, r: BillRun) => (
                    <Flex vertical style={{ width: 140 }}>
                      <Progress percent={r.percent} size="small" status={r.status === 'failed' ? 'exception' : r.status === 'running' ? 'active' : undefined} showInfo={false} />
                      <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
                        {r.percent}% · {t('billingSetup.runs.targetsDone', { processed: r.processed, total: r.total })}
                      </Typography.Text>
                    </Flex>
                  ),
                },
                { title: t('billingSetup.runs.lines'), dataIndex: 'linesCreated', align: 'right' as const },
                { title: t('billingSetup.runs.amount'), dataIndex: 'amountFen', align: 'right' as const, render: (v: number) => <span style={{ whiteSpace: 'nowrap' }}>{formatYuan(v)}</span> },
                {
                  title: t('billingSetup.runs.by'),
                  key: 'by',
                  render: (_: unknown, r: BillRun) => (
                    <Flex vertical style={{ whiteSpace: 'nowrap' }}>
                      {r.trigger === 'schedule' ? <Tag style={{ width: 'fit-content' }}>{t('billingSetup.runs.auto')}</Tag> : <span>{r.createdBy ?? '—'}</span>}
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {formatDateTime(r.startedAt)}
                      </Typography.Text>
                      {r.revokedAt && (
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {t('billingSetup.runs.revokedAt', { at: formatDateTime(r.revokedAt) })}
                        </Typography.Text>
                      )}
                    </Flex>
                  ),
                },
                {
                  title: t('common.actions'),
                  key: 'actions',
                  fixed: 'right' as const,
                  render: (_: unknown, r: BillRun) => (
                    <Flex>
                      <Link to={`/billing/bills?runId=${r.id}&communityId=${r.communityId}`}>
                        <Button type="link" size="small">
                          {t('billingSetup.runs.viewLines')}
                        </Button>
                      </Link>
                      {(r.status === 'failed' || isStale(r)) && (
                        <Button type="link" size="small" loading={resume.isPending && resume.variables === r.id} onClick={() => doResume(r)} data-testid="run-resume">
                          {t('billingSetup.runs.resume')}
                        </Button>
                      )}
                      {r.status !== 'revoked' && (r.status !== 'running' || isStale(r)) && (
                        <Popconfirm title={t('billingSetup.runs.revokeConfirm', { period: r.periodKey })} description={t('billingSetup.runs.revokeHint')} onConfirm={() => doRevoke(r)} okButtonProps={{ danger: true }}>
                          <Button type="link" size="small" danger loading={revoke.isPending && revoke.variables === r.id} data-testid="run-revoke">
                            {t('billingSetup.runs.revoke')}
                          </Button>
                        </Popconfirm>
                      )}
                    </Flex>
                  ),
                },
              ]}
            />
          </Card>
        </>
      )}
    </>
  );
}
