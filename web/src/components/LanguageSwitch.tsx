import { Button, Dropdown } from 'antd';
import { GlobalOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { changeLang, currentLang, type Lang } from '../i18n/index.ts';

/** 中文 / English; the choice is kept in localStorage and sent to the server as Accept-Language. */
export function LanguageSwitch({ type = 'text' }: { type?: 'text' | 'default' }) {
  const { t } = useTranslation();
  const lang = currentLang();
  const items = (['zh-CN', 'en'] as Lang[]).map((l) => ({
    key: l,
    label: <span data-testid={l === 'en' ? 'lang-en' : 'lang-zh'}>{l === 'en' ? t('lang.en') : t('lang.zh')}</span>,
  }));
  return (
    <Dropdown menu={{ items, selectable: true, selectedKeys: [lang], onClick: ({ key }) => void changeLang(key as Lang) }} trigger={['click']}>
      <Button type={type} icon={<GlobalOutlined />} data-testid="lang-switch" aria-label={t('lang.label')}>
        {lang === 'en' ? t('lang.en') : t('lang.zh')}
      </Button>
    </Dropdown>
  );
}
