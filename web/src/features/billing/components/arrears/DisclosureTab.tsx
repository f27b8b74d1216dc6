import { useState } from 'react';
import { Alert, App, AutoComplete, Button, Card, Col, DatePicker, Descriptions, Empty, Flex, Form, Input, Modal, Popconfirm, Radio, Row, Table, Tag, Typography, theme } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { createDisclosureEntryBody } from '../../../../../../src/modules/billing/fund-schema.ts';
import { QueryError } from '../../../../components/QueryError.tsx';
import { formatYuan, yuanToFen } from '../../../../lib/format.ts';
import { showServerErrors, zodField } from '../../../../lib/form.ts';
import { useCreateDisclosureEntry, useDeleteDisclosureEntry, useDisclosure, useDisclosureEntries, type Disclosure, type DisclosureEntry } from '../../api-arrears.ts';
import { Money, yuanRule } from './shared.tsx';

type FeeStandard = Disclosure['feeStandards'][number];
type MonthRow = Disclosure['months'][number];

/** "1.8000" → "1.80": prices are stored with four decimals; show two unless the price needs more. */
function price(p: string): string {
  const [i, d = ''] = p.split('.');
  const trimmed = d.replace(/0+$/, '');
  return `${i}.${trimmed.padEnd(2, '0')}`;
}

function StandardPrice({ s }: { s: FeeStandard }) {
  const { t } = useTranslation();
  const unit = t(`billingArrears.disclosure.units.${s.kind}`);
  if (s.tiers) {
    return (
      <Flex vertical>
        {s.tiers.map((tier, i) => (
          <span key={i}>{tier.upTo === null ? t('billingArrears.disclosure.tierRest', { price: `${price(tier.unitPrice)} ${unit}` }) : t('billingArrears.disclosure.tierUpTo', { upTo: tier.upTo, price: `${price(tier.unitPrice)} ${unit}` })}</span>
        ))}
      </Flex>
    );
  }
  return <span>{s.unitPrice === null ? '—' : `${price(s.unitPrice)} ${unit}`}</span>;
}

