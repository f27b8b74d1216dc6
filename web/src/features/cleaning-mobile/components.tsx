import { useRef, useState } from 'react';
import { Button, Flex, Input } from 'antd';
import { CameraOutlined, CloseOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { shrinkPhoto } from '../servicedesk-mobile/photos.ts';
import { codeFromScan } from './scan.ts';
import { useQrCamera } from '../../components/useQrCamera.ts';

/** The camera with the browser's BarcodeDetector where there is one; a code field always (the label prints the code). */
export function AreaScanner({ onCode }: { onCode: (code: string) => void }) {
  const { t } = useTranslation();
  const [manual, setManual] = useState('');
  const { video, camera } = useQrCamera((text) => onCode(codeFromScan(text)));

  return (
    <div style={{ marginTop: 8 }}>
      {camera !== 'none' && <video ref={video} muted playsInline style={{ width: '100%', borderRadius: 8, background: '#000', aspectRatio: '4 / 3' }} />}
      <div className="m-sub" style={{ margin: '6px 0' }}>
        {camera === 'none' ? t('cleaning.mobile.enterCode') : t('cleaning.mobile.scanHint')}
      </div>
      <Flex gap={8}>
        <Input value={manual} onChange={(e) => setManual(e.target.value)} placeholder="ca.…" data-testid="m-cleaning-code" />
        <Button disabled={!manual.trim()} onClick={() => onCode(codeFromScan(manual))} data-testid="m-cleaning-code-ok">
          OK
        </Button>
      </Flex>
    </div>
  );
}

export interface KeptPhoto {
  key: string;
  name: string;
  dataUrl: string;
}

const readAsDataUrl = (blob: Blob) =>
  new Promise<string>((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(blob);
  });

let counter = 0;

/** Photos from the camera, shrunk and kept as data URLs so a completion can wait offline with them. */
export function PhotoTiles({ value, onChange, max = 6 }: { value: KeptPhoto[]; onChange: (next: KeptPhoto[]) => void; max?: number }) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const add = async (files: FileList | null) => {
    if (!files?.length) return;
    const next = [...value];
    for (const file of [...files].slice(0, max - value.length)) {
      const small = await shrinkPhoto(file);
      next.push({ key: `p${++counter}`, name: small.name, dataUrl: await readAsDataUrl(small.blob) });
    }
    onChange(next);
  };
  return (
    <div className="m-photos">
      {value.map((p) => (
        <div key={p.key} className="m-photo">
          <img src={p.dataUrl} alt={p.name} />
          <button type="button" className="m-photo-remove" onClick={() => onChange(value.filter((x) => x.key !== p.key))} aria-label="remove">
            <CloseOutlined />
          </button>
        </div>
      ))}
      {value.length < max && (
        <button type="button" className="m-photo-add" onClick={() => input.current?.click()} data-testid="m-cleaning-photo">
          <CameraOutlined style={{ fontSize: 22 }} />
          <span style={{ fontSize: 12 }}>{t('cleaning.mobile.photo')}</span>
        </button>
      )}
      <input ref={input} type="file" accept="image/*" capture="environment" multiple hidden onChange={(e) => void add(e.target.files).finally(() => (e.target.value = ''))} />
    </div>
  );
}
