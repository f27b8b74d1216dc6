import { useState } from 'react';
import { App, Button, Dropdown, Tooltip } from 'antd';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useCurrentMe } from '../../auth/api.ts';
import { downloadExport, type ImportKind } from '../api.ts';
import { ImportWizard } from './ImportWizard.tsx';

/**
 * 导出 on a list: the chosen community's rows as .xlsx in the import columns. Without a chosen community, a menu
 * asks which one (an export is one community's file).
 */
export function ExportButton({ kind, communityId }: { kind: ImportKind; communityId?: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useCurrentMe();
  const [busy, setBusy] = useState(false);
  const run = (id: string) => {
    setBusy(true);
    downloadExport(kind, id)
      .then((name) => void message.success(t('imports.exported', { name })))
      .catch((err: Error) => void message.error(err.message))
      .finally(() => setBusy(false));
  };
  if (communityId) {
    return (
      <Tooltip title={t('imports.exportHint')}>
        <Button icon={<DownloadOutlined />} loading={busy} onClick={() => run(communityId)} data-testid={`export-${kind}`}>
          {t('imports.export')}
        </Button>
      </Tooltip>
    );
  }
  return (
    <Dropdown trigger={['click']} menu={{ items: me.communities.map((c) => ({ key: c.id, label: c.name })), onClick: ({ key }) => run(key) }}>
      <Button icon={<DownloadOutlined />} loading={busy} data-testid={`export-${kind}`}>
        {t('imports.export')}
      </Button>
    </Dropdown>
  );
}

/** 导入 on a list: opens the import wizard for this kind. */
export function ImportButton({ kind, communityId }: { kind: ImportKind; communityId?: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button icon={<UploadOutlined />} onClick={() => setOpen(true)} data-testid={`import-${kind}`}>
        {t('imports.import')}
      </Button>
      <ImportWizard open={open} kind={kind} communityId={communityId} onClose={() => setOpen(false)} />
    </>
  );
}
