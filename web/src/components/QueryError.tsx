import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../lib/api.ts';

/** A failed load: the server's message, its request id (for support), and a retry. */
export function QueryError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const message = error instanceof Error ? error.message : String(error);
  const requestId = error instanceof ApiError ? error.requestId : null;
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 16 }}
      title={t('common.loadFailed')}
      description={
        <>
          {message}
          {requestId && <div style={{ opacity: 0.6, fontSize: 12 }}>{t('common.requestId', { id: requestId })}</div>}
        </>
      }
      action={onRetry && <Button size="small" onClick={onRetry}>{t('common.retry')}</Button>}
    />
  );
}
