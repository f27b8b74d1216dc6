import { useState } from 'react';
import { Badge, Button, Card, Col, Flex, Row, Table, Typography } from 'antd';
import { CarOutlined, DownloadOutlined, HomeOutlined, TeamOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { IMPORT_KINDS } from '../../../../../src/modules/imports/columns.ts';
import { usePageCommunity, CommunitySelect } from '../../../components/CommunitySelect.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { useAbilities } from '../../auth/api.ts';
import { ExportButton } from '../components/ExcelButtons.tsx';
import { ImportWizard } from '../components/ImportWizard.tsx';
import { downloadTemplate, useImportJobs, type ImportJobSummary, type ImportKind, type JobQuery } from '../api.ts';

const ICONS = { rooms: <HomeOutlined />, parking: <CarOutlined />, residents: <TeamOutlined /> } as const;
const STATUS_BADGE = { validated: 'default', applying: 'processing', applied: 'success', failed: 'error' } as const;

/** 导入导出: templates, import and export per kind, and the recent imports with their reports. */
export default function ImportsPage() {
  const { t } = useTranslation();
  const can = useAbilities();
  const { communityId, setCommunityId, fromHeader } = usePageCommunity();
  const [query, setQuery] = useState<JobQuery>({ page: 1, pageSize: 10 });
  const [wizard, setWizard] = useState<{ kind: ImportKind; jobId?: string } | null>(null);
  const jobs = useImportJobs({ ...query, communityId: fromHeader ? communityId : undefined });
  const allowed = (k: ImportKind) => can(k === 'residents' ? 'resident.manage' : 'estate.manage');
  const readable = (k: ImportKind) => can(k === 'residents' ? 'resident.read' : 'estate.read');

  return (
    <>
      <PageHeader title={t('imports.title')} subtitle={t('imports.subtitle')} extra={!fromHeader && <CommunitySelect value={communityId} onChange={(id) => id && setCommunityId(id)} testId="imports-community" />} />
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        {IMPORT_KINDS.filter(readable).map((k) => (
          <Col xs={24} lg={8} key={k}>
            <Card data-testid={`imports-card-${k}`} style={{ height: '100%' }}>
              <Flex gap={12} align="flex-start">
                <span style={{ fontSize: 24, color: '#1677ff' }}>{ICONS[k]}</span>
                <div style={{ flex: 1, minWidth: 0 }}>
                  <Typography.Text strong style={{ fontSize: 16 }}>
                    {t(`imports.kinds.${k}`)}
                  </Typography.Text>
                  <Typography.Paragraph type="secondary" style={{ margin: '4px 0 12px', fontSize: 13 }}>
                    {t(`imports.kindHints.${k}`)}
                  </Typography.Paragraph>
                  <Flex gap={8} wrap>
                    {allowed(k) && (
                      <Button type="primary" icon={<UploadOutlined />} onClick={() => setWizard({ kind: k })} data-testid={`import-${k}`}>
                        {t('imports.import')}
                      </Button>
                    )}
                    <ExportButton kind={k} communityId={communityId} />
                    <Button type="link" icon={<DownloadOutlined />} onClick={() => void downloadTemplate(k)} style={{ paddingInline: 4 }}>
                      {t('imports.template')}
                    </Button>
                  </Flex>
                </div>
              </Flex>
            </Card>
          </Col>
        ))}
      </Row>
      {IMPORT_KINDS.some(allowed) && (
        <Card title={t('imports.recent')}>
          {jobs.error && <QueryError error={jobs.error} onRetry={() => void jobs.refetch()} />}
          <Table<ImportJobSummary>
            rowKey="id"
            size="small"
            loading={jobs.isFetching}
            dataSource={jobs.data?.items}
            data-testid="imports-table"
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: t('imports.noJobs') }}
            onRow={(j) => ({ onClick: () => setWizard({ kind: j.kind, jobId: j.id }), style: { cursor: 'pointer' } })}
            pagination={{
              current: query.page,
              pageSize: query.pageSize,
              total: jobs.data?.total ?? 0,
              showTotal: (total) => t('common.total', { count: total }),
              onChange: (page, pageSize) => setQuery({ page, pageSize }),
            }}
            columns={[
              { title: t('imports.at'), dataIndex: 'createdAt', render: formatDateTime },
              { title: t('imports.kind'), dataIndex: 'kind', render: (k: ImportKind) => t(`imports.kinds.${k}`) },
              { title: t('imports.community'), dataIndex: 'communityName' },
              { title: t('imports.file'), dataIndex: 'fileName', render: (v: string) => <Typography.Link>{v}</Typography.Link> },
              { title: t('imports.sheetRows'), dataIndex: 'sheetRows', align: 'right' },
              { title: t('imports.errorRows'), key: 'errors', align: 'right', render: (_, j) => (j.counts.error ? <Typography.Text type="danger">{j.counts.error}</Typography.Text> : 0) },
              {
                title: t('common.status'),
                dataIndex: 'status',
                render: (s: ImportJobSummary['status'], j) => <Badge status={STATUS_BADGE[s]} text={s === 'applying' ? `${t(`imports.statuses.${s}`)} ${Math.floor(j.percent)}%` : t(`imports.statuses.${s}`)} />,
              },
            ]}
          />
        </Card>
      )}
      {wizard && <ImportWizard open kind={wizard.kind} jobId={wizard.jobId} communityId={communityId} onClose={() => setWizard(null)} />}
    </>
  );
}