/** Exactly what GET /api/owner/disclosure gives owners: fee standards, income and expense by month, the fund. */
function DisclosurePreview({ d }: { d: Disclosure }) {
  const { t } = useTranslation();
  const months = d.months.filter((m) => m.income.totalFen !== 0 || m.expense.totalFen !== 0);
  const categories = (m: MonthRow['income']['categories']) => (m.length ? m.map((c) => `${c.category} ${formatYuan(c.amountFen)}`).join('；') : '—');
  return (
    <Flex vertical gap={12} data-testid="disclosure-preview">
      <Card size="small" title={t('billingArrears.disclosure.feeStandards')}>
        <Table<FeeStandard>
          size="small"
          rowKey={(r) => `${r.kind}:${r.name}`}
          dataSource={d.feeStandards}
          pagination={false}
          locale={{ emptyText: t('billingArrears.disclosure.noStandards') }}
          columns={[
            { title: t('billingArrears.disclosure.feeName'), dataIndex: 'name' },
            { title: t('billingArrears.disclosure.feeKind'), dataIndex: 'kind', render: (k: FeeStandard['kind']) => t(`billingArrears.disclosure.kinds.${k}`) },
            { title: t('billingArrears.disclosure.unitPrice'), key: 'price', render: (_: unknown, s) => <StandardPrice s={s} /> },
            { title: t('billingArrears.disclosure.cycle'), dataIndex: 'cycle', render: (c: FeeStandard['cycle']) => t(`billingArrears.disclosure.cycles.${c}`) },
            { title: t('billingArrears.disclosure.areaBasis'), dataIndex: 'areaBasis', render: (a: FeeStandard['areaBasis'], s) => (s.kind === 'property' ? t(`billingArrears.disclosure.areaBases.${a}`) : '—') },
            { title: t('billingArrears.disclosure.billingMode'), dataIndex: 'billingMode', render: (m: FeeStandard['billingMode']) => t(`billingArrears.disclosure.modes.${m}`) },
          ]}
        />
      </Card>
      <Card size="small" title={t('billingArrears.disclosure.incomeExpense')}>
        <Table<MonthRow>
          size="small"
          rowKey="month"
          dataSource={months}
          pagination={false}
          scroll={{ x: 'max-content' }}
          data-testid="disclosure-months"
          columns={[
            { title: t('billingArrears.disclosure.month'), dataIndex: 'month' },
            { title: t('billingArrears.disclosure.feesCollected'), key: 'collected', align: 'right', render: (_: unknown, m) => <Money fen={m.income.feesCollectedFen} /> },
            { title: t('billingArrears.disclosure.feesRefunded'), key: 'refunded', align: 'right', render: (_: unknown, m) => (m.income.feesRefundedFen ? <Money fen={-m.income.feesRefundedFen} type="danger" /> : '—') },
            { title: t('billingArrears.disclosure.otherIncome'), key: 'other', render: (_: unknown, m) => <Typography.Text style={{ fontSize: 12 }}>{categories(m.income.categories)}</Typography.Text> },
            { title: t('billingArrears.disclosure.incomeTotal'), key: 'income', align: 'right', render: (_: unknown, m) => <Money fen={m.income.totalFen} strong /> },
            { title: t('billingArrears.disclosure.expenseItems'), key: 'expenses', render: (_: unknown, m) => <Typography.Text style={{ fontSize: 12 }}>{categories(m.expense.categories)}</Typography.Text> },
            { title: t('billingArrears.disclosure.expenseTotal'), key: 'expense', align: 'right', render: (_: unknown, m) => <Money fen={m.expense.totalFen} strong /> },
          ]}
          summary={() => (
            <Table.Summary.Row style={{ fontWeight: 600 }}>
              <Table.Summary.Cell index={0}>{t('billingArrears.common.total')}</Table.Summary.Cell>
              <Table.Summary.Cell index={1} align="right"><Money fen={d.totals.income.feesCollectedFen} /></Table.Summary.Cell>
              <Table.Summary.Cell index={2} align="right">{d.totals.income.feesRefundedFen ? <Money fen={-d.totals.income.feesRefundedFen} type="danger" /> : '—'}</Table.Summary.Cell>
              <Table.Summary.Cell index={3}><Typography.Text style={{ fontSize: 12 }}>{categories(d.totals.income.categories)}</Typography.Text></Table.Summary.Cell>
              <Table.Summary.Cell index={4} align="right"><Money fen={d.totals.income.totalFen} strong /></Table.Summary.Cell>
              <Table.Summary.Cell index={5}><Typography.Text style={{ fontSize: 12 }}>{categories(d.totals.expense.categories)}</Typography.Text></Table.Summary.Cell>
              <Table.Summary.Cell index={6} align="right"><Money fen={d.totals.expense.totalFen} strong /></Table.Summary.Cell>
            </Table.Summary.Row>
          )}
        />
      </Card>
      <Card size="small" title={t('billingArrears.disclosure.fund')}>
        <Descriptions size="small" column={5} style={{ marginBottom: 12 }}>
          <Descriptions.Item label={t('billingArrears.fund.balance')}>
            <Money fen={d.fund.balanceFen} strong />
          </Descriptions.Item>
          <Descriptions.Item label={t('billingArrears.fund.kinds.deposit')}><Money fen={d.fund.depositFen} /></Descriptions.Item>
          <Descriptions.Item label={t('billingArrears.fund.kinds.interest')}><Money fen={d.fund.interestFen} /></Descriptions.Item>
          <Descriptions.Item label={t('billingArrears.fund.kinds.spending')}><Money fen={d.fund.spendingFen} /></Descriptions.Item>
          <Descriptions.Item label={t('billingArrears.fund.kinds.adjustment')}><Money fen={d.fund.adjustmentFen} /></Descriptions.Item>
        </Descriptions>
        <Typography.Text strong>{t('billingArrears.disclosure.fundSpending')}</Typography.Text>
        <Table
          size="small"
          rowKey={(r) => `${r.occurredOn}:${r.description}:${r.amountFen}`}
          dataSource={d.fund.spending}
          pagination={false}
          locale={{ emptyText: t('billingArrears.disclosure.noSpending') }}
          style={{ marginTop: 8 }}
          columns={[
            { title: t('billingArrears.fund.occurredOn'), dataIndex: 'occurredOn' },
            { title: t('billingArrears.fund.description'), dataIndex: 'description' },
            { title: t('billingArrears.fund.ticket'), key: 'ticket', render: (_: unknown, r: Disclosure['fund']['spending'][number]) => (r.ticketNo ? `${r.ticketNo} ${r.ticketTitle ?? ''}` : '—') },
            { title: t('billingArrears.fund.amountSigned'), dataIndex: 'amountFen', align: 'right' as const, render: (v: number) => <Money fen={v} /> },
          ]}
        />
      </Card>
    </Flex>
  );
}

