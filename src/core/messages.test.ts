import { describe, expect, it } from 'vitest';
import { messages, pickLang, t } from './messages.ts';

describe('pickLang', () => {
  it.each([
    [undefined, 'zh-CN'],
    ['', 'zh-CN'],
    ['zh-CN', 'zh-CN'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh-CN'],
    ['zh-TW', 'zh-CN'],
    ['en', 'en'],
    ['en-US,en;q=0.9', 'en'],
    ['EN-GB', 'en'],
    ['  en-AU , zh;q=0.5', 'en'],
    ['fr-FR,en;q=0.8', 'zh-CN'],
    ['*', 'zh-CN'],
  ] as const)('%j → %s', (header, expected) => {
    expect(pickLang(header)).toBe(expected);
  });
});

describe('t', () => {
  it.each([
    ['zh-CN', 'validation.required', { field: 'username' }, '字段 username 必填'],
    ['en', 'validation.required', { field: 'username' }, 'Field username is required'],
    ['en', 'validation.tooLong', { field: 'name', max: 40 }, 'Field name is too long (at most 40)'],
    ['zh-CN', 'conflict.roleInUse', { count: 3 }, '角色仍分配给 3 个账号，不能删除'],
    ['en', 'auth.rateLimited', { seconds: 60 }, 'Too many attempts; try again in 60 seconds'],
    ['zh-CN', 'sms.otp', { code: '012345', minutes: '5' }, '【安居】您的登录验证码是 012345，5 分钟内有效。'],
    ['en', 'notFound', {}, ' not found'],
    ['en', 'auth.required', { unused: 'x' }, 'Please log in first'],
  ] as const)('%s %s', (lang, key, params, expected) => {
    expect(t(lang, key, params)).toBe(expected);
  });

  it('fills every placeholder that appears twice and leaves no braces behind', () => {
    expect(t('en', 'sms.staffPassword', { name: '张三', username: 'zhang', password: 'abc23def' })).toBe(
      '[Anju] 张三, the temporary password for zhang is abc23def; please change it after logging in.',
    );
  });

  it('has both languages for every key, with the same placeholders', () => {
    for (const [key, entry] of Object.entries(messages)) {
      const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(entry.zh, key).not.toBe('');
      expect(entry.en, key).not.toBe('');
      expect(names(entry.zh), key).toEqual(names(entry.en));
    }
  });
});
