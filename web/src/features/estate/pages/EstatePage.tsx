import { useEffect, useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { Button, Card, Empty, Spin, Tree, Typography, type TreeDataNode } from 'antd';
import { ApartmentOutlined, BuildOutlined, HomeOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useCurrentCommunity } from '../../../app/console/community.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { useCurrentMe } from '../../auth/api.ts';
import { useBuildingsOf, type Building } from '../api.ts';
import { BuildingPane } from '../components/BuildingPane.tsx';
import { CommunityPane } from '../components/CommunityPane.tsx';

/** Tree keys: `c:<community>`, `b:<building>`, `u:<building>:<unit>`. */
function parseKey(key: string): { c?: string; b?: string; u?: string } {
  const [kind, a, b] = key.split(':');
  if (kind === 'c') return { c: a };
  if (kind === 'b') return { b: a };
  if (kind === 'u') return { b: a, u: b };
  return {};
}

/**
 * 房产总览: the community → building → unit tree on the left (following the header's community switcher), and on
 * the right the community's details and buildings, or the selected building's floor-by-room grid.
 */
export default function EstatePage() {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const navigate = useNavigate();
  const { community: headerCommunity } = useCurrentCommunity();
  const [params, setParams] = useSearchParams();
  const visible = useMemo(() => (headerCommunity ? [headerCommunity] : me.communities), [headerCommunity, me.communities]);

  const paramC = params.get('c');
  const communityId = visible.find((c) => c.id === paramC)?.id ?? visible[0]?.id;
  const buildingId = params.get('b') ?? undefined;
  const unitId = params.get('u') ?? undefined;

  const [expanded, setExpanded] = useState<string[]>(() => (communityId ? [`c:${communityId}`] : []));
  // The header's switcher moved to another community: follow it.
  useEffect(() => {
    if (headerCommunity && paramC && paramC !== headerCommunity.id) setParams({}, { replace: true });
  }, [headerCommunity, paramC, setParams]);
  useEffect(() => {
    if (communityId) setExpanded((e) => (e.includes(`c:${communityId}`) ? e : [...e, `c:${communityId}`]));
  }, [communityId]);
  useEffect(() => {
    if (buildingId) setExpanded((e) => (e.includes(`b:${buildingId}`) ? e : [...e, `b:${buildingId}`]));
  }, [buildingId]);

  const expandedCommunities = visible.filter((c) => expanded.includes(`c:${c.id}`) || c.id === communityId).map((c) => c.id);
  const lists = useBuildingsOf(expandedCommunities);
  const buildingsOf = new Map<string, Building[] | undefined>(expandedCommunities.map((id, i) => [id, lists[i]?.data?.items]));
  const buildings = (communityId && buildingsOf.get(communityId)) || [];
  const building = buildings.find((b) => b.id === buildingId);
  const unit = building?.units.find((u) => u.id === unitId);

  const treeData: TreeDataNode[] = visible.map((c) => {
    const list = buildingsOf.get(c.id);
    return {
      key: `c:${c.id}`,
      title: <span data-testid="tree-community">{c.name}</span>,
      icon: <ApartmentOutlined />,
      isLeaf: false,
      children: list
        ? list.map((b) => ({
            key: `b:${b.id}`,
            title: (
              <span data-testid="tree-building">
                {b.name}
                <Typography.Text type="secondary" style={{ fontSize: 12, marginLeft: 6 }}>
                  {b.roomCount}
                </Typography.Text>
              </span>
            ),
            icon: <BuildOutlined />,
            isLeaf: b.units.length === 0,
            children: b.units.map((u) => ({ key: `u:${b.id}:${u.id}`, title: <span data-testid="tree-unit">{u.name}</span>, icon: <HomeOutlined />, isLeaf: true })),
          }))
        : [{ key: `loading:${c.id}`, title: <Spin size="small" />, selectable: false, isLeaf: true }],
    };
  });

  const selectedKey = unit && building ? `u:${building.id}:${unit.id}` : buildingId ? `b:${buildingId}` : communityId ? `c:${communityId}` : undefined;

  const select = (key: string) => {
    const p = parseKey(key);
    if (p.c) return setParams({ c: p.c });
    if (p.b) {
      const owner = [...buildingsOf.entries()].find(([, list]) => list?.some((b) => b.id === p.b))?.[0];
      return setParams({ c: owner ?? communityId ?? '', b: p.b, ...(p.u ? { u: p.u } : {}) });
    }
  };
  const selectBuilding = (b: Building) => setParams({ c: b.communityId, b: b.id });
  const current = visible.find((c) => c.id === communityId);
  const trail = [current?.name, building?.name, unit?.name].filter(Boolean).join(' / ');

  const loading = lists.some((l) => l.isPending);
  let pane = null;
  if (building) {
    pane = (
      <BuildingPane
        building={building}
        unit={unit ?? null}
        onClearUnit={() => setParams({ c: building.communityId, b: building.id })}
        onOpenRoom={(id) => navigate(`/estate/rooms/${id}`)}
      />
    );
  } else if (buildingId && loading) {
    pane = <Card loading />;
  } else if (buildingId) {
    pane = (
      <Card>
        <Empty description={t('estate.buildingGone')}>
          <Button onClick={() => setParams({ c: communityId ?? '' })}>{t('common.back')}</Button>
        </Empty>
      </Card>
    );
  } else if (communityId) {
    pane = <CommunityPane communityId={communityId} buildings={buildingsOf.get(communityId)} onOpenBuilding={selectBuilding} />;
  }

  return (
    <>
      <PageHeader title={t('estate.title')} subtitle={trail || t('estate.subtitle')} />
      {visible.length === 0 ? (
        <Card>
          <Empty description={t('header.noCommunity')} />
        </Card>
      ) : (
        <div className="anju-estate">
          <Card size="small" title={t('estate.structure')} className="anju-estate-tree" styles={{ body: { padding: '8px 4px' } }}>
            <Tree
              showIcon
              blockNode
              data-testid="estate-tree"
              treeData={treeData}
              expandedKeys={expanded}
              onExpand={(keys) => setExpanded(keys.map(String))}
              selectedKeys={selectedKey ? [selectedKey] : []}
              onSelect={(keys, info) => {
                const key = String(keys[0] ?? info.node.key);
                select(key);
              }}
            />
          </Card>
          <div className="anju-estate-main">{pane}</div>
        </div>
      )}
    </>
  );
}
