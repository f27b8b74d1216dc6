import { Card, Checkbox, Col, Row, Skeleton, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { currentLang } from '../../../i18n/index.ts';
import { QueryError } from '../../../components/QueryError.tsx';
import { usePermissions, type PermissionInfo } from '../api.ts';
import { GROUP_ORDER, isKnownGroup } from '../labels.ts';

/** Every permission from GET /api/permissions as checkboxes, grouped, labelled in the current language. */
export function PermissionPicker({ value = [], onChange }: { value?: string[]; onChange?: (value: string[]) => void }) {
  const { t } = useTranslation();
  const lang = currentLang();
  const permissions = usePermissions();
  if (permissions.error) return <QueryError error={permissions.error} onRetry={() => void permissions.refetch()} />;
  if (!permissions.data) return <Skeleton active />;

  const groups = new Map<string, PermissionInfo[]>();
  for (const p of permissions.data.items) groups.set(p.group, [...(groups.get(p.group) ?? []), p]);
  const ordered = [...groups.keys()].sort((a, b) => {
    const ia = GROUP_ORDER.indexOf(a as never);
    const ib = GROUP_ORDER.indexOf(b as never);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
  });
  const selected = new Set(value);

  const setGroup = (keys: string[], on: boolean) => {
    const next = new Set(selected);
    for (const k of keys) {
      if (on) next.add(k);
      else next.delete(k);
    }
    onChange?.([...next]);
  };

  return (
    <Row gutter={[12, 12]}>
      {ordered.map((group) => {
        const items = groups.get(group) ?? [];
        const keys = items.map((p) => p.key);
        const count = keys.filter((k) => selected.has(k)).length;
        return (
          <Col key={group} xs={24} md={12}>
            <Card
              size="small"
              style={{ height: '100%' }}
              title={
                <Checkbox
                  checked={count === keys.length}
                  indeterminate={count > 0 && count < keys.length}
                  onChange={(e) => setGroup(keys, e.target.checked)}
                  data-testid={`perm-group-${group}`}
                >
                  {isKnownGroup(group) ? t(`roles.group.${group}`) : group}
                  <Typography.Text type="secondary" style={{ marginLeft: 8, fontWeight: 'normal' }}>
                    {count}/{keys.length}
                  </Typography.Text>
                </Checkbox>
              }
            >
              <Row gutter={[8, 6]}>
                {items.map((p) => (
                  <Col span={12} key={p.key}>
                    <Tooltip title={p.key} placement="topLeft" mouseEnterDelay={0.6}>
                      <Checkbox checked={selected.has(p.key)} onChange={(e) => setGroup([p.key], e.target.checked)}>
                        {lang === 'en' ? p.en : p.zh}
                      </Checkbox>
                    </Tooltip>
                  </Col>
                ))}
              </Row>
            </Card>
          </Col>
        );
      })}
    </Row>
  );
}
