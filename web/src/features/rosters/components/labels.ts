import { useTranslation } from 'react-i18next';
import { CERTIFICATE_KINDS } from '../../../../../src/modules/rosters/schema.ts';

/** A certificate kind's name in the UI language (the code itself for a kind the catalogue no longer has). */
export function useCertName(): (code: string) => string {
  const { i18n } = useTranslation();
  const en = i18n.language === 'en';
  return (code) => {
    const k = CERTIFICATE_KINDS.find((x) => x.code === code);
    return k ? (en ? k.en : k.zh) : code;
  };
}

/** Tag colours of a certificate's expiry status. */
export const STATUS_COLORS = { valid: 'green', expiring: 'orange', expired: 'red', revoked: 'default' } as const;

/** Keys of the weekday names, Monday first (rosters.board.weekdays.*). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
