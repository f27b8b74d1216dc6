import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { App, Badge, Button, Empty, Flex, List, Popover, Typography, theme } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { ticketKeys, useMarkRead, useNotifications, type NotificationItem } from '../api.ts';

/**
 * The header's bell: unread count and the latest notifications. A server-sent event stream tells it about new ones
 * (the browser reconnects it by itself); each arrival refreshes the list and pops a toast.
 */
export function NotificationBell() {
  const { t } = useTranslation();
  const { notification } = App.useApp();
  const { token } = theme.useToken();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const list = useNotifications();
  const markRead = useMarkRead();
  const [open, setOpen] = useState(false);

  const openItem = (n: NotificationItem) => {
    if (!n.readAt) markRead.mutate([n.id]);
    setOpen(false);
    if (n.ticketId) navigate(`/tickets/${n.ticketId}`);
  };

  // The stream lives as long as the header; the toast's click uses the latest openItem through this ref.
  const openRef = useRef(openItem);
  openRef.current = openItem;

  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const onNotification = (e: MessageEvent<string>) => {
      void qc.invalidateQueries({ queryKey: ticketKeys.notifications });
      // A ticket changed: its page and the lists may show it.
      void qc.invalidateQueries({ queryKey: ticketKeys.all });
      let item: NotificationItem;
      try {
        item = JSON.parse(e.data) as NotificationItem;
      } catch {
        return;
      }
      notification.info({
        key: `notif-${item.id}`,
        title: item.title,
        description: item.body || undefined,
        // Bottom right, at most three at a time: a sweep may warn about many tickets at once, and toasts at the
        // top would cover the header's controls.
        placement: 'bottomRight',
        icon: <BellOutlined style={{ color: token.colorPrimary }} />,
        onClick: () => {
          notification.destroy(`notif-${item.id}`);
          openRef.current(item);
        },
        style: { cursor: item.ticketId ? 'pointer' : undefined },
        props: { 'data-testid': 'notif-toast' },
      });
    };
    const connect = () => {
      source = new EventSource('/api/notifications/stream');
      source.addEventListener('notification', onNotification as EventListener);
      // The browser retries a dropped connection by itself, but gives up after an error status (a proxy's 502
      // while the server restarts): then start a new stream a little later, and catch up on what was missed.
      source.onerror = () => {
        if (source?.readyState !== EventSource.CLOSED) return;
        source.close();
        retry = setTimeout(() => {
          void qc.invalidateQueries({ queryKey: ticketKeys.notifications });
          connect();
        }, 15_000);
      };
    };
    connect();
    return () => {
      clearTimeout(retry);
      source?.close();
    };
  }, [qc, notification, token.colorPrimary]);

  const items = list.data?.items ?? [];
  const unread = list.data?.unread ?? 0;
  const content = (
    <div style={{ width: 360 }}>
      <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
        <Typography.Text strong>{t('servicedesk.notifications.title')}</Typography.Text>
        <Button type="link" size="small" disabled={unread === 0} onClick={() => markRead.mutate('all')} data-testid="notif-read-all">
          {t('servicedesk.notifications.markAll')}
        </Button>
      </Flex>
      {items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('servicedesk.notifications.empty')} />
      ) : (
        <List
          size="small"
          style={{ maxHeight: 420, overflowY: 'auto' }}
          dataSource={items.slice(0, 30)}
          renderItem={(n) => (
            <List.Item
              key={n.id}
              onClick={() => openItem(n)}
              style={{ cursor: 'pointer', paddingInline: 8, background: n.readAt ? undefined : token.colorPrimaryBg, borderRadius: 6 }}
              data-testid="notif-item"
              data-read={n.readAt ? 'true' : 'false'}
            >
              <Flex vertical style={{ minWidth: 0, width: '100%' }}>
                <Flex justify="space-between" gap={8}>
                  <Typography.Text strong={!n.readAt} ellipsis>
                    {n.title}
                  </Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12, flex: 'none' }}>
                    {dayjs(n.createdAt).format('MM-DD HH:mm')}
                  </Typography.Text>
                </Flex>
                {n.body && (
                  <Typography.Text type="secondary" ellipsis style={{ fontSize: 12 }}>
                    {n.body}
                  </Typography.Text>
                )}
              </Flex>
            </List.Item>
          )}
        />
      )}
    </div>
  );

  return (
    <Popover content={content} trigger="click" placement="bottomRight" open={open} onOpenChange={setOpen} arrow={false}>
      <Button type="text" aria-label={t('servicedesk.notifications.title')} data-testid="notif-bell" data-unread={unread}>
        <Badge count={unread} size="small" overflowCount={99}>
          <BellOutlined style={{ fontSize: 18 }} />
        </Badge>
      </Button>
    </Popover>
  );
}
