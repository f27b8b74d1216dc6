import { generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createAlipay, signParams } from './alipay.ts';
import { PaymentNotificationError, PaymentProviderError, PaymentSignatureError, type FetchLike } from './provider.ts';

const pair = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const merchant = pair();
const alipay = pair();
const stranger = pair();
const pemOf = (key: KeyObject) => key.export({ type: key.type === 'private' ? 'pkcs8' : 'spki', format: 'pem' }).toString();
const APP_ID = '2021004100000001';

function provider(fetch?: FetchLike) {
  return createAlipay({
    appId: APP_ID,
    merchantPrivateKey: pemOf(merchant.privateKey),
    alipayPublicKey: pemOf(alipay.publicKey),
    fetch,
    now: () => new Date('2026-03-17T01:59:00Z'),
  });
}

/** Alipay's check content: all parameters but sign and sign_type, sorted, decoded values. */
const content = (params: Record<string, string>) =>
  Object.keys(params).filter((k) => k !== 'sign' && k !== 'sign_type').sort().map((k) => `${k}=${params[k]}`).join('&');

function notification(overrides: Record<string, string> = {}, key: KeyObject = alipay.privateKey) {
  const params: Record<string, string> = {
    notify_time: '2026-03-17 09:59:31',
    notify_type: 'trade_status_sync',
    notify_id: 'ac05099524730693a8b330c5ecf72da9786',
    app_id: APP_ID,
    charset: 'utf-8',
    version: '1.0',
    trade_no: '2026031722001405010500000001',
    out_trade_no: 'B2026031700001',
    buyer_logon_id: '159****5620',
    subject: '物业费 2026年3月 1栋1-1203 & 车位+1',
    total_amount: '160.87',
    receipt_amount: '160.87',
    trade_status: 'TRADE_SUCCESS',
    gmt_create: '2026-03-17 09:59:20',
    gmt_payment: '2026-03-17 09:59:30',
    ...overrides,
  };
  const signature = sign('sha256', Buffer.from(content(params)), key).toString('base64');
  return { params, body: new URLSearchParams({ ...params, sign: signature, sign_type: 'RSA2' }).toString() };
}

