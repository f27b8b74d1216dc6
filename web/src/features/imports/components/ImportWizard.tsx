import { useEffect, useState } from 'react';
import { Alert, App, Button, Checkbox, Col, Flex, Modal, Progress, Result, Row, Statistic, Steps, Table, Typography, Upload } from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { CommunitySelect } from '../../../components/CommunitySelect.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { downloadTemplate, useApplyImport, useImportJob, useUploadImport, type ImportJob, type ImportKind } from '../api.ts';

type ReportRow = ImportJob['errors'][number];

function stepOf(job: ImportJob | undefined, applying: boolean): number {
  if (!job) return 0;
  if (job.status === 'validated') return applying ? 2 : 1;
  if (job.status === 'applying') return 2;
  return 3;
}

/** What a sheet would do, or did: rows read, to create, to update, unchanged, bad rows. */
function Counts({ job, result }: { job: ImportJob; result?: boolean }) {
  const { t } = useTranslation();
  const c = result && job.result ? job.result : job.counts;
  return (
    <Row gutter={16} data-testid={result ? 'import-result-counts' : 'import-counts'}>
      {!result && (
        <Col span={5}>
          <Statistic title={t('imports.sheetRows')} value={job.sheetRows} />
        </Col>
      )}
      <Col span={result ? 6 : 5}>
        <Statistic title={result ? t('imports.created') : t('imports.toCreate')} value={c.create} styles={{ content: { color: '#389e0d' } }} />
      </Col>
      <Col span={result ? 6 : 5}>
        <Statistic title={result ? t('imports.updated') : t('imports.toUpdate')} value={c.update} styles={{ content: { color: '#1677ff' } }} />
      </Col>
      <Col span={result ? 6 : 4}>
        <Statistic title={t('imports.unchanged')} value={c.unchanged} />
      </Col>
      <Col span={result ? 6 : 5}>
        <Statistic title={result ? t('imports.skipped') : t('imports.errorRows')} value={c.error} styles={{ content: { color: c.error ? '#cf1322' : undefined } }} />
      </Col>
    </Row>
  );
}

/**
 * Excel import in four steps: choose the community and the .xlsx (template at hand) → the validation report (row,
 * column, reason) → apply, with the option to skip bad rows, and its progress → the result. Opening it with a
 * `jobId` shows an earlier import where it stands.
 */
