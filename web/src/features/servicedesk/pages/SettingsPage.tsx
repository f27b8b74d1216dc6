import type { ReactNode } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Card, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { CalendarTab } from '../components/settings/CalendarTab.tsx';
import { CategoriesTab } from '../components/settings/CategoriesTab.tsx';
import { GeneralTab } from '../components/settings/GeneralTab.tsx';
import { GroupsTab } from '../components/settings/GroupsTab.tsx';
import { PoliciesTab } from '../components/settings/PoliciesTab.tsx';
import { RulesTab } from '../components/settings/RulesTab.tsx';

const TABS = ['categories', 'policies', 'groups', 'rules', 'general', 'calendar'] as const;
type Tab = (typeof TABS)[number];

/** 服务台设置: categories, time limits, teams, dispatch rules, business hours and targets, the working-day calendar. */
export default function SettingsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab: Tab = TABS.find((x) => x === params.get('tab')) ?? 'categories';
  const content: Record<Tab, ReactNode> = {
    categories: <CategoriesTab />,
    policies: <PoliciesTab />,
    groups: <GroupsTab />,
    rules: <RulesTab />,
    general: <GeneralTab />,
    calendar: <CalendarTab />,
  };
  return (
    <>
      <PageHeader title={t('servicedesk.settings.title')} subtitle={t('servicedesk.settings.subtitle')} />
      <Card>
        <Tabs
          activeKey={tab}
          onChange={(k) => setParams({ tab: k }, { replace: true })}
          destroyOnHidden
          items={TABS.map((k) => ({ key: k, label: <span data-testid={`settings-tab-${k}`}>{t(`servicedesk.settings.tabs.${k}`)}</span>, children: content[k] }))}
        />
      </Card>
    </>
  );
}