describe('Alipay notifications', () => {
  it('verifies a genuine notification over the decoded values and maps it', async () => {
    const { body } = notification();
    expect(body).toContain('%E7%89%A9'); // the subject really arrives percent-encoded
    const parsed = await provider().parseNotification({}, body);
    expect(parsed).toMatchObject({
      outTradeNo: 'B2026031700001',
      providerTradeNo: '2026031722001405010500000001',
      amountFen: 16087,
      status: 'succeeded',
      paidAt: new Date('2026-03-17T01:59:30Z'),
    });
    expect((parsed.raw as Record<string, string>).subject).toBe('物业费 2026年3月 1栋1-1203 & 车位+1');
  });

  it.each([
    ['0.1', 10],
    ['0.01', 1],
    ['12.34', 1234],
    ['100', 10000],
    ['99999999.99', 9999999999],
  ])('reads total_amount %s as %i 分', async (total_amount, fen) => {
    expect((await provider().parseNotification({}, notification({ total_amount }).body)).amountFen).toBe(fen);
  });

  it.each(['12.345', '1e3', '-1.00', '12.', '', '１２'])('refuses the signed total_amount %j', async (total_amount) => {
    await expect(provider().parseNotification({}, notification({ total_amount }).body)).rejects.toThrow(PaymentNotificationError);
  });

  it.each([
    ['a changed amount', () => notification().body.replace('total_amount=160.87', 'total_amount=1.00')],
    ['a signature by another key', () => notification({}, stranger.privateKey).body],
    ['no signature', () => notification().body.replace(/&?sign=[^&]*/, '')],
    ['sign_type RSA (SHA-1)', () => notification().body.replace('sign_type=RSA2', 'sign_type=RSA')],
    ['a repeated parameter', () => `${notification().body}&trade_status=TRADE_CLOSED`],
    ['an added parameter', () => `${notification().body}&refund_fee=160.87`],
    ['a signature over the encoded values', () => {
      const { params } = notification();
      const encoded = Object.keys(params).sort().map((k) => `${k}=${encodeURIComponent(params[k])}`).join('&');
      const signature = sign('sha256', Buffer.from(encoded), alipay.privateKey).toString('base64');
      return new URLSearchParams({ ...params, sign: signature, sign_type: 'RSA2' }).toString();
    }],
  ])('rejects %s', async (_, body) => {
    await expect(provider().parseNotification({}, body())).rejects.toThrow(PaymentSignatureError);
  });

  it('decodes a GBK notification in its own charset', async () => {
    const gbk = '%CE%EF%D2%B5%B7%D1'; // 物业费
    const { params } = notification({ charset: 'gbk', subject: '物业费' });
    const signature = sign('sha256', Buffer.from(content(params)), alipay.privateKey).toString('base64');
    const body = new URLSearchParams({ ...params, sign: signature, sign_type: 'RSA2' }).toString().replace(/subject=[^&]*/, `subject=${gbk}`);
    const parsed = await provider().parseNotification({}, body);
    expect((parsed.raw as Record<string, string>).subject).toBe('物业费');
  });

  it.each([
    [{ trade_status: 'TRADE_FINISHED' }, 'succeeded', new Date('2026-03-17T01:59:30Z')],
    [{ trade_status: 'TRADE_CLOSED', gmt_payment: '', gmt_close: '2026-03-17 10:30:00' }, 'closed', new Date('2026-03-17T02:30:00Z')],
  ])('maps %o', async (overrides, status, paidAt) => {
    const params = { ...overrides } as Record<string, string>;
    const { params: all } = notification(params);
    if (all.gmt_payment === '') delete all.gmt_payment;
    const signature = sign('sha256', Buffer.from(content(all)), alipay.privateKey).toString('base64');
    const body = new URLSearchParams({ ...all, sign: signature, sign_type: 'RSA2' }).toString();
    expect(await provider().parseNotification({}, body)).toMatchObject({ status, paidAt });
  });

  it.each([
    [{ trade_status: 'WAIT_BUYER_PAY' }, /not final/],
    [{ app_id: '2021000000000000' }, /another application/],
    [{ gmt_payment: '2026-03-17T09:59:30' }, /not a time/],
    [{ gmt_payment: '2026-02-30 09:59:30' }, /not a time/],
  ])('refuses the authentic %o', async (overrides, message) => {
    const error = await provider().parseNotification({}, notification(overrides).body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaymentNotificationError);
    expect((error as Error).message).toMatch(message);
  });
});

