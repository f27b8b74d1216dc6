import { createRequire } from 'node:module';

/**
 * The PRC holiday calendar (法定节假日 and 调休 make-up working days, from the State Council's yearly notices)
 * as shipped in the `chinese-days` package. Only its data file is read, never its code. Values look like
 * "National Day,国庆节,3": English name, Chinese name, number of days off.
 */
export interface CalendarSeedDay {
  /** YYYY-MM-DD */
  day: string;
  kind: 'holiday' | 'workday';
  /** Chinese name, e.g. 国庆节 */
  name: string;
}

interface ChineseDaysData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

export function calendarSeed(): { days: CalendarSeedDay[]; years: number[] } {
  const data = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as ChineseDaysData;
  const days = [
    ...entries(data.holidays, 'holiday'),
    ...entries(data.workdays, 'workday'),
  ].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  for (let i = 1; i < days.length; i++) {
    if (days[i].day === days[i - 1].day) throw new Error(`chinese-days lists ${days[i].day} as both a holiday and a working day`);
  }
  const years = [...new Set(days.map((d) => Number(d.day.slice(0, 4))))].sort((a, b) => a - b);
  return { days, years };
}

function entries(record: Record<string, string>, kind: CalendarSeedDay['kind']): CalendarSeedDay[] {
  return Object.entries(record).map(([day, value]) => {
    const name = value.split(',')[1]?.trim();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !name) throw new Error(`chinese-days has an unexpected entry ${day}: "${value}"`);
    return { day, kind, name };
  });
}
