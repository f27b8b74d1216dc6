import { Col, Row, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function indent(json: string): string {
  return json.replace(/\n/g, '\n  ');
}

/** One side of the change; top-level fields that differ from the other side are highlighted. */
function JsonSide({ value, other, testId }: { value: unknown; other: unknown; testId: string }) {
  const { t } = useTranslation();
  if (value === null || value === undefined) {
    return <pre className="anju-json" data-testid={testId}>{t('audit.empty')}</pre>;
  }
  if (!isRecord(value)) return <pre className="anju-json" data-testid={testId}>{JSON.stringify(value, null, 2)}</pre>;
  const otherRecord = isRecord(other) ? other : {};
  const keys = Object.keys(value);
  return (
    <pre className="anju-json" data-testid={testId}>
      {'{\n'}
      {keys.map((k, i) => {
        const changed = JSON.stringify(value[k]) !== JSON.stringify(otherRecord[k]);
        const line = `  ${JSON.stringify(k)}: ${indent(JSON.stringify(value[k], null, 2) ?? 'null')}${i < keys.length - 1 ? ',' : ''}`;
        return (
          <span key={k} className={changed && other !== null && other !== undefined ? 'changed' : undefined}>
            {line}
            {'\n'}
          </span>
        );
      })}
      {'}'}
    </pre>
  );
}

/** Before and after, side by side. */
export function AuditDiff({ before, after }: { before: unknown; after: unknown }) {
  const { t } = useTranslation();
  return (
    <div style={{ padding: '4px 8px' }}>
      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Typography.Text strong>{t('audit.before')}</Typography.Text>
          <JsonSide value={before} other={after} testId="audit-before" />
        </Col>
        <Col xs={24} lg={12}>
          <Typography.Text strong>{t('audit.after')}</Typography.Text>
          <JsonSide value={after} other={before} testId="audit-after" />
        </Col>
      </Row>
      {isRecord(before) && isRecord(after) && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('audit.changed')}
        </Typography.Text>
      )}
    </div>
  );
}
