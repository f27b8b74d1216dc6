import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import {
  checkAmount,
  checkRefund,
  fenToYuan,
  PaymentNotificationError,
  PaymentProviderError,
  PaymentSignatureError,
  yuanToFen,
  type FetchLike,
  type PaymentNotification,
  type PaymentProvider,
} from './provider.ts';

/**
 * Alipay open platform (支付宝开放平台) with RSA2 keys. Requests and asynchronous notifications are signed over the
 * parameters sorted by name and joined as k=v&k=v; responses are signed over the raw JSON of their response node.
 * Alipay's own times are Beijing time without an offset.
 */

export interface AlipayConfig {
  appId: string;
  /** The application's private key: PEM, or the bare base64 (PKCS#8 or PKCS#1) that Alipay's key tool prints. */
  merchantPrivateKey: string;
  /** Alipay's public key (支付宝公钥) for this application: PEM or bare base64. */
  alipayPublicKey: string;
  gatewayUrl?: string;
  fetch?: FetchLike;
  now?: () => Date;
}

function loadPrivateKey(text: string): KeyObject {
  if (text.includes('-----BEGIN')) return createPrivateKey(text);
  const der = Buffer.from(text.replace(/\s+/g, ''), 'base64');
  try {
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch {
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs1' });
  }
}

function loadPublicKey(text: string): KeyObject {
  if (text.includes('-----BEGIN')) return createPublicKey(text);
  return createPublicKey({ key: Buffer.from(text.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'spki' });
}

/**
 * The string Alipay signs: parameters sorted by name (code-unit order, i.e. ASCII for Alipay's names), joined as
 * k=v with &, values as decoded text. Requests leave out `sign` and empty values; notifications are checked, as
 * Alipay's SDK does, with everything except `sign` and `sign_type`.
 */
function canonical(params: Record<string, string>, omit: string[], skipEmpty: boolean): string {
  return Object.keys(params)
    .filter((key) => !omit.includes(key) && !(skipEmpty && params[key] === ''))
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join('&');
}

/** The RSA2 `sign` of an outgoing request's parameters (everything but `sign`; `sign_type` is included). */
export function signParams(params: Record<string, string>, privateKey: KeyObject | string): string {
  return sign('sha256', Buffer.from(canonical(params, ['sign'], true)), privateKey).toString('base64');
}

/** Decodes application/x-www-form-urlencoded in the body's own `charset` (Alipay may send GBK). Repeated names are refused. */
function parseForm(body: string): Record<string, string> {
  const pairs = body.split('&').filter(Boolean).map((pair) => {
    const at = pair.indexOf('=');
    return at < 0 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
  });
  const charset = pairs.find(([key]) => key === 'charset')?.[1] ?? 'utf-8';
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset, { fatal: true });
  } catch {
    throw new PaymentNotificationError(`charset ${charset} is not supported`);
  }
  const decode = (text: string) => {
    const bytes: number[] = [];
    const plus = text.replace(/\+/g, ' ');
    for (let i = 0; i < plus.length; i++) {
      if (plus[i] === '%' && /^[0-9a-fA-F]{2}$/.test(plus.slice(i + 1, i + 3))) {
        bytes.push(parseInt(plus.slice(i + 1, i + 3), 16));
        i += 2;
      } else {
        bytes.push(...Buffer.from(plus[i]));
      }
    }
    try {
      return decoder.decode(Uint8Array.from(bytes));
    } catch {
      throw new PaymentSignatureError(`a parameter is not valid ${charset}`);
    }
  };
  const params: Record<string, string> = {};
  for (const [key, value] of pairs) {
    const name = decode(key);
    if (Object.hasOwn(params, name)) throw new PaymentSignatureError(`parameter ${name} is repeated`);
    params[name] = decode(value);
  }
  return params;
}

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** 'YYYY-MM-DD HH:mm:ss' in Beijing time (China has no daylight saving time since 1991). */
function shanghaiTime(date: Date): string {
  return new Date(date.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

function parseShanghaiTime(text: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  const date = m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) - SHANGHAI_OFFSET_MS) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime()) || shanghaiTime(date) !== text) throw new PaymentNotificationError(`"${text}" is not a time such as 2026-03-17 09:59:30`);
  return date;
}

const TRADE_STATUSES: Record<string, PaymentNotification['status']> = {
  TRADE_SUCCESS: 'succeeded',
  TRADE_FINISHED: 'succeeded',
  TRADE_CLOSED: 'closed',
};

/** The exact text of the JSON object under `"key":` — Alipay signs these bytes, not a re-serialization. */
function rawNode(text: string, key: string): string | undefined {
  const found = new RegExp(`"${key}"\\s*:\\s*\\{`).exec(text);
  if (!found) return undefined;
  const start = found.index + found[0].length - 1;
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  return undefined;
}

