/**
 * 绿化率 = 绿化面积 ÷ 总占地面积, in percent with one decimal, as the server computes it; null when either is
 * missing or not a positive number. Shown live while the form is edited.
 */
export function greenRatio(land: string | number | null | undefined, green: string | number | null | undefined): number | null {
  const l = Number(land);
  const g = Number(green);
  if (!land || !green || !(l > 0) || !(g >= 0) || Number.isNaN(g)) return null;
  return Math.round((g / l) * 1000) / 10;
}

/** "62000.00" → "62,000.00"; areas stay strings, never floats. */
export function formatArea(area: string | null | undefined): string {
  if (!area) return '—';
  const [int, dec] = area.split('.');
  return `${int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${dec ? `.${dec}` : ''}`;
}
