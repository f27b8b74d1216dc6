import { Descriptions, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Community } from '../api.ts';
import { formatArea } from '../labels.ts';

/** A community's facts: address, areas with 绿化率, service level, management mode, type. */
export function CommunityDetails({ community: c }: { community: Community }) {
  const { t } = useTranslation();
  const area = (v: string | null) => (v ? <span style={{ whiteSpace: 'nowrap' }}>{formatArea(v)} ㎡</span> : '—');
  return (
    <Descriptions
      size="small"
      column={{ xs: 1, sm: 2, lg: 3 }}
      data-testid="community-details"
      items={[
        { key: 'code', label: t('communities.code'), children: c.code },
        { key: 'region', label: t('communities.region'), children: c.divisionLabel || '—' },
        { key: 'address', label: t('communities.street'), children: c.address ?? '—' },
        { key: 'land', label: t('communities.landArea'), children: area(c.landArea) },
        { key: 'building', label: t('communities.buildingArea'), children: area(c.buildingArea) },
        {
          key: 'green',
          label: t('communities.greenArea'),
          children: (
            <>
              {area(c.greenArea)}
              {c.greenRatio !== null && (
                <Tag color="green" style={{ marginLeft: 8 }} data-testid="green-ratio">
                  {t('communities.greenRatio')} {c.greenRatio}%
                </Tag>
              )}
            </>
          ),
        },
        { key: 'level', label: t('communities.serviceLevel'), children: c.serviceLevel ? t(`communities.serviceLevels.${c.serviceLevel}`) : '—' },
        { key: 'mode', label: t('communities.managementMode'), children: c.managementMode ? t(`communities.managementModes.${c.managementMode}`) : '—' },
        { key: 'type', label: t('communities.communityType'), children: c.communityType ? t(`communities.communityTypes.${c.communityType}`) : '—' },
        { key: 'enclosed', label: t('communities.enclosed'), children: c.enclosed ? t('communities.enclosedYes') : t('communities.enclosedNo') },
      ]}
    />
  );
}
