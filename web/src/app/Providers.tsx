import type { ReactNode } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, type ThemeConfig } from 'antd';
import zh_CN from 'antd/locale/zh_CN';
import en_US from 'antd/locale/en_US';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../lib/api.ts';
import '../i18n/index.ts';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        // A 4xx will not get better by asking again; a dropped connection might.
        retry: (count, err) => count < 2 && !(isApiError(err) && err.status >= 400 && err.status < 500),
      },
      mutations: { retry: false },
    },
  });
}

const baseTheme: ThemeConfig = {
  token: {
    colorPrimary: '#1677ff',
    borderRadius: 6,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Helvetica Neue', Arial, sans-serif",
  },
};

/** Query cache, antd theme and locale (following the i18n language), and antd's App context for messages. */
export function Providers({ client, theme, children }: { client: QueryClient; theme?: ThemeConfig; children: ReactNode }) {
  const { i18n } = useTranslation();
  const locale = i18n.language === 'en' ? en_US : zh_CN;
  const merged: ThemeConfig = { ...baseTheme, ...theme, token: { ...baseTheme.token, ...theme?.token } };
  return (
    <QueryClientProvider client={client}>
      <ConfigProvider locale={locale} theme={merged}>
        <AntApp notification={{ maxCount: 3 }}>{children}</AntApp>
      </ConfigProvider>
    </QueryClientProvider>
  );
}
