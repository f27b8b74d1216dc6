import { idCheckChar } from '../modules/residents/rules.ts';

/**
 * Made-up but well-formed people for demo and benchmark data: Chinese names, mobile numbers that are unique by
 * construction, resident ID numbers with a real region code, birth date and check digit, and plates with real
 * province prefixes. Deterministic for a given seed, so two runs produce the same data.
 */

/** mulberry32: a small, fast, seedable generator of numbers in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)];
export const between = (r: () => number, min: number, max: number) => min + Math.floor(r() * (max - min + 1));

// Common surnames, the most frequent first and listed twice so they come up more often.
const SURNAMES = [...'王李张刘陈杨黄赵吴周王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴莫孔汤'];
const MALE = ['伟', '强', '磊', '军', '洋', '勇', '杰', '涛', '明', '超', '斌', '鹏', '浩', '宇', '峰', '建国', '志强', '文博', '子轩', '浩然', '宇航', '俊杰', '晨阳', '思远', '博文', '一鸣', '天佑', '嘉豪', '明辉', '国华', '建华', '立新', '海涛', '振宇', '家乐', '德明', '永康', '子墨', '景行', '承泽'];
const FEMALE = ['芳', '娜', '敏', '静', '丽', '艳', '娟', '霞', '婷', '雪', '慧', '玲', '燕', '萍', '红', '秀英', '桂英', '欣怡', '梓涵', '诗琪', '雨桐', '佳怡', '思彤', '梦洁', '晓燕', '雅婷', '婉清', '若曦', '可欣', '丽华', '春梅', '美玲', '海燕', '文静', '语嫣', '淑珍', '玉兰', '沐晴', '安然', '书瑶'];

export type Gender = 'male' | 'female';

export function personName(r: () => number, gender: Gender, surname = pick(r, SURNAMES)): string {
  return surname + pick(r, gender === 'male' ? MALE : FEMALE);
}
export const surnameOf = (name: string) => name.slice(0, 1);

// Prefixes of the three carriers. 138 and 139 are left out: the demo logins use them.
const PHONE_PREFIXES = ['135', '136', '137', '150', '151', '152', '157', '158', '159', '182', '183', '187', '188', '130', '131', '132', '155', '156', '185', '186', '133', '153', '180', '181', '189', '177', '199', '166'];

/**
 * The i-th generated mobile number. Distinct i give distinct numbers: the prefix is i modulo the prefix count and
 * the eight digits are an invertible scramble (multiplication by a unit modulo 10^8) of the quotient.
 */
export function phoneNumber(i: number): string {
  const m = Math.floor(i / PHONE_PREFIXES.length);
  return PHONE_PREFIXES[i % PHONE_PREFIXES.length] + String((m * 48271 + 31415926) % 1e8).padStart(8, '0');
}

// Districts of Nanjing and Suzhou first (where the demo estates are), then other provinces' capitals.
const REGIONS = ['320102', '320104', '320105', '320106', '320111', '320113', '320114', '320115', '320116', '320505', '320506', '320508', '320583', '320211', '321002', '340104', '330106', '310115', '370102', '410105', '420106', '510107', '130102', '230102'];

/** Hands out resident ID numbers that are valid (GB 11643) and never repeat within one generator. */
export class IdNumbers {
  private readonly used = new Set<string>();
  constructor(private readonly r: () => number) {}

  reserve(id: string) {
    this.used.add(id);
  }

  /** Someone of `gender` born between the two years. */
  next(gender: Gender, fromYear: number, toYear: number): { id: string; birthday: string } {
    for (;;) {
      const y = between(this.r, fromYear, toYear);
      const m = between(this.r, 1, 12);
      const d = between(this.r, 1, new Date(Date.UTC(y, m, 0)).getUTCDate());
      const birthday = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
      // The 17th digit is odd for men and even for women.
      const seq = between(this.r, 0, 49) * 2 + between(this.r, 0, 4) * 20 + (gender === 'male' ? 1 : 0);
      const first17 = `${pick(this.r, REGIONS)}${birthday.replaceAll('-', '')}${String(seq % 1000).padStart(3, '0')}`;
      const id = first17 + idCheckChar(first17);
      if (this.used.has(id)) continue;
      this.used.add(id);
      return { id, birthday };
    }
  }
}

const OTHER_PROVINCES = ['皖', '浙', '沪', '鲁', '豫', '京', '粤', '鄂', '川', '赣'];
const PLATE_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

/** Plates registered in a province (mostly the estate's own city), unique within one generator. */
export class Plates {
  private readonly used = new Set<string>();
  constructor(
    private readonly r: () => number,
    private readonly home: { province: string; cities: string },
  ) {}

  reserve(plate: string) {
    this.used.add(plate);
  }

  next(): { plate: string; energy: 'fuel' | 'newEnergy' } {
    for (;;) {
      const local = this.r() < 0.85;
      const province = local ? this.home.province : pick(this.r, OTHER_PROVINCES);
      const city = local ? pick(this.r, [...this.home.cities]) : pick(this.r, [...'ABCDE']);
      const newEnergy = this.r() < 0.18;
      let tail: string;
      if (newEnergy) tail = pick(this.r, ['D', 'F']) + String(between(this.r, 0, 99_999)).padStart(5, '0');
      else {
        const chars = [...String(between(this.r, 0, 99_999)).padStart(5, '0')];
        // About a third of ordinary plates carry a letter among the digits.
        if (this.r() < 0.35) chars[between(this.r, 0, 3)] = pick(this.r, [...PLATE_LETTERS]);
        tail = chars.join('');
      }
      const plate = `${province}${city}${tail}`;
      if (this.used.has(plate)) continue;
      this.used.add(plate);
      return { plate, energy: newEnergy ? 'newEnergy' : 'fuel' };
    }
  }
}
