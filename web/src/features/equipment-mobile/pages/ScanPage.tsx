import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { Result, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../lib/api.ts';
import { scanCode } from '../../equipment/api.ts';

/** What a printed label opens: the signed code is checked by the server, then the item's page replaces this one. */
export function ScanPage() {
  const { code = '' } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    scanCode(code)
      .then((r) => live && navigate(`/equipment/${r.id}`, { replace: true }))
      .catch((err) => live && setFailed(isApiError(err, 404) ? t('equipment.mobile.scanFailed') : isApiError(err) ? err.message : String(err)));
    return () => {
      live = false;
    };
  }, [code, navigate, t]);
  return (
    <div className="m-page" data-testid="m-equipment-scan">
      {failed ? (
        <Result status="warning" title={failed} extra={<Link to="/equipment">{t('equipment.mobile.back')}</Link>} />
      ) : (
        <div className="m-card" style={{ textAlign: 'center', padding: 32 }}>
          <Spin /> <div style={{ marginTop: 12 }}>{t('equipment.mobile.scanning')}</div>
        </div>
      )}
    </div>
  );
}
