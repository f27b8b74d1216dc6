import { Link } from 'react-router-dom';
import { PayCircleOutlined, RightOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { formatYuan } from '../../../lib/format.ts';
import { useOwnerBilling } from '../api.ts';

/** The owner home's way to 我的账单: what my homes owe, one tap from paying it. */
export function BillsEntry() {
  const { t } = useTranslation();
  const billing = useOwnerBilling();
  const owed = billing.data?.rooms.reduce((sum, r) => sum + r.owedFen, 0) ?? 0;
  return (
    <Link to="/bills" className="m-card m-row-link" style={{ display: 'flex', alignItems: 'center', gap: 12, marginBottom: 12 }} data-testid="m-bills-entry">
      <span className="m-shortcut-icon" style={{ background: '#fff7e6', color: '#fa8c16', flex: 'none' }}>
        <PayCircleOutlined />
      </span>
      <span style={{ flex: 1, minWidth: 0 }}>
        <span style={{ display: 'block', fontSize: 16, fontWeight: 500 }}>{t('billingMobile.entryTitle')}</span>
        <span className="m-sub" style={{ display: 'block', color: owed > 0 ? '#fa541c' : undefined }} data-testid="m-bills-entry-owed">
          {billing.data ? (owed > 0 ? t('billingMobile.entryOwed', { amount: formatYuan(owed) }) : t('billingMobile.entryClear')) : '\u00a0'}
        </span>
      </span>
      <RightOutlined style={{ color: '#bbb' }} />
    </Link>
  );
}
