import { Alert, Button, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export interface SecretToShow {
  title: string;
  label: string;
  secret: string;
  note?: string;
}

/**
 * Shows a temporary password exactly once. The server keeps only its hash, so closing this is final:
 * the modal cannot be dismissed by a stray click outside it.
 */
export function SecretOnceModal({ value, onClose }: { value: SecretToShow | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      open={value !== null}
      title={value?.title}
      onCancel={onClose}
      mask={{ closable: false }}
      keyboard={false}
      footer={
        <Button type="primary" onClick={onClose} data-testid="secret-close">
          {t('staff.iHaveCopied')}
        </Button>
      }
    >
      {value && (
        <>
          <Alert type="warning" showIcon title={t('staff.tempPasswordHint')} style={{ marginBottom: 16 }} />
          <Typography.Text type="secondary">{value.label}</Typography.Text>
          <Typography.Paragraph
            copyable={{ text: value.secret, tooltips: [t('common.copy'), t('common.copied')] }}
            data-testid="secret-value"
            style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', fontSize: 22, margin: '8px 0 0', letterSpacing: 1 }}
          >
            {value.secret}
          </Typography.Paragraph>
          {value.note && <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>{value.note}</Typography.Paragraph>}
        </>
      )}
    </Modal>
  );
}