interface EntryValues {
  month: Dayjs;
  direction: 'income' | 'expense';
  category: string;
  amountYuan: string;
  note?: string;
}

function EntryModal({ open, communityId, onClose }: { open: boolean; communityId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<EntryValues>();
  const [formError, setFormError] = useState<string | null>(null);
  const create = useCreateDisclosureEntry();
  const examples = t('billingArrears.disclosure.categoryExamples').split('|');

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const amountFen = yuanToFen(v.amountYuan);
    if (amountFen === null) return;
    setFormError(null);
    create.mutate(
      { communityId, month: v.month.format('YYYY-MM'), direction: v.direction, category: v.category.trim(), amountFen, note: v.note?.trim() || undefined },
      {
        onSuccess: () => {
          void message.success(t('billingArrears.common.saved'));
          onClose();
        },
        onError: (err) => setFormError(showServerErrors(form, err, { amountFen: 'amountYuan' })),
      },
    );
  };

  return (
    <Modal open={open} title={t('billingArrears.disclosure.addEntry')} onCancel={onClose} onOk={() => void submit()} confirmLoading={create.isPending} okButtonProps={{ 'data-testid': 'disclosure-entry-submit' }} destroyOnHidden>
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} />}
      <Form<EntryValues> form={form} layout="vertical" preserve={false} initialValues={{ month: dayjs().startOf('month'), direction: 'income' }}>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="month" label={t('billingArrears.disclosure.entryMonth')} rules={[{ required: true, message: t('billingArrears.common.required') }]}>
              <DatePicker picker="month" allowClear={false} disabledDate={(d) => d.isAfter(dayjs(), 'month')} style={{ width: '100%' }} data-testid="disclosure-entry-month" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="direction" label={t('billingArrears.disclosure.direction')}>
              <Radio.Group optionType="button" buttonStyle="solid" options={(['income', 'expense'] as const).map((d) => ({ value: d, label: t(`billingArrears.disclosure.directions.${d}`) }))} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="category" label={t('billingArrears.disclosure.category')} {...zodField(createDisclosureEntryBody.shape.category)}>
          <AutoComplete options={examples.map((e) => ({ value: e }))} maxLength={40} data-testid="disclosure-entry-category" showSearch={{ filterOption: (input, o) => String(o?.value ?? '').includes(input) }} />
        </Form.Item>
        <Form.Item name="amountYuan" label={t('billingArrears.disclosure.amount')} required rules={[{ required: true, message: t('billingArrears.common.required') }, yuanRule(t('billingArrears.common.amountFormat'))]}>
          <Input prefix="¥" inputMode="decimal" style={{ width: 220 }} data-testid="disclosure-entry-amount" />
        </Form.Item>
        <Form.Item name="note" label={t('billingArrears.disclosure.note')} {...zodField(createDisclosureEntryBody.shape.note)}>
          <Input.TextArea rows={2} maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 公示: the preview of what owners see, and the 公共收支 entries that feed it. */
