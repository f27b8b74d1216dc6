import type { FormInstance } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
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

/** A DatePicker's value as the API's `YYYY-MM-DD`; empty stays undefined. */
export function toDate(value: Dayjs | string | null | undefined): string | undefined {
  if (!value) return undefined;
  return typeof value === 'string' ? value : value.format('YYYY-MM-DD');
}

/** An API date (`YYYY-MM-DD`) for a DatePicker. */
export function fromDate(value: string | null | undefined): Dayjs | undefined {
  return value ? dayjs(value) : undefined;
}

/**
 * zodField for a DatePicker: the picker holds a dayjs value, the schema a `YYYY-MM-DD` string. `required`
 * overrides the schema where the form needs a date the schema leaves optional (a tenant's lease).
 */
export function zodDateField(schema: z.ZodType, required?: boolean): { rules: Rule[]; required: boolean } {
  const optional = required === undefined ? schema.safeParse(undefined).success : !required;
  return {
    required: !optional,
    rules: [
      {
        validator: async (_rule, value: Dayjs | string | null | undefined) => {
          const text = toDate(value);
          if (!text) {
            if (optional) return;
            throw new Error(i18n.t('validation.required'));
          }
          if (!schema.safeParse(text).success) throw new Error(i18n.t('validation.format'));
        },
      },
    ],
  };
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
 * Returns the message still to show above the form, or null when every issue found its field. A field the server
 * names inside a list (`items.2.defect`) finds the Form.List field of the same path.
 */
export function showServerErrors(form: FormInstance, error: unknown, aliases: Record<string, string> = {}): string | null {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  const known = registeredFields(form);
  // `aliases` maps a field the server names to the form field showing it (three codes → one cascader).
  const issues = error.fieldIssues.map((i) => (aliases[i.field] ? { ...i, field: aliases[i.field] } : i));
  const placed = issues.filter((i) => known.has(i.field));
  if (placed.length) form.setFields(placed.map((i) => ({ name: i.field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)), errors: [i.message] })));
  return placed.length === issues.length && placed.length > 0 ? null : error.message;
}
