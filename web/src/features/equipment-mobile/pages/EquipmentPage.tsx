import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { App, Button, Drawer, Flex, Input, Radio, Skeleton, Tag, Typography } from 'antd';
import { AlertOutlined, CheckCircleOutlined, EnvironmentOutlined, PhoneOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/QueryError.tsx';
import { useAbilities } from '../../auth/api.ts';
import { isApiError } from '../../../lib/api.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { useChangeStatus, useEquipment, useEquipmentTickets, useReportFault, useTasks, type EquipmentDetail } from '../../equipment/api.ts';
import { DueTag, StatusTag } from '../../equipment/labels.tsx';

/** The phone page a QR label opens: the item, its inspections, maintenance and faults, and "report fault". */
export function EquipmentPage() {
  const { id = '' } = useParams();
  const q = useEquipment(id);
  if (q.error) return <div className="m-page"><QueryError error={q.error} onRetry={() => void q.refetch()} /></div>;
  if (!q.data) return <div className="m-page"><div className="m-card"><Skeleton active /></div></div>;
  return <Detail e={q.data} />;
}

function Detail({ e }: { e: EquipmentDetail }) {
  const { t } = useTranslation();
  const can = useAbilities();
  const [sheet, setSheet] = useState<null | 'fault' | 'normal'>(null);
  const tasks = useTasks({ equipmentId: e.id, pageSize: 5 });
  const tickets = useEquipmentTickets(e.id);
  const mayReport = e.status !== 'stopped' && (can('ticket.create') || can('equipment.maintain'));
  return (
    <div className="m-page" data-testid="m-equipment">
      <div className="m-card">
        <Flex justify="space-between" align="flex-start" gap={8}>
          <div>
            <div style={{ fontWeight: 600, fontSize: 17 }}>{e.name}</div>
            <div className="m-sub">
              {e.code} · {t(`equipment.categories.${e.category}`)}
            </div>
          </div>
          <StatusTag status={e.status} />
        </Flex>
        <div className="m-info-line">
          <EnvironmentOutlined /> {[e.communityName, e.building?.name, e.location].filter(Boolean).join(' · ')}
        </div>
        {e.responsible && (
          <div className="m-info-line">
            <UserOutlined /> {t('equipment.fields.responsible')}：{e.responsible.name}
          </div>
        )}
        {e.contractorName && (
          <div className="m-info-line">
            <PhoneOutlined /> {e.contractorName} {e.contractorPhone && <a href={`tel:${e.contractorPhone}`}>{e.contractorPhone}</a>}
          </div>
        )}
        <div className="m-sub" style={{ marginTop: 6 }}>
          {[e.model, e.manufacturer, e.installedOn && `${t('equipment.fields.installedOn')} ${e.installedOn}`].filter(Boolean).join(' · ')}
        </div>
      </div>

      <Flex gap={10} style={{ marginBottom: 12 }}>
        {mayReport && (
          <Button danger type="primary" size="large" block icon={<AlertOutlined />} onClick={() => setSheet('fault')} data-testid="m-report-fault">
            {t('equipment.mobile.report')}
          </Button>
        )}
        {e.status === 'fault' && can('equipment.maintain') && (
          <Button size="large" block icon={<CheckCircleOutlined />} onClick={() => setSheet('normal')} data-testid="m-set-normal">
            {t('equipment.mobile.setNormal')}
          </Button>
        )}
      </Flex>

      {e.inspections.length > 0 && (
        <div className="m-card">
          <div className="m-card-title">{t('equipment.mobile.inspections')}</div>
          {e.inspections.map((i) => (
            <Flex key={i.id} justify="space-between" align="center" style={{ padding: '6px 0' }}>
              <span>
                {i.name}
                <div className="m-sub">
                  {i.nextDueOn}
                  {i.lastRecord?.certificateNo ? ` · ${i.lastRecord.certificateNo}` : ''}
                </div>
              </span>
              <DueTag daysLeft={i.daysLeft} />
            </Flex>
          ))}
        </div>
      )}

      <div className="m-card">
        <div className="m-card-title">{t('equipment.mobile.recentTasks')}</div>
        {(tasks.data?.items ?? []).length === 0 && <div className="m-sub">{t('equipment.detail.noHistory')}</div>}
        {tasks.data?.items.map((task) => (
          <Link key={task.id} to={`/equipment/tasks/${task.id}`} style={{ display: 'flex', justifyContent: 'space-between', padding: '6px 0', color: 'inherit' }}>
            <span>
              {task.title}
              <div className="m-sub">{task.dueOn}</div>
            </span>
            <span>
              {task.overdue ? <Tag color="red">{t('equipment.mobile.overdue')}</Tag> : <Tag color={task.status === 'done' ? 'green' : undefined}>{t(`equipment.taskStatuses.${task.status}`)}</Tag>}
              {task.abnormal && <Tag color="orange">{t('equipment.maintenance.abnormal')}</Tag>}
            </span>
          </Link>
        ))}
      </div>

      <div className="m-card">
        <div className="m-card-title">{t('equipment.mobile.tickets')}</div>
        {(tickets.data ?? []).length === 0 && <div className="m-sub">{t('equipment.detail.noHistory')}</div>}
        {tickets.data?.map((k) => (
          <div key={k.id} style={{ padding: '6px 0' }} data-testid="m-equipment-ticket">
            <Flex justify="space-between">
              <span>{k.no}</span>
              <Tag>{t(`servicedesk.statuses.${k.status}`, { defaultValue: k.status })}</Tag>
            </Flex>
            <div className="m-sub">
              {formatDateTime(k.reportedAt)} · {t(`equipment.sources.${k.source}`)}
              {k.assigneeName ? ` · ${k.assigneeName}` : ''}
            </div>
          </div>
        ))}
      </div>

      <div className="m-card">
        <div className="m-card-title">{t('equipment.mobile.history')}</div>
        {e.history.slice(0, 6).map((h) => (
          <div key={h.id} style={{ padding: '6px 0' }}>
            <Flex gap={6} align="center">
              <StatusTag status={h.toStatus} />
              <span className="m-sub">{formatDateTime(h.changedAt)} · {h.changedBy ?? ''}</span>
            </Flex>
            {h.reason && <div style={{ marginTop: 2 }}>{h.reason}{h.ticket ? `（${h.ticket.no}）` : ''}</div>}
          </div>
        ))}
      </div>

      <FaultSheet e={e} open={sheet === 'fault'} onClose={() => setSheet(null)} />
      <NormalSheet e={e} open={sheet === 'normal'} onClose={() => setSheet(null)} />
    </div>
  );
}

function FaultSheet({ e, open, onClose }: { e: EquipmentDetail; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useReportFault(e.id);
  const [description, setDescription] = useState('');
  const [urgency, setUrgency] = useState<'normal' | 'urgent'>('normal');
  const submit = async () => {
    try {
      const r = await report.mutateAsync({ description, urgency });
      void message.success(t('equipment.mobile.reported', { no: r.ticket.no }));
      setDescription('');
      onClose();
    } catch (err) {
      void message.error(isApiError(err) ? err.message : String(err));
    }
  };
  return (
    <Drawer open={open} onClose={onClose} placement="bottom" height="auto" title={t('equipment.mobile.reportTitle')}>
      <Typography.Paragraph type="secondary">{t('equipment.mobile.reportHint')}</Typography.Paragraph>
      <Input.TextArea rows={4} maxLength={1000} value={description} onChange={(ev) => setDescription(ev.target.value)} placeholder={t('equipment.fields.description')} data-testid="m-fault-description" />
      <Radio.Group style={{ margin: '12px 0' }} value={urgency} onChange={(ev) => setUrgency(ev.target.value)} optionType="button" options={[{ value: 'normal', label: t('equipment.fields.normal') }, { value: 'urgent', label: t('equipment.fields.urgent') }]} />
      <Button type="primary" danger block size="large" disabled={!description.trim()} loading={report.isPending} onClick={() => void submit()} data-testid="m-fault-submit">
        {t('equipment.mobile.submit')}
      </Button>
    </Drawer>
  );
}

function NormalSheet({ e, open, onClose }: { e: EquipmentDetail; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const change = useChangeStatus(e.id);
  const [reason, setReason] = useState('');
  const submit = async () => {
    try {
      await change.mutateAsync({ status: 'normal', reason });
      void message.success(t('equipment.detail.statusChanged'));
      onClose();
    } catch (err) {
      void message.error(isApiError(err) ? err.message : String(err));
    }
  };
  return (
    <Drawer open={open} onClose={onClose} placement="bottom" height="auto" title={t('equipment.mobile.setNormal')}>
      <Input.TextArea rows={3} maxLength={200} value={reason} onChange={(ev) => setReason(ev.target.value)} placeholder={t('equipment.mobile.setNormalReason')} />
      <Button type="primary" block size="large" style={{ marginTop: 12 }} disabled={!reason.trim()} loading={change.isPending} onClick={() => void submit()}>
        {t('equipment.mobile.submit')}
      </Button>
    </Drawer>
  );
}
