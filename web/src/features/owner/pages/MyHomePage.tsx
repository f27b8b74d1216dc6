import { Button, Empty, Flex, Skeleton, Typography } from 'antd';
import { BankOutlined, HomeOutlined, PhoneOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../../components/QueryError.tsx';
import { MyRequests } from '../components/MyRequests.tsx';
import { RoomCard } from '../components/RoomCard.tsx';
import { useOwnerHome } from '../api.ts';
import { ServiceShortcuts } from '../../servicedesk-mobile/components/ServiceShortcuts.tsx';
import { BillsEntry } from '../../billing-mobile/components/BillsEntry.tsx';

/** 我的家: who I am, my property company and how to reach it, my homes. */
export function MyHomePage() {
  const { t } = useTranslation();
  const home = useOwnerHome();
  if (home.error) return <div className="m-page"><QueryError error={home.error} onRetry={() => void home.refetch()} /></div>;
  if (!home.data) return <div className="m-page"><Skeleton active /></div>;
  const { owner, company, rooms } = home.data;
  return (
    <div className="m-page">
      <div className="m-hero">
        <div style={{ fontSize: 22, fontWeight: 600 }} data-testid="owner-name">
          {t('mobile.hello', { name: owner.displayName })}
        </div>
        <div style={{ opacity: 0.85, marginTop: 4 }}>{owner.phone}</div>
      </div>

      {rooms.length > 0 && <ServiceShortcuts />}
      {rooms.length > 0 && <BillsEntry />}

      <div className="m-card">
        <div className="m-card-title">
          <BankOutlined /> {t('mobile.myProperty')}
        </div>
        <Typography.Text strong style={{ fontSize: 16 }} data-testid="owner-company">
          {company.name}
        </Typography.Text>
        {company.contactPhone && (
          <Flex justify="space-between" align="center" style={{ marginTop: 12 }}>
            <Typography.Text type="secondary">
              {t('mobile.contactProperty')}：{company.contactPhone}
            </Typography.Text>
            <Button icon={<PhoneOutlined />} href={`tel:${company.contactPhone}`} shape="round">
              {t('mobile.call')}
            </Button>
          </Flex>
        )}
      </div>

      <div className="m-card">
        <div className="m-card-title">
          <HomeOutlined /> {t('mobile.myRooms')}
        </div>
        {rooms.length === 0 ? (
          <Empty
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description={
              <>
                <Typography.Text strong data-testid="no-rooms">{t('mobile.noRooms')}</Typography.Text>
                <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0', fontSize: 13 }}>
                  {t('mobile.noRoomsHint')}
                </Typography.Paragraph>
              </>
            }
          />
        ) : (
          <Flex vertical gap={10}>
            {rooms.map((r) => (
              <RoomCard key={r.id} room={r} />
            ))}
          </Flex>
        )}
      </div>

      <MyRequests />
    </div>
  );
}