export function ImportWizard({
  open,
  kind,
  communityId: initialCommunity,
  jobId: initialJob,
  onClose,
}: {
  open: boolean;
  kind: ImportKind;
  communityId?: string;
  jobId?: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [communityId, setCommunityId] = useState<string | undefined>(initialCommunity);
  const [jobId, setJobId] = useState<string | undefined>(initialJob);
  const [skipErrors, setSkipErrors] = useState(false);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [applyError, setApplyError] = useState<string | null>(null);
  const uploadJob = useUploadImport();
  const apply = useApplyImport();
  const job = useImportJob(jobId, apply.isPending);
  const j = job.data;
  const step = stepOf(j, apply.isPending);

  useEffect(() => {
    if (!open) return;
    setCommunityId(initialCommunity);
    setJobId(initialJob);
    setSkipErrors(false);
    setUploadError(null);
    setApplyError(null);
    uploadJob.reset();
    apply.reset();
    // Once per opening: the mutations themselves are stable enough not to be dependencies.
  }, [open, initialJob, initialCommunity]);

  const onFile = (file: File) => {
    setUploadError(null);
    uploadJob.mutate({ kind, file, communityId }, { onSuccess: (created) => setJobId(created.id), onError: (err) => setUploadError(err.message) });
    return false;
  };

  const onApply = () => {
    if (!j) return;
    setApplyError(null);
    apply.mutate({ id: j.id, skipErrors }, { onError: (err) => setApplyError(err.message) });
  };

  const template = () => downloadTemplate(kind).catch((err: Error) => void message.error(err.message));
  const canApply = j && (j.status === 'validated' || j.status === 'failed') && (j.counts.error === 0 || skipErrors);
  const kindName = t(`imports.kinds.${kind}`);

  return (
    <Modal
      open={open}
      title={t('imports.wizardTitle', { kind: kindName })}
      onCancel={onClose}
      width={920}
      destroyOnHidden
      mask={{ closable: !apply.isPending }}
      footer={
        <Flex justify="space-between">
          <Button icon={<DownloadOutlined />} onClick={() => void template()} data-testid="import-template">
            {t('imports.template')}
          </Button>
          <Flex gap={8}>
            {step === 1 && j && (
              <Button onClick={() => setJobId(undefined)} data-testid="import-another">
                {t('imports.chooseAnother')}
              </Button>
            )}
            {(step === 1 || (j?.status === 'failed' && !apply.isPending)) && (
              <Button type="primary" disabled={!canApply} loading={apply.isPending} onClick={onApply} data-testid="import-apply">
                {j?.status === 'failed' ? t('imports.resume') : t('imports.apply')}
              </Button>
            )}
            <Button onClick={onClose} disabled={apply.isPending} data-testid="import-close">
              {step === 3 ? t('common.close') : t('common.cancel')}
            </Button>
          </Flex>
        </Flex>
      }
    >
      <Steps
        size="small"
        current={step}
        status={j?.status === 'failed' ? 'error' : step === 3 ? 'finish' : 'process'}
        style={{ marginBottom: 24 }}
        items={[{ title: t('imports.stepFile') }, { title: t('imports.stepReport') }, { title: t('imports.stepApply') }, { title: t('imports.stepDone') }]}
      />

      {step === 0 && (
        <>
          <Flex align="center" gap={12} style={{ marginBottom: 16 }}>
            <Typography.Text>{t('imports.community')}</Typography.Text>
            <CommunitySelect value={communityId} onChange={setCommunityId} allowAll width={220} testId="import-community" />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {communityId ? '' : t('imports.communityFromSheet')}
            </Typography.Text>
          </Flex>
          {uploadError && <Alert type="error" showIcon title={uploadError} style={{ marginBottom: 16 }} data-testid="import-upload-error" />}
          <Upload.Dragger accept=".xlsx" multiple={false} showUploadList={false} beforeUpload={onFile} disabled={uploadJob.isPending} data-testid="import-upload">
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{uploadJob.isPending ? t('imports.checking') : t('imports.dropHint')}</p>
            <p className="ant-upload-hint">{t('imports.dropDetail', { kind: kindName })}</p>
          </Upload.Dragger>
        </>
      )}

      {step >= 1 && j && (
        <>
          <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
            {t('imports.jobLine', { file: j.fileName, community: j.communityName, at: formatDateTime(j.createdAt) })}
          </Typography.Paragraph>
          {step === 1 && (
            <>
              <Counts job={j} />
              {j.notes.length > 0 && <Alert type="info" showIcon style={{ marginTop: 16 }} title={t('imports.notes')} description={j.notes.map((n) => <div key={n}>{n}</div>)} />}
              {j.counts.error > 0 ? (
                <>
                  <Alert
                    type="warning"
                    showIcon
                    style={{ margin: '16px 0 12px' }}
                    title={t('imports.hasErrors', { count: j.counts.error })}
                    description={j.errorsTruncated ? t('imports.errorsTruncated', { shown: j.errors.length }) : undefined}
                  />
                  <Table<ReportRow>
                    rowKey={(e) => `${e.row}-${e.column}-${e.reason}`}
                    size="small"
                    dataSource={j.errors}
                    pagination={{ pageSize: 8, showSizeChanger: false, showTotal: (total) => t('common.total', { count: total }) }}
                    data-testid="import-errors"
                    columns={[
                      { title: t('imports.row'), dataIndex: 'row', width: 80, align: 'right' },
                      { title: t('imports.column'), dataIndex: 'column', width: 140 },
                      { title: t('imports.reason'), dataIndex: 'reason' },
                    ]}
                  />
                  <Checkbox checked={skipErrors} onChange={(e) => setSkipErrors(e.target.checked)} data-testid="import-skip-errors">
                    {t('imports.skipErrors')}
                  </Checkbox>
                </>
              ) : (
                <Alert type="success" showIcon style={{ marginTop: 16 }} title={t('imports.allGood')} />
              )}
            </>
          )}
          {step === 2 && (
            <Flex vertical align="center" gap={12} style={{ padding: '24px 0' }} data-testid="import-progress">
              <Progress type="circle" percent={Math.floor(j.percent)} />
              <Typography.Text>{t('imports.applying', { processed: j.processed, total: j.total || j.counts.create + j.counts.update + j.counts.unchanged })}</Typography.Text>
              <Typography.Text type="secondary">{t('imports.applyingHint')}</Typography.Text>
            </Flex>
          )}
          {step === 3 &&
            (j.status === 'failed' ? (
              <Result status="error" title={t('imports.failed')} subTitle={j.error ?? applyError ?? ''} />
            ) : (
              <Result status="success" title={t('imports.done')} subTitle={t('imports.doneHint', { file: j.fileName })} data-testid="import-done">
                <Counts job={j} result />
              </Result>
            ))}
          {applyError && step !== 3 && <Alert type="error" showIcon title={applyError} style={{ marginTop: 16 }} data-testid="import-apply-error" />}
        </>
      )}
    </Modal>
  );
}
