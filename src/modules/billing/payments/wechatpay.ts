import { createDecipheriv, createPrivateKey, createPublicKey, randomBytes, sign, verify, X509Certificate, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import {
  checkAmount,
  checkRefund,
  header,
  PaymentNotificationError,
  PaymentProviderError,
  PaymentSignatureError,
  type FetchLike,
  type PaymentNotification,
  type PaymentProvider,
} from './provider.ts';

/**
 * WeChat Pay API v3 (微信支付 APIv3). Outgoing calls carry an RSA-SHA256 signature made with the merchant's private
 * key; incoming notifications and responses are signed with a WeChat Pay platform key, chosen by the
 * `Wechatpay-Serial` header, and a notification's payload is AES-256-GCM encrypted with the merchant's APIv3 key.
 */

export interface WechatPayConfig {
  mchId: string;
  appId: string;
  /** Serial number of the merchant API certificate whose private key signs our requests. */
  merchantSerialNo: string;
  merchantPrivateKey: string;
  /** The 32-byte APIv3 key set in the merchant platform. */
  apiV3Key: string;
  /** Platform certificate serial (or 微信支付公钥 ID, PUB_KEY_ID_…) → PEM certificate or public key. */
  platformKeys: Record<string, string>;
  baseUrl?: string;
  fetch?: FetchLike;
  now?: () => Date;
}

/** How far a signed timestamp may be from our clock; older messages may be replays. */
const MAX_SKEW_SECONDS = 300;

/** The `Authorization` header of an APIv3 call: the merchant's signature over method, path, time, nonce and body. */
export function signRequest(args: {
  method: string;
  urlPath: string;
  body: string;
  mchId: string;
  serialNo: string;
  privateKey: KeyObject | string;
  timestamp: number;
  nonce: string;
}): string {
  const message = `${args.method}\n${args.urlPath}\n${args.timestamp}\n${args.nonce}\n${args.body}\n`;
  const signature = sign('sha256', Buffer.from(message), args.privateKey).toString('base64');
  return `WECHATPAY2-SHA256-RSA2048 mchid="${args.mchId}",nonce_str="${args.nonce}",signature="${signature}",timestamp="${args.timestamp}",serial_no="${args.serialNo}"`;
}

function platformKey(pem: string): KeyObject {
  return pem.includes('BEGIN CERTIFICATE') ? new X509Certificate(pem).publicKey : createPublicKey(pem);
}

/** Checks a platform signature over `${timestamp}\n${nonce}\n${body}\n`, and that the timestamp is fresh. */
function verifySigned(get: (name: string) => string | undefined, body: string, keys: Map<string, KeyObject>, now: Date): void {
  const timestamp = get('Wechatpay-Timestamp');
  const nonce = get('Wechatpay-Nonce');
  const signature = get('Wechatpay-Signature');
  const serial = get('Wechatpay-Serial');
  if (!timestamp || !nonce || !signature || !serial) throw new PaymentSignatureError('Wechatpay-* signature headers are missing');
  const key = keys.get(serial);
  if (!key) throw new PaymentSignatureError('Wechatpay-Serial names no platform key we know; download the current platform certificates');
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(now.getTime() / 1000 - Number(timestamp)) > MAX_SKEW_SECONDS) {
    throw new PaymentSignatureError('Wechatpay-Timestamp is more than 5 minutes from our clock');
  }
  const message = Buffer.from(`${timestamp}\n${nonce}\n${body}\n`);
  if (!verify('sha256', message, key, Buffer.from(signature, 'base64'))) throw new PaymentSignatureError('Wechatpay-Signature does not verify');
}

const resourceSchema = z.object({
  algorithm: z.string(),
  ciphertext: z.string(),
  nonce: z.string(),
  associated_data: z.string().optional(),
});

const eventSchema = z.object({ event_type: z.string(), create_time: z.string().optional(), resource: resourceSchema });

const transactionSchema = z.object({
  mchid: z.string(),
  out_trade_no: z.string(),
  transaction_id: z.string(),
  trade_state: z.string(),
  success_time: z.string().optional(),
  amount: z.object({ total: z.number().int().nonnegative() }),
});

/** 'SUCCESS' is paid; 'CLOSED'/'REVOKED' will never be paid; 'PAYERROR' failed. Other states are not final. */
const TRADE_STATES: Record<string, PaymentNotification['status']> = { SUCCESS: 'succeeded', CLOSED: 'closed', REVOKED: 'closed', PAYERROR: 'failed' };

function decryptResource(key: Buffer, resource: z.infer<typeof resourceSchema>): string {
  if (resource.algorithm !== 'AEAD_AES_256_GCM') throw new PaymentSignatureError(`resource algorithm ${resource.algorithm} is not AEAD_AES_256_GCM`);
  const data = Buffer.from(resource.ciphertext, 'base64');
  if (data.length <= 16) throw new PaymentSignatureError('resource ciphertext is too short');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(resource.nonce), { authTagLength: 16 });
    decipher.setAuthTag(data.subarray(data.length - 16));
    decipher.setAAD(Buffer.from(resource.associated_data ?? ''));
    return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    throw new PaymentSignatureError('resource does not decrypt: wrong APIv3 key, tag, nonce or associated data');
  }
}

