import { type Lang, type MessageKey, messages as coreMessages, t } from '../../core/messages.ts';

/**
 * Reasons in an import report are stored as a key and params and rendered in the reader's language. Row checks
 * reuse the API's messages (same wording for the same mistake); only what is specific to a sheet lives here.
 */
const importMessages = {
  'import.duplicateInFile': { zh: '与第 {other} 行重复', en: 'Same as row {other}' },
  'import.unknownCommunity': { zh: '小区编码 {code} 不存在或无权访问', en: 'No community with code {code} that you can access' },
  'import.otherCommunity': { zh: '本次导入的小区编码是 {expected}，此行是 {code}', en: 'This import is for community {expected}; this row says {code}' },
  'import.unknownRoom': { zh: '房屋 {label} 不存在，请先导入房屋', en: 'Room {label} does not exist; import the rooms first' },
  'import.date': { zh: '字段 {field}：日期应为 YYYY-MM-DD', en: 'Field {field}: a date must be YYYY-MM-DD' },
  'import.share': { zh: '字段 {field}：份额应为 0.01–100 之间的数字', en: 'Field {field}: a share is a number between 0.01 and 100' },
  'import.samePhoneOtherPerson': { zh: '同一手机号在第 {other} 行的{what}不同', en: 'Row {other} has the same phone with a different {what}' },
  'import.plateOfOther': { zh: '车牌 {plate} 已登记给其他住户', en: 'Plate {plate} belongs to another resident' },
  'import.idOfOther': { zh: '证件号已登记给其他住户（手机号不同）', en: 'This document number belongs to another resident (different phone)' },
  'import.createBuildings': { zh: '将新建楼栋：{names}', en: 'Buildings to be created: {names}' },
  'import.createUnits': { zh: '将新建单元：{names}', en: 'Unit entrances to be created: {names}' },
  'import.missingColumn': { zh: '表格缺少必填列“{column}”', en: 'The sheet lacks the required column "{column}"' },
  'import.hasErrors': {
    zh: '有 {count} 行错误：修正后重新上传，或加 skipErrors=true 只导入正确的行',
    en: '{count} rows have errors: fix them and upload again, or pass skipErrors=true to import the good rows only',
  },
} as const satisfies Record<string, { zh: string; en: string }>;

export type ImportMessageKey = keyof typeof importMessages;
export interface Reason {
  key: MessageKey | ImportMessageKey;
  params?: Record<string, string | number>;
}

/** Localised reasons for document numbers, to fill `validation.idNumber`'s {reason}. */
export const ID_REASONS = {
  length: { zh: '长度应为 18 位', en: 'must have 18 characters' },
  chars: { zh: '含非法字符', en: 'invalid characters' },
  region: { zh: '地区码无效', en: 'unknown region code' },
  birthday: { zh: '出生日期无效', en: 'invalid birth date' },
  checksum: { zh: '校验位错误', en: 'wrong check digit' },
} as const;

export function render(lang: Lang, reason: Reason): string {
  const params = { ...reason.params };
  // ID reasons are stored as their code so they render in the reader's language.
  if (reason.key === 'validation.idNumber' && typeof params.reason === 'string' && params.reason in ID_REASONS) {
    params.reason = ID_REASONS[params.reason as keyof typeof ID_REASONS][lang === 'en' ? 'en' : 'zh'];
  }
  if (Object.hasOwn(coreMessages, reason.key)) return t(lang, reason.key as MessageKey, params);
  const entry = importMessages[reason.key as ImportMessageKey];
  const template = lang === 'en' ? entry.en : entry.zh;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ''));
}
