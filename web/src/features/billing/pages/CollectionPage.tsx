import { useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { Alert, Button, Result, Tabs } from 'antd';
import { PlusOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useCurrentCommunity } from '../../../app/console/community.tsx';
import { CommunitySelect } from '../../../components/CommunitySelect.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { useAbilities } from '../../auth/api.ts';
import { CampaignDrawer } from '../components/arrears/CampaignDrawer.tsx';
import { CampaignForm, type CampaignPrefill } from '../components/arrears/CampaignForm.tsx';
import { CampaignsTab } from '../components/arrears/CampaignsTab.tsx';
import { TasksTab } from '../components/arrears/TasksTab.tsx';

/** 催缴: reminder campaigns (with the law's limit stated plainly) and the collection tasks of zone staff. */
export default function CollectionPage() {
  const { t } = useTranslation();
  const can = useAbilities();
  const location = useLocation();
  const navigate = useNavigate();
  const { community } = useCurrentCommunity();
  const [pageCommunity, setPageCommunity] = useState<string | undefined>(undefined);
  const communityId = community?.id ?? pageCommunity;
  const canCollect = can('billing.collect') || can('billing.manage');
  const canManage = can('billing.manage');
  const [tab, setTab] = useState<'campaigns' | 'tasks'>(canManage ? 'campaigns' : 'tasks');
  const [form, setForm] = useState<{ communityId: string | undefined; roomIds?: string[] } | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);

  // Rooms ticked on the arrears page arrive as router state; open the form once and drop the state, so a reload
  // or the back button does not open it again.
  useEffect(() => {
    const prefill = (location.state as { newCampaign?: CampaignPrefill } | null)?.newCampaign;
    if (!prefill) return;
    setTab('campaigns');
    setForm({ communityId: prefill.communityId, roomIds: prefill.roomIds });
    navigate(location.pathname, { replace: true, state: null });
  }, [location.state, location.pathname, navigate]);

  const law = <Alert type="warning" showIcon icon={<SafetyCertificateOutlined />} title={t('billingArrears.collection.law')} style={{ marginBottom: 16 }} data-testid="collection-law" />;

  if (!canCollect) {
    return (
      <>
        <PageHeader title={t('billingArrears.collection.title')} subtitle={t('billingArrears.collection.subtitle')} />
        {law}
        <Result status="403" title={t('common.forbidden')} subTitle={t('common.forbiddenHint')} />
      </>
    );
  }

  return (
    <>
      <PageHeader
        title={t('billingArrears.collection.title')}
        subtitle={t('billingArrears.collection.subtitle')}
        extra={
          <>
            {!community && <CommunitySelect allowAll value={pageCommunity} onChange={setPageCommunity} testId="collection-community" />}
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setForm({ communityId })} data-testid="campaign-new">
              {t('billingArrears.collection.newCampaign')}
            </Button>
          </>
        }
      />
      {law}
      <Tabs
        activeKey={tab}
        onChange={(k) => setTab(k as 'campaigns' | 'tasks')}
        destroyOnHidden
        items={[
          { key: 'campaigns', label: t('billingArrears.collection.tabs.campaigns'), children: <CampaignsTab communityId={communityId} onOpen={setOpenId} /> },
          { key: 'tasks', label: t('billingArrears.collection.tabs.tasks'), children: <TasksTab communityId={communityId} canManage={canManage} /> },
        ]}
      />
      <CampaignForm
        open={form !== null}
        communityId={form?.communityId}
        roomIds={form?.roomIds}
        onClose={() => setForm(null)}
        onCreated={(c) => {
          setForm(null);
          setTab('campaigns');
          setOpenId(c.id);
        }}
      />
      <CampaignDrawer id={openId} onClose={() => setOpenId(null)} />
    </>
  );
}