export function createAlipay(config: AlipayConfig): PaymentProvider & { toJSON(): unknown } {
  const privateKey = loadPrivateKey(config.merchantPrivateKey);
  const alipayKey = loadPublicKey(config.alipayPublicKey);
  const gatewayUrl = config.gatewayUrl ?? 'https://openapi.alipay.com/gateway.do';
  const doFetch: FetchLike = config.fetch ?? ((url, init) => fetch(url, init));
  const now = config.now ?? (() => new Date());
  const summary = { name: 'alipay', appId: config.appId, gatewayUrl };

  async function call(method: string, biz: Record<string, string>, extra: Record<string, string> = {}): Promise<Record<string, unknown>> {
    const params: Record<string, string> = {
      app_id: config.appId,
      method,
      format: 'JSON',
      charset: 'utf-8',
      sign_type: 'RSA2',
      timestamp: shanghaiTime(now()),
      version: '1.0',
      ...extra,
      biz_content: JSON.stringify(biz),
    };
    params.sign = signParams(params, privateKey);
    const res = await doFetch(gatewayUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8', Accept: 'application/json' },
      body: new URLSearchParams(params).toString(),
    });
    const text = await res.text();
    if (res.status !== 200) throw new PaymentProviderError(`Alipay answered HTTP ${res.status}`, undefined, res.status);
    const nodeName = `${method.replace(/\./g, '_')}_response`;
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new PaymentProviderError('Alipay\'s answer is not JSON');
    }
    const raw = rawNode(text, nodeName) ?? rawNode(text, 'error_response');
    const node = (parsed[nodeName] ?? parsed.error_response) as Record<string, string> | undefined;
    if (!raw || !node) throw new PaymentProviderError(`Alipay's answer has no ${nodeName}`);
    // Error answers are not always signed; they are refused either way. A success must verify.
    if (node.code !== '10000') throw new PaymentProviderError(`Alipay ${node.code} ${node.sub_code ?? ''}: ${node.sub_msg ?? node.msg ?? ''}`, node.sub_code ?? node.code);
    const signature = typeof parsed.sign === 'string' ? parsed.sign : '';
    if (!verify('sha256', Buffer.from(raw), alipayKey, Buffer.from(signature, 'base64'))) throw new PaymentSignatureError(`Alipay's ${nodeName} does not verify`);
    return node;
  }

  return {
    name: 'alipay',

    /** 当面付 precreate: a QR code the payer scans with the Alipay app. */
    async createPayment(req) {
      checkAmount(req.amountFen, 'amountFen');
      const node = await call(
        'alipay.trade.precreate',
        { out_trade_no: req.outTradeNo, total_amount: fenToYuan(req.amountFen), subject: req.description },
        { notify_url: req.notifyUrl },
      );
      if (typeof node.qr_code !== 'string') throw new PaymentProviderError('Alipay\'s answer has no qr_code');
      return { qrCode: node.qr_code };
    },

    async parseNotification(_headers, rawBody) {
      const params = parseForm(rawBody);
      if (params.sign_type !== undefined && params.sign_type !== 'RSA2') throw new PaymentSignatureError(`sign_type ${params.sign_type} is not RSA2`);
      const content = canonical(params, ['sign', 'sign_type'], false);
      if (!params.sign || !verify('sha256', Buffer.from(content), alipayKey, Buffer.from(params.sign, 'base64'))) {
        throw new PaymentSignatureError('the Alipay notification\'s sign does not verify');
      }
      if (params.app_id !== config.appId) throw new PaymentNotificationError('the notification is for another application');
      const status = TRADE_STATUSES[params.trade_status ?? ''];
      if (!status) throw new PaymentNotificationError(`trade_status ${params.trade_status} is not final`);
      if (!params.out_trade_no || !params.trade_no) throw new PaymentNotificationError('the notification lacks out_trade_no or trade_no');
      const time = params.gmt_payment ?? params.gmt_close ?? params.notify_time;
      if (!time) throw new PaymentNotificationError('the notification has no time');
      return {
        outTradeNo: params.out_trade_no,
        providerTradeNo: params.trade_no,
        amountFen: yuanToFen(params.total_amount ?? ''),
        paidAt: parseShanghaiTime(time),
        status,
        raw: params,
      };
    },

    async refund(req) {
      checkRefund(req);
      const node = await call('alipay.trade.refund', {
        out_trade_no: req.outTradeNo,
        out_request_no: req.outRefundNo,
        refund_amount: fenToYuan(req.amountFen),
        refund_reason: req.reason,
      });
      if (typeof node.trade_no !== 'string') throw new PaymentProviderError('Alipay\'s answer has no trade_no');
      // Alipay numbers no refund of its own: a refund is its trade_no plus our out_request_no.
      return { providerRefundNo: node.trade_no, status: node.fund_change === 'Y' ? 'succeeded' : 'processing' };
    },

    toJSON: () => summary,
    [Symbol.for('nodejs.util.inspect.custom')]: () => `Alipay ${JSON.stringify(summary)}`,
  };
}
