import { useEffect, useState, type HTMLAttributes } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Alert, App, Button, Card, DatePicker, Flex, Input, Modal, Popconfirm, Segmented, Select, Table, Tooltip, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined, ProjectOutlined, ReloadOutlined, SaveOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { ticketKind, ticketStatus, urgency } from '../../../../../src/modules/servicedesk/schema.ts';
import { createViewBody } from '../../../../../src/modules/servicedesk/config-schema.ts';
import { useCurrentCommunity } from '../../../app/console/community.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { currentLang } from '../../../i18n/index.ts';
import { useAbilities } from '../../auth/api.ts';
import { useTickets, type TicketQuery, type TicketSummary } from '../api.ts';
import { useCategories, useCreateView, useDeleteView, useViews, useWorkers } from '../config-api.ts';
import { TicketFormModal } from '../components/TicketFormModal.tsx';
import { TicketStatusTag, UrgencyTag, WorstClockTag } from '../components/Tags.tsx';
import { useNow } from '../labels.ts';

/** The queue's own filters; the community comes from the header, the page from the table. */
type Filters = Omit<TicketQuery, 'page' | 'pageSize' | 'communityId'>;
const DEFAULT_FILTERS: Filters = { open: 'true' };

/** "open", "all" or one status, as the status select shows it. */
function stateOf(f: Filters): string {
  if (typeof f.status === 'string') return f.status;
  return f.open === 'true' ? 'open' : f.open === 'false' ? 'finished' : 'all';
}
function withState(f: Filters, v: string): Filters {
  const { status: _s, open: _o, ...rest } = f;
  if (v === 'open') return { ...rest, open: 'true' };
  if (v === 'finished') return { ...rest, open: 'false' };
  if (v === 'all') return rest;
  return { ...rest, status: v as TicketSummary['status'] };
}

