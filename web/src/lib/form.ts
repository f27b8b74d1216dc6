import type { FormInstance } from 'antd';
import type { Rule } from 'antd/es/form';
import type { z } from 'zod';
import { i18n } from '../i18n/index.ts';
import { ApiError } from './api.ts';

type FormatKey = 'validation.username' | 'validation.communityCode' | 'validation.companyCode' | 'validation.code' | 'validation.format';

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** One Zod issue in words the user reads, in the current language (the server uses the same message keys). */
function describe(issue: z.core.$ZodIssue, formatKey: FormatKey): string {
  if (issue.message === 'phone') return i18n.t('validation.phone');
  if (issue.message === 'password') return i18n.t('validation.password');
  switch (issue.code) {
    case 'too_small':
      return issue.origin === 'array' ? i18n.t('validation.chooseOne') : i18n.t('validation.tooShort', { min: String(issue.minimum) });
    case 'too_big':
      return i18n.t('validation.tooLong', { max: String(issue.maximum) });
    case 'invalid_format':
      return i18n.t(formatKey);
    case 'invalid_type':
      return i18n.t('validation.required');
    default:
      return i18n.t('validation.invalid');
  }
}

/**
 * An antd Form rule that checks a field with the server's own Zod schema for it, so the browser and the server
 * agree on what is valid. An empty optional field is left out, as the form does when it submits. A value equal
 * to `unchanged` passes (an edit form showing a masked phone the user did not touch).
 */
export function zodRule(schema: z.ZodType, formatKey: FormatKey = 'validation.format', unchanged?: unknown): Rule {
  const optional = schema.safeParse(undefined).success;
  return {
    validator: async (_rule, value: unknown) => {
      if (unchanged !== undefined && value === unchanged) return;
      if (isEmpty(value)) {
        if (optional) return;
        throw new Error(i18n.t('validation.required'));
      }
      const result = schema.safeParse(value);
      if (!result.success) throw new Error(describe(result.error.issues[0], formatKey));
    },
  };
}

/**
 * Props for a Form.Item checked by a server schema: the rule, and `required` so the form marks the field the
 * way the schema does (antd cannot see inside a validator).
 */
export function zodField(schema: z.ZodType, formatKey: FormatKey = 'validation.format'): { rules: Rule[]; required: boolean } {
  return { rules: [zodRule(schema, formatKey)], required: !schema.safeParse(undefined).success };
}

/** Drops empty strings so optional fields are omitted, not sent as "". */
export function compact<T extends Record<string, unknown>>(values: T): T {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => !(typeof v === 'string' && v.trim() === ''))) as T;
}

function registeredFields(form: FormInstance): Set<string> {
  const names = new Set<string>();
  form.getFieldsValue({
    filter: (meta) => {
      if (meta) names.add(meta.name.join('.'));
      return false;
    },
  });
  return names;
}

/**
 * Puts the server's 400/409 messages next to the fields it named (`details.fields[].field` / `details.field`).
 * Returns the message still to show above the form, or null when every issue found its field.
 */
export function showServerErrors(form: FormInstance, error: unknown): string | null {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  const known = registeredFields(form);
  const issues = error.fieldIssues;
  const placed = issues.filter((i) => known.has(i.field));
  if (placed.length) form.setFields(placed.map((i) => ({ name: i.field.split('.'), errors: [i.message] })));
  return placed.length === issues.length && placed.length > 0 ? null : error.message;
}