function parseJson<T>(text: string, schema: z.ZodType<T>, what: string): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new PaymentNotificationError(`${what} is not JSON`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new PaymentNotificationError(`${what} lacks fields: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  return parsed.data;
}

export function createWechatPay(config: WechatPayConfig): PaymentProvider & { toJSON(): unknown } {
  const apiV3Key = Buffer.from(config.apiV3Key, 'utf8');
  if (apiV3Key.length !== 32) throw new RangeError('apiV3Key must be exactly 32 bytes');
  const privateKey = createPrivateKey(config.merchantPrivateKey);
  const keys = new Map(Object.entries(config.platformKeys).map(([serial, pem]) => [serial, platformKey(pem)]));
  if (keys.size === 0) throw new RangeError('platformKeys must hold at least one platform certificate or public key');
  const baseUrl = (config.baseUrl ?? 'https://api.mch.weixin.qq.com').replace(/\/+$/, '');
  const doFetch: FetchLike = config.fetch ?? ((url, init) => fetch(url, init));
  const now = config.now ?? (() => new Date());
  const summary = { name: 'wechatpay', mchId: config.mchId, appId: config.appId, platformSerials: [...keys.keys()] };

  async function call(urlPath: string, payload: unknown): Promise<unknown> {
    const body = JSON.stringify(payload);
    const authorization = signRequest({
      method: 'POST',
      urlPath,
      body,
      mchId: config.mchId,
      serialNo: config.merchantSerialNo,
      privateKey,
      timestamp: Math.floor(now().getTime() / 1000),
      nonce: randomBytes(16).toString('hex'),
    });
    const res = await doFetch(baseUrl + urlPath, {
      method: 'POST',
      headers: { Authorization: authorization, Accept: 'application/json', 'Content-Type': 'application/json', 'User-Agent': 'anju' },
      body,
    });
    const text = await res.text();
    if (res.status < 200 || res.status >= 300) {
      const error = (() => {
        try {
          return JSON.parse(text) as { code?: string; message?: string };
        } catch {
          return {};
        }
      })();
      throw new PaymentProviderError(`WeChat Pay answered ${res.status} ${error.code ?? ''}: ${error.message ?? 'no message'}`, error.code, res.status);
    }
    // A response is trusted only when WeChat Pay signed it: a forged code_url would send payers elsewhere.
    verifySigned((name) => res.headers.get(name) ?? undefined, text, keys, now());
    return JSON.parse(text);
  }

  function field(response: unknown, name: string): string {
    const value = (response as Record<string, unknown> | null)?.[name];
    if (typeof value !== 'string' || value === '') throw new PaymentProviderError(`WeChat Pay's response lacks ${name}`);
    return value;
  }

  return {
    name: 'wechatpay',

    async createPayment(req) {
      checkAmount(req.amountFen, 'amountFen');
      const order = {
        appid: config.appId,
        mchid: config.mchId,
        description: req.description,
        out_trade_no: req.outTradeNo,
        notify_url: req.notifyUrl,
        amount: { total: req.amountFen, currency: 'CNY' },
      };
      if (req.payerHint) {
        return { prepayId: field(await call('/v3/pay/transactions/jsapi', { ...order, payer: { openid: req.payerHint } }), 'prepay_id') };
      }
      return { qrCode: field(await call('/v3/pay/transactions/native', order), 'code_url') };
    },

    async parseNotification(headers, rawBody) {
      verifySigned((name) => header(headers, name), rawBody, keys, now());
      const event = parseJson(rawBody, eventSchema, 'notification');
      if (!event.event_type.startsWith('TRANSACTION.')) throw new PaymentNotificationError(`event ${event.event_type} is not a payment notification`);
      const tx = parseJson(decryptResource(apiV3Key, event.resource), transactionSchema, 'transaction');
      if (tx.mchid !== config.mchId) throw new PaymentNotificationError('the notification is for another merchant');
      const status = TRADE_STATES[tx.trade_state];
      if (!status) throw new PaymentNotificationError(`trade state ${tx.trade_state} is not final`);
      const paidAt = new Date(tx.success_time ?? event.create_time ?? Number.NaN);
      if (Number.isNaN(paidAt.getTime())) throw new PaymentNotificationError('the notification has no valid time');
      return { outTradeNo: tx.out_trade_no, providerTradeNo: tx.transaction_id, amountFen: tx.amount.total, paidAt, status, raw: tx };
    },

    async refund(req) {
      checkRefund(req);
      const response = await call('/v3/refund/domestic/refunds', {
        out_trade_no: req.outTradeNo,
        out_refund_no: req.outRefundNo,
        reason: req.reason,
        amount: { refund: req.amountFen, total: req.totalFen, currency: 'CNY' },
      });
      const status = field(response, 'status');
      if (status !== 'SUCCESS' && status !== 'PROCESSING') throw new PaymentProviderError(`WeChat Pay refund is ${status}`, status);
      return { providerRefundNo: field(response, 'refund_id'), status: status === 'SUCCESS' ? 'succeeded' : 'processing' };
    },

    toJSON: () => summary,
    [Symbol.for('nodejs.util.inspect.custom')]: () => `WechatPay ${JSON.stringify(summary)}`,
  };
}