/** Name the current filters as a saved view. */
function SaveViewModal({ open, filters, onClose, onSaved }: { open: boolean; filters: Filters; onClose: () => void; onSaved: (id: string) => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const create = useCreateView();
  const submit = () => {
    const parsed = createViewBody.shape.name.safeParse(name);
    if (!parsed.success) {
      setError(t('validation.required'));
      return;
    }
    create.mutate({ name: parsed.data, filters }, { onSuccess: (v) => { setName(''); onSaved(v.id); onClose(); }, onError: (e) => setError(e.message) });
  };
  return (
    <Modal open={open} title={t('servicedesk.queue.saveView')} onCancel={onClose} onOk={submit} confirmLoading={create.isPending} okButtonProps={{ 'data-testid': 'ticket-view-submit' }} destroyOnHidden>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Input value={name} maxLength={40} onChange={(e) => setName(e.target.value)} placeholder={t('servicedesk.queue.viewName')} onPressEnter={submit} data-testid="ticket-view-name" autoFocus />
    </Modal>
  );
}

/** 工单队列: every ticket of the header's community (or all), worst clock first in colour, with saved views. */
export default function TicketsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const can = useAbilities();
  const { community } = useCurrentCommunity();
  const now = useNow();
  const en = currentLang() === 'en';
  const [filters, setFilters] = useState<Filters>(DEFAULT_FILTERS);
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [search, setSearch] = useState('');
  const [viewId, setViewId] = useState<string | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const [creating, setCreating] = useState(false);
  const list = useTickets({ ...filters, ...paging, communityId: community?.id }, { refetchInterval: 60_000 });
  const categories = useCategories();
  const workers = useWorkers(community?.id);
  const views = useViews();
  const deleteView = useDeleteView();
  useEffect(() => setPaging((p) => ({ ...p, page: 1 })), [community?.id]);

  const filter = (next: Filters) => {
    setFilters(next);
    setViewId(undefined);
    setPaging((p) => ({ ...p, page: 1 }));
  };
  const patch = (p: Partial<Filters>) => filter(Object.fromEntries(Object.entries({ ...filters, ...p }).filter(([, v]) => v !== undefined && v !== '')) as Filters);
  const applyView = (id: string | undefined) => {
    const view = views.data?.items.find((v) => v.id === id);
    const next = view ? ({ ...(view.filters as Filters) } as Filters) : DEFAULT_FILTERS;
    delete (next as TicketQuery).communityId;
    setFilters(next);
    setSearch(next.q ?? '');
    setViewId(view?.id);
    setPaging((p) => ({ ...p, page: 1 }));
  };
  const catName = (id: string, fallback: string) => {
    const c = categories.data?.items.find((x) => x.id === id);
    return c && en && c.nameEn ? c.nameEn : fallback;
  };

  return (
    <>
      <PageHeader
        title={t('servicedesk.queue.title')}
        subtitle={t('servicedesk.queue.subtitle')}
        extra={
          <>
            <Button icon={<ProjectOutlined />} onClick={() => navigate('/tickets/board')} data-testid="ticket-board-link">
              {t('servicedesk.board.title')}
            </Button>
            {can('ticket.create') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="ticket-new">
                {t('servicedesk.queue.create')}
              </Button>
            )}
          </>
        }
      />
      <Card>
        <Flex gap={8} wrap align="center" style={{ marginBottom: 12 }}>
          <Typography.Text type="secondary">{t('servicedesk.queue.views')}</Typography.Text>
          <Select
            allowClear
            value={viewId}
            onChange={applyView}
            placeholder={t('servicedesk.queue.viewPlaceholder')}
            style={{ width: 200 }}
            options={(views.data?.items ?? []).map((v) => ({ value: v.id, label: v.name }))}
            data-testid="ticket-filter-view"
          />
          <Button icon={<SaveOutlined />} onClick={() => setSaving(true)} data-testid="ticket-view-save">
            {t('servicedesk.queue.saveView')}
          </Button>
          {viewId && (
            <Popconfirm
              title={t('servicedesk.queue.deleteViewConfirm')}
              onConfirm={() => deleteView.mutate(viewId, { onSuccess: () => { setViewId(undefined); void message.success(t('common.deleted')); } })}
            >
              <Button danger icon={<DeleteOutlined />} data-testid="ticket-view-delete">
                {t('servicedesk.queue.deleteView')}
              </Button>
            </Popconfirm>
          )}
        </Flex>
        <Flex gap={12} wrap style={{ marginBottom: 16 }}>
          <Select
            value={stateOf(filters)}
            onChange={(v: string) => filter(withState(filters, v))}
            style={{ width: 130 }}
            aria-label={t('common.status')}
            options={[
              { value: 'open', label: t('servicedesk.queue.open') },
              { value: 'finished', label: t('servicedesk.queue.finished') },
              { value: 'all', label: t('servicedesk.queue.allStatuses') },
              ...ticketStatus.options.map((s) => ({ value: s, label: t(`servicedesk.statuses.${s}`) })),
            ]}
            data-testid="ticket-filter-status"
          />
          <Select
            allowClear
            placeholder={t('servicedesk.ticket.kind')}
            value={filters.kind}
            onChange={(kind) => patch({ kind, categoryId: undefined })}
            style={{ width: 130 }}
            options={ticketKind.options.map((k) => ({ value: k, label: t(`servicedesk.kinds.${k}`) }))}
            data-testid="ticket-filter-kind"
          />
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('servicedesk.ticket.category')}
            value={filters.categoryId}
            onChange={(categoryId) => patch({ categoryId })}
            style={{ width: 170 }}
            popupMatchSelectWidth={260}
            options={(categories.data?.items ?? []).filter((c) => !filters.kind || c.kind === filters.kind).map((c) => ({ value: c.id, label: en && c.nameEn ? c.nameEn : c.name }))}
            data-testid="ticket-filter-category"
          />
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('servicedesk.ticket.assignee')}
            value={filters.assigneeId}
            onChange={(assigneeId) => patch({ assigneeId })}
            style={{ width: 140 }}
            options={[{ value: 'me', label: t('servicedesk.queue.me') }, ...(workers.data ?? []).map((w) => ({ value: w.id, label: w.name }))]}
            data-testid="ticket-filter-assignee"
          />
          <Segmented
            value={filters.clockState ?? 'any'}
            onChange={(v) => patch({ clockState: v === 'any' ? undefined : (v as Filters['clockState']) })}
            options={[
              { value: 'any', label: t('servicedesk.queue.anyClock') },
              { value: 'atRisk', label: t('servicedesk.clockStates.atRisk') },
              { value: 'overdue', label: t('servicedesk.clockStates.overdue') },
            ]}
            data-testid="ticket-filter-clock"
          />
          <Select
            allowClear
            placeholder={t('servicedesk.ticket.urgency')}
            value={filters.urgency}
            onChange={(u) => patch({ urgency: u })}
            style={{ width: 110 }}
            options={urgency.options.map((u) => ({ value: u, label: t(`servicedesk.urgencies.${u}`) }))}
            data-testid="ticket-filter-urgency"
          />
          <Input.Search
            allowClear
            placeholder={t('servicedesk.queue.searchPlaceholder')}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            onSearch={(v) => patch({ q: v.trim() || undefined })}
            style={{ width: 220 }}
            data-testid="ticket-filter-q"
          />
          <DatePicker.RangePicker
            value={filters.from && filters.to ? [dayjs(filters.from), dayjs(filters.to)] : null}
            onChange={(r) => patch({ from: r?.[0]?.format('YYYY-MM-DD'), to: r?.[1]?.format('YYYY-MM-DD') })}
            disabledDate={(d) => d.isAfter(dayjs(), 'day')}
            placeholder={[t('servicedesk.queue.from'), t('servicedesk.queue.to')]}
            data-testid="ticket-filter-dates"
          />
          <Tooltip title={t('common.reset')}>
            <Button
              icon={<ReloadOutlined />}
              onClick={() => {
                setSearch('');
                filter(DEFAULT_FILTERS);
              }}
              data-testid="ticket-filter-reset"
            >
              {t('common.reset')}
            </Button>
          </Tooltip>
        </Flex>
        {list.error && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
        <Table<TicketSummary>
          rowKey="id"
          size="middle"
          loading={list.isFetching && !list.data}
          dataSource={list.data?.items}
          scroll={{ x: 'max-content' }}
          data-testid="ticket-table"
          locale={{ emptyText: t('servicedesk.queue.empty') }}
          onRow={(r) => ({ 'data-testid': 'ticket-row', 'data-no': r.no, onClick: () => navigate(`/tickets/${r.id}`), style: { cursor: 'pointer' } }) as HTMLAttributes<HTMLElement>}
          pagination={{
            current: paging.page,
            pageSize: paging.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => t('common.total', { count: total }),
            onChange: (page, pageSize) => setPaging({ page, pageSize }),
          }}
          columns={[
            { title: t('servicedesk.ticket.no'), dataIndex: 'no', render: (v: string, r) => <Link to={`/tickets/${r.id}`} onClick={(e) => e.stopPropagation()} style={{ whiteSpace: 'nowrap', fontFamily: 'ui-monospace, Menlo, Consolas, monospace' }}>{v}</Link> },
            {
              title: t('servicedesk.ticket.title'),
              dataIndex: 'title',
              render: (v: string, r) => (
                <Flex vertical style={{ maxWidth: 280 }}>
                  <Typography.Text strong ellipsis>{v}</Typography.Text>
                  <Typography.Text type="secondary" ellipsis style={{ fontSize: 12 }}>
                    {[t(`servicedesk.kinds.${r.kind}`), catName(r.categoryId, r.categoryName)].join(' · ')}
                  </Typography.Text>
                </Flex>
              ),
            },
            ...(community ? [] : [{ title: t('servicedesk.ticket.community'), dataIndex: 'communityName', render: (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{v}</span> }]),
            { title: t('servicedesk.ticket.place'), key: 'place', render: (_: unknown, r: TicketSummary) => <span style={{ whiteSpace: 'nowrap' }}>{r.roomLabel ?? r.location ?? '—'}</span> },
            { title: t('common.status'), dataIndex: 'status', render: (s: TicketSummary['status']) => <TicketStatusTag status={s} /> },
            { title: t('servicedesk.ticket.clock'), key: 'clock', render: (_: unknown, r: TicketSummary) => <WorstClockTag clocks={r.clocks} now={now} /> },
            { title: t('servicedesk.ticket.urgency'), dataIndex: 'urgency', render: (u: TicketSummary['urgency']) => <UrgencyTag urgency={u} /> },
            {
              title: t('servicedesk.ticket.assignee'),
              key: 'assignee',
              render: (_: unknown, r: TicketSummary) => <span style={{ whiteSpace: 'nowrap' }}>{r.assigneeName ?? (r.inPool ? t('servicedesk.ticket.inPool') : '—')}</span>,
            },
            { title: t('servicedesk.ticket.reportedAt'), dataIndex: 'reportedAt', render: (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(v)}</span> },
          ]}
        />
      </Card>
      <SaveViewModal open={saving} filters={filters} onClose={() => setSaving(false)} onSaved={(id) => { setViewId(id); void message.success(t('servicedesk.queue.viewSaved')); }} />
      <TicketFormModal open={creating} onClose={() => setCreating(false)} onCreated={(ticket) => { void message.success(t('servicedesk.form.created', { no: ticket.no })); navigate(`/tickets/${ticket.id}`); }} />
    </>
  );
}