export function DisclosureTab({ communityId, canManage }: { communityId: string; canManage: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [year, setYear] = useState<Dayjs>(() => dayjs().startOf('year'));
  const [adding, setAdding] = useState(false);
  const [page, setPage] = useState(1);
  const q = useDisclosure({ communityId, year: year.year() });
  const entries = useDisclosureEntries({ communityId, year: year.year(), page, pageSize: 20 });
  const del = useDeleteDisclosureEntry();
  const { token } = theme.useToken();

  return (
    <div data-testid="fund-disclosure">
      <Flex gap={12} align="center" style={{ marginBottom: 12 }}>
        <DatePicker picker="year" value={year} allowClear={false} onChange={(d) => d && setYear(d)} disabledDate={(d) => d.isAfter(dayjs(), 'year')} data-testid="disclosure-year" />
      </Flex>
      <Row gutter={[16, 16]}>
        <Col xs={24} xxl={15}>
          <Card
            title={q.data ? t('billingArrears.disclosure.previewTitle', { community: q.data.community.name, year: q.data.year }) : t('billingArrears.fund.tabs.disclosure')}
            extra={<Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('billingArrears.disclosure.previewHint')}</Typography.Text>}
            styles={{ body: { background: token.colorBgLayout } }}
          >
            {q.error && <QueryError error={q.error} onRetry={() => void q.refetch()} />}
            {q.data ? <DisclosurePreview d={q.data} /> : !q.error && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />}
          </Card>
        </Col>
        <Col xs={24} xxl={9}>
          <Card
            title={t('billingArrears.disclosure.entries')}
            extra={
              canManage && (
                <Button type="primary" size="small" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="disclosure-entry-add">
                  {t('billingArrears.disclosure.addEntry')}
                </Button>
              )
            }
          >
            <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
              {t('billingArrears.disclosure.entriesHint')}
            </Typography.Paragraph>
            {entries.error && <QueryError error={entries.error} onRetry={() => void entries.refetch()} />}
            <Table<DisclosureEntry>
              size="small"
              rowKey="id"
              dataSource={entries.data?.items ?? []}
              loading={entries.isFetching}
              locale={{ emptyText: t('billingArrears.disclosure.noEntries') }}
              pagination={{ current: page, pageSize: 20, total: entries.data?.total ?? 0, onChange: setPage, hideOnSinglePage: true }}
              data-testid="disclosure-entries"
              columns={[
                { title: t('billingArrears.disclosure.entryMonth'), dataIndex: 'month' },
                {
                  title: t('billingArrears.disclosure.category'),
                  dataIndex: 'category',
                  render: (v: string, r) => (
                    <div>
                      <Tag color={r.direction === 'income' ? 'green' : 'red'}>{t(`billingArrears.disclosure.directions.${r.direction}`)}</Tag>
                      {v}
                      {r.note && (
                        <div>
                          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                            {r.note}
                          </Typography.Text>
                        </div>
                      )}
                    </div>
                  ),
                },
                { title: t('billingArrears.disclosure.amount'), dataIndex: 'amountFen', align: 'right', render: (v: number) => <Money fen={v} /> },
                ...(canManage
                  ? [
                      {
                        title: '',
                        key: 'actions',
                        render: (_: unknown, r: DisclosureEntry) => (
                          <Popconfirm title={t('billingArrears.common.confirmDelete')} onConfirm={() => del.mutate(r.id, { onSuccess: () => void message.success(t('billingArrears.common.deleted')), onError: (e) => void message.error(e.message) })}>
                            <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('billingArrears.common.delete')} data-testid="disclosure-entry-delete" />
                          </Popconfirm>
                        ),
                      },
                    ]
                  : []),
              ]}
            />
          </Card>
        </Col>
      </Row>
      {canManage && <EntryModal open={adding} communityId={communityId} onClose={() => setAdding(false)} />}
    </div>
  );
}
