import { useState } from 'react';
import { Upload, type UploadFile } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { upload } from '../../../lib/api.ts';
import type { StoredFile } from '../../../../../src/modules/files/schema.ts';

/**
 * Photos for a ticket step: each is uploaded to /api/files as soon as it is picked, and the form's value is the
 * list of stored file ids (what the ticket endpoints take). At most nine, like the API.
 */
export function PhotoUpload({ onChange, max = 9, testId }: { value?: string[]; onChange?: (ids: string[]) => void; max?: number; testId?: string }) {
  const { t } = useTranslation();
  const [files, setFiles] = useState<UploadFile<StoredFile>[]>([]);
  const emit = (list: UploadFile<StoredFile>[]) => onChange?.(list.filter((f) => f.status === 'done' && f.response).map((f) => f.response!.id));
  return (
    <Upload<StoredFile>
      listType="picture-card"
      accept="image/jpeg,image/png,image/webp,image/gif"
      multiple
      fileList={files}
      data-testid={testId}
      customRequest={({ file, onSuccess, onError }) => {
        upload<StoredFile>('/api/files', file as File)
          .then((stored) => onSuccess?.(stored))
          .catch((err: Error) => onError?.(err));
      }}
      onChange={({ fileList }) => {
        const list = fileList.map((f) => (f.status === 'done' && f.response?.thumbUrl ? { ...f, thumbUrl: f.response.thumbUrl, url: f.response.url } : f));
        setFiles(list);
        emit(list);
      }}
    >
      {files.length < max && (
        <div>
          <PlusOutlined />
          <div style={{ marginTop: 8 }}>{t('servicedesk.form.addPhoto')}</div>
        </div>
      )}
    </Upload>
  );
}
