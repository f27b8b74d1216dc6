import { Link } from 'react-router-dom';
import { Badge } from 'antd';
import { AuditOutlined, FileTextOutlined, ToolOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useApprovals } from '../api.ts';

/**
 * The owner home's service row: 报事报修, 我的报事, and 业委会审批 for committee members when repairs wait for
 * their vote (the server lists them only to current members).
 */
export function ServiceShortcuts() {
  const { t } = useTranslation();
  const approvals = useApprovals();
  const waiting = approvals.data?.items.filter((a) => !a.myDecision).length ?? 0;
  const showApprovals = (approvals.data?.items.length ?? 0) > 0;
  return (
    <div className="m-card m-shortcuts" data-testid="m-services">
      <Link to="/tickets/new" className="m-shortcut" data-testid="m-report">
        <span className="m-shortcut-icon" style={{ background: '#e6f4ff', color: '#1677ff' }}>
          <ToolOutlined />
        </span>
        <span>{t('servicedeskMobile.newTicket')}</span>
      </Link>
      <Link to="/tickets" className="m-shortcut" data-testid="m-my-tickets">
        <span className="m-shortcut-icon" style={{ background: '#f6ffed', color: '#389e0d' }}>
          <FileTextOutlined />
        </span>
        <span>{t('servicedeskMobile.myTickets')}</span>
      </Link>
      {showApprovals && (
        <Link to="/approvals" className="m-shortcut" data-testid="m-approvals-link">
          <Badge count={waiting} size="small">
            <span className="m-shortcut-icon" style={{ background: '#fff7e6', color: '#d46b08' }}>
              <AuditOutlined />
            </span>
          </Badge>
          <span>{t('servicedeskMobile.approvals')}</span>
        </Link>
      )}
    </div>
  );
}