describe('Alipay requests', () => {
  it('signs sorted parameters with sign_type and without empty values', () => {
    const params = { method: 'alipay.trade.precreate', app_id: APP_ID, sign_type: 'RSA2', charset: 'utf-8', biz_content: '{"a":"物业费"}', notify_url: '' };
    const signature = signParams(params, merchant.privateKey);
    const expected = `app_id=${APP_ID}&biz_content={"a":"物业费"}&charset=utf-8&method=alipay.trade.precreate&sign_type=RSA2`;
    expect(verify('sha256', Buffer.from(expected), merchant.publicKey, Buffer.from(signature, 'base64'))).toBe(true);
    expect(signParams({ ...params, sign: 'ignored' }, merchant.privateKey)).toBe(signature);
  });

  /** A fake gateway that checks our signature and answers with a node signed over its raw text. */
  function gateway(node: string, opts: { signKey?: KeyObject; status?: number } = {}) {
    const calls: Record<string, string>[] = [];
    const doFetch: FetchLike = async (_url, init) => {
      const params = Object.fromEntries(new URLSearchParams(init.body));
      const { sign: signature, ...rest } = params;
      const signed = Object.keys(rest).sort().map((k) => `${k}=${rest[k]}`).join('&');
      if (!verify('sha256', Buffer.from(signed), merchant.publicKey, Buffer.from(signature, 'base64'))) throw new Error('bad app signature');
      calls.push(params);
      const nodeName = `${params.method.replace(/\./g, '_')}_response`;
      const responseSign = sign('sha256', Buffer.from(node), opts.signKey ?? alipay.privateKey).toString('base64');
      const text = `{"${nodeName}":${node},"sign":"${responseSign}"}`;
      return { status: opts.status ?? 200, headers: { get: () => null }, text: async () => text };
    };
    return { calls, doFetch };
  }

  const order = { outTradeNo: 'B2026031700001', amountFen: 16087, description: '物业费 2026-03', notifyUrl: 'https://pm.example.com/api/payments/alipay/notify' };

  it('creates a precreate (QR code) payment, verifying the raw response text', async () => {
    // Alipay escapes slashes; the signature covers those bytes, so a re-serialized node would not verify.
    const api = gateway('{"code":"10000","msg":"Success","out_trade_no":"B2026031700001","qr_code":"https:\\/\\/qr.alipay.com\\/bax08431"}');
    expect(await provider(api.doFetch).createPayment(order)).toEqual({ qrCode: 'https://qr.alipay.com/bax08431' });
    expect(api.calls[0]).toMatchObject({ method: 'alipay.trade.precreate', timestamp: '2026-03-17 09:59:00', notify_url: order.notifyUrl, sign_type: 'RSA2' });
    expect(JSON.parse(api.calls[0].biz_content)).toEqual({ out_trade_no: 'B2026031700001', total_amount: '160.87', subject: '物业费 2026-03' });
  });

  it('refuses a response signed by another key', async () => {
    const api = gateway('{"code":"10000","msg":"Success","qr_code":"https://evil"}', { signKey: stranger.privateKey });
    await expect(provider(api.doFetch).createPayment(order)).rejects.toThrow(PaymentSignatureError);
  });

  it('reports a business error with its sub_code', async () => {
    const api = gateway('{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_HAS_SUCCESS","sub_msg":"交易已被支付"}');
    const error = await provider(api.doFetch).createPayment(order).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaymentProviderError);
    expect(error).toMatchObject({ code: 'ACQ.TRADE_HAS_SUCCESS' });
  });

  it.each([
    ['Y', 'succeeded'],
    ['N', 'processing'],
  ])('refunds; fund_change %s is %s', async (fundChange, status) => {
    const api = gateway(`{"code":"10000","msg":"Success","trade_no":"2026031722001405010500000001","out_trade_no":"B1","fund_change":"${fundChange}","refund_fee":"5.00"}`);
    const result = await provider(api.doFetch).refund({ outTradeNo: 'B1', outRefundNo: 'R1', amountFen: 500, totalFen: 16087, reason: '多收' });
    expect(result).toEqual({ providerRefundNo: '2026031722001405010500000001', status });
    expect(JSON.parse(api.calls[0].biz_content)).toEqual({ out_trade_no: 'B1', out_request_no: 'R1', refund_amount: '5.00', refund_reason: '多收' });
  });
});

describe('Alipay keys', () => {
  it('accepts the bare base64 keys that Alipay\'s key tool prints', async () => {
    const bare = (key: KeyObject) => key.export({ type: key.type === 'private' ? 'pkcs8' : 'spki', format: 'der' }).toString('base64');
    const p = createAlipay({ appId: APP_ID, merchantPrivateKey: bare(merchant.privateKey), alipayPublicKey: bare(alipay.publicKey) });
    await expect(p.parseNotification({}, notification().body)).resolves.toMatchObject({ amountFen: 16087 });
  });

  it('never shows key material in JSON or inspection', () => {
    const p = provider();
    const privatePem = pemOf(merchant.privateKey).split('\n');
    for (const text of [JSON.stringify(p), inspect(p, { showHidden: true, depth: Infinity }), String(p)]) {
      for (const piece of [privatePem[1], privatePem[12]]) expect(text).not.toContain(piece);
    }
    expect(JSON.parse(JSON.stringify(p))).toEqual({ name: 'alipay', appId: APP_ID, gatewayUrl: 'https://openapi.alipay.com/gateway.do' });
  });
});
