import { useEffect, useRef, type Dispatch, type SetStateAction } from 'react';
import { App, Spin } from 'antd';
import { CameraOutlined, CloseOutlined, ExclamationCircleFilled, PictureOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { shrinkPhoto } from '../photos.ts';
import { uploadPhoto } from '../api.ts';

export interface LocalPhoto {
  key: string;
  name: string;
  blob: Blob;
  /** An object URL for the thumbnail. */
  url: string;
  /** Set once uploaded (owner form); the technician's photos are uploaded by the queue instead. */
  fileId: string | null;
  state: 'kept' | 'uploading' | 'uploaded' | 'failed';
}

let counter = 0;

/**
 * Photos from the camera or the gallery, as thumbnails with a remove button. With `upload`, each is sent to
 * /api/files at once (the owner's report); without, they are kept as blobs for the offline queue to send.
 */
export function PhotoPicker({
  value,
  onChange,
  max = 9,
  upload = false,
  testId,
}: {
  value: LocalPhoto[];
  onChange: Dispatch<SetStateAction<LocalPhoto[]>>;
  max?: number;
  upload?: boolean;
  testId: string;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const urls = useRef(new Set<string>());

  useEffect(() => {
    const owned = urls.current;
    return () => {
      for (const u of owned) URL.revokeObjectURL(u);
    };
  }, []);

  const add = async (files: FileList | null) => {
    if (!files?.length) return;
    const room = max - value.length;
    if (files.length > room) void message.warning(t('servicedeskMobile.photosMax', { max }));
    for (const file of [...files].slice(0, Math.max(0, room))) {
      const { blob, name } = await shrinkPhoto(file);
      const url = URL.createObjectURL(blob);
      urls.current.add(url);
      const photo: LocalPhoto = { key: `p${++counter}`, name, blob, url, fileId: null, state: upload ? 'uploading' : 'kept' };
      onChange((list) => [...list, photo]);
      if (!upload) continue;
      uploadPhoto(blob, name).then(
        (f) => onChange((list) => list.map((p) => (p.key === photo.key ? { ...p, fileId: f.id, state: 'uploaded' } : p))),
        (err: Error) => {
          void message.error(err.message);
          onChange((list) => list.map((p) => (p.key === photo.key ? { ...p, state: 'failed' } : p)));
        },
      );
    }
  };

  const remove = (key: string) => onChange((list) => list.filter((p) => p.key !== key));

  return (
    <div className="m-photos" data-testid={`${testId}-list`}>
      {value.map((p) => (
        <div key={p.key} className="m-photo" data-testid="m-photo-thumb" data-state={p.state}>
          <img src={p.url} alt="" />
          {p.state === 'uploading' && (
            <div className="m-photo-cover">
              <Spin size="small" />
            </div>
          )}
          {p.state === 'failed' && (
            <div className="m-photo-cover">
              <ExclamationCircleFilled style={{ color: '#ff4d4f', fontSize: 20 }} />
            </div>
          )}
          <button type="button" className="m-photo-remove" aria-label={t('servicedeskMobile.removePhoto')} onClick={() => remove(p.key)} data-testid="m-photo-remove">
            <CloseOutlined />
          </button>
        </div>
      ))}
      {value.length < max && (
        <>
          <label className="m-photo-add">
            <CameraOutlined />
            <span>{t('servicedeskMobile.camera')}</span>
            <input type="file" accept="image/*" capture="environment" style={{ display: 'none' }} onChange={(e) => void add(e.target.files).finally(() => (e.target.value = ''))} data-testid={`${testId}-camera`} />
          </label>
          <label className="m-photo-add">
            <PictureOutlined />
            <span>{t('servicedeskMobile.gallery')}</span>
            <input type="file" accept="image/*" multiple style={{ display: 'none' }} onChange={(e) => void add(e.target.files).finally(() => (e.target.value = ''))} data-testid={testId} />
          </label>
        </>
      )}
    </div>
  );
}

/** The photos' bytes for the offline queue. */
export async function toQueuedPhotos(list: LocalPhoto[]) {
  return Promise.all(list.map(async (p) => ({ name: p.name, type: p.blob.type || 'image/jpeg', data: await p.blob.arrayBuffer() })));
}
