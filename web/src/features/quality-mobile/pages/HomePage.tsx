import { Link, useSearchParams } from 'react-router-dom';
import { Empty, Flex, Segmented, Skeleton, Tag, Typography } from 'antd';
import { RightOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/QueryError.tsx';
import { useAbilities } from '../../auth/api.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { useInspections, useNotices, type NoticeSummary } from '../../quality/api.ts';
import { InspectionStatusTag, NoticeStatusTag } from '../../quality/components/tags.tsx';

type Tab = 'inspect' | 'rectify';

/** 品质检查 on the phone: an inspector's open inspections and the notices to verify; a rectifier's notices to rectify. */
export function HomePage() {
  const { t } = useTranslation();
  const can = useAbilities();
  const inspector = can('quality.manage');
  const [params, setParams] = useSearchParams();
  const tab: Tab = !inspector || params.get('tab') === 'rectify' ? 'rectify' : 'inspect';
  return (
    <div className="m-page" data-testid="m-quality">
      {inspector && can('quality.rectify') && (
        <Segmented<Tab>
          block
          size="large"
          value={tab}
          onChange={(v) => setParams(v === 'rectify' ? { tab: v } : {}, { replace: true })}
          options={[
            { value: 'inspect', label: t('quality.mobile.tabInspect') },
            { value: 'rectify', label: t('quality.mobile.tabRectify') },
          ]}
          style={{ marginBottom: 12 }}
        />
      )}
      {tab === 'inspect' ? <InspectorHome /> : <NoticeList title={t('quality.mobile.tabRectify')} />}
    </div>
  );
}

function InspectorHome() {
  const { t } = useTranslation();
  const planned = useInspections({ mine: 'true', status: 'planned', pageSize: 20 });
  const going = useInspections({ mine: 'true', status: 'inProgress', pageSize: 20 });
  const items = [...(going.data?.items ?? []), ...(planned.data?.items ?? [])];
  return (
    <Flex vertical gap={10}>
      <div className="m-card-title">{t('quality.mobile.tabInspect')}</div>
      {planned.error ? (
        <QueryError error={planned.error} />
      ) : !planned.data || !going.data ? (
        <div className="m-card">
          <Skeleton active />
        </div>
      ) : items.length === 0 ? (
        <div className="m-card">
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('quality.mobile.noInspections')} />
        </div>
      ) : (
        items.map((i) => (
          <Link key={i.id} to={`inspections/${i.id}`} className="m-card" style={{ display: 'block', color: 'inherit' }} data-testid="m-quality-inspection">
            <Flex justify="space-between" align="center">
              <div>
                <Typography.Text strong>{i.title}</Typography.Text>
                <div className="m-sub">
                  {i.plannedOn} · {i.communityName} · {t(`quality.kind.${i.kind}`)}
                </div>
              </div>
              <Flex gap={4} align="center">
                <InspectionStatusTag status={i.status} />
                <RightOutlined />
              </Flex>
            </Flex>
          </Link>
        ))
      )}
      <NoticeList title={t('quality.mobile.tabVerify')} />
    </Flex>
  );
}

/** The notices waiting for the caller: to rectify (theirs or their department's) or to verify (their inspections'). */
function NoticeList({ title }: { title: string }) {
  const { t } = useTranslation();
  const list = useNotices({ mine: 'true', pageSize: 50 });
  return (
    <Flex vertical gap={10}>
      <div className="m-card-title" style={{ marginTop: 8 }}>
        {title}
      </div>
      {list.error ? (
        <QueryError error={list.error} />
      ) : !list.data ? (
        <div className="m-card">
          <Skeleton active />
        </div>
      ) : list.data.items.length === 0 ? (
        <div className="m-card">
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('quality.mobile.noNotices')} />
        </div>
      ) : (
        list.data.items.map((n) => <NoticeRow key={n.id} n={n} />)
      )}
    </Flex>
  );
}

function NoticeRow({ n }: { n: NoticeSummary }) {
  const { t } = useTranslation();
  return (
    <Link to={`notices/${n.id}`} className="m-card" style={{ display: 'block', color: 'inherit', borderLeft: n.overdue ? '4px solid #ff4d4f' : undefined }} data-testid="m-quality-notice">
      <Flex justify="space-between" align="flex-start" gap={8}>
        <div style={{ minWidth: 0 }}>
          <Typography.Text strong>{n.description}</Typography.Text>
          <div className="m-sub">
            {n.no} · {[n.buildingName, n.location].filter(Boolean).join(' ') || n.communityName}
          </div>
          <div className="m-sub" style={{ color: n.overdue ? '#cf1322' : undefined }}>
            {t('quality.mobile.deadlineIn', { at: formatDateTime(n.deadlineAt) })}
            {n.escalationLevel > 0 && <Tag color="volcano" style={{ marginLeft: 6 }}>{t(`quality.common.escalated${n.escalationLevel as 1 | 2}`)}</Tag>}
          </div>
        </div>
        <Flex vertical align="flex-end" gap={4}>
          <NoticeStatusTag status={n.status} overdue={n.overdue} />
        </Flex>
      </Flex>
    </Link>
  );
}
