import { createCipheriv, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PaymentNotificationError, PaymentProviderError, PaymentSignatureError, type FetchLike } from './provider.ts';
import { createWechatPay, signRequest } from './wechatpay.ts';

const pem = (key: KeyObject, type: 'spki' | 'pkcs8') => key.export({ type, format: 'pem' }).toString();
const pair = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const merchant = pair();
const platform = pair();
const stranger = pair();

const API_V3_KEY = 'k3Y0fTh1rtyTwoBytesLongApiV3Key!';
const SERIAL = '5157F09EFDC096DE15EBE81A47057A7232F1B8E1';
const NOW = new Date('2026-03-17T02:00:00Z');
const nowSeconds = Math.floor(NOW.getTime() / 1000);

function provider(overrides: { fetch?: FetchLike; apiV3Key?: string } = {}) {
  return createWechatPay({
    mchId: '1900000109',
    appId: 'wxd678efh567hg6787',
    merchantSerialNo: '1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C',
    merchantPrivateKey: pem(merchant.privateKey, 'pkcs8'),
    apiV3Key: overrides.apiV3Key ?? API_V3_KEY,
    platformKeys: { [SERIAL]: pem(platform.publicKey, 'spki') },
    fetch: overrides.fetch,
    now: () => NOW,
  });
}

function encrypt(plaintext: string, opts: { key?: string; nonce?: string; aad?: string } = {}) {
  const nonce = opts.nonce ?? 'fdasflkja484';
  const aad = opts.aad ?? 'transaction';
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(opts.key ?? API_V3_KEY), Buffer.from(nonce));
  cipher.setAAD(Buffer.from(aad));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { algorithm: 'AEAD_AES_256_GCM', ciphertext: data.toString('base64'), nonce, associated_data: aad, original_type: 'transaction' };
}

/** Headers exactly as WeChat Pay sends them, lower-cased as Node hands them over. */
function signed(body: string, opts: { key?: KeyObject; serial?: string; timestamp?: number; nonce?: string } = {}) {
  const timestamp = String(opts.timestamp ?? nowSeconds);
  const nonce = opts.nonce ?? 'H5sBj3HnGmb0pqDIq1Db';
  const signature = sign('sha256', Buffer.from(`${timestamp}\n${nonce}\n${body}\n`), opts.key ?? platform.privateKey).toString('base64');
  return { 'wechatpay-timestamp': timestamp, 'wechatpay-nonce': nonce, 'wechatpay-signature': signature, 'wechatpay-serial': opts.serial ?? SERIAL };
}

const transaction = (overrides: Record<string, unknown> = {}) => ({
  mchid: '1900000109',
  appid: 'wxd678efh567hg6787',
  out_trade_no: 'B2026031700001',
  transaction_id: '4200000000202603171234567890',
  trade_type: 'NATIVE',
  trade_state: 'SUCCESS',
  trade_state_desc: '支付成功',
  success_time: '2026-03-17T09:59:30+08:00',
  payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
  amount: { total: 16087, payer_total: 16087, currency: 'CNY', payer_currency: 'CNY' },
  ...overrides,
});

function notification(resource = encrypt(JSON.stringify(transaction())), eventType = 'TRANSACTION.SUCCESS') {
  return JSON.stringify({
    id: 'EV-2018022511223320873',
    create_time: '2026-03-17T09:59:31+08:00',
    resource_type: 'encrypt-resource',
    event_type: eventType,
    summary: '支付成功',
    resource,
  });
}

describe('WeChat Pay notifications', () => {
  it('verifies, decrypts and maps a genuine notification', async () => {
    const body = notification();
    const parsed = await provider().parseNotification(signed(body), body);
    expect(parsed).toMatchObject({
      outTradeNo: 'B2026031700001',
      providerTradeNo: '4200000000202603171234567890',
      amountFen: 16087,
      status: 'succeeded',
      paidAt: new Date('2026-03-17T01:59:30Z'),
    });
  });

  it('accepts headers in the capitalization of the documentation', async () => {
    const body = notification();
    const h = signed(body);
    const headers = { 'Wechatpay-Timestamp': h['wechatpay-timestamp'], 'Wechatpay-Nonce': h['wechatpay-nonce'], 'Wechatpay-Signature': h['wechatpay-signature'], 'Wechatpay-Serial': h['wechatpay-serial'] };
    await expect(provider().parseNotification(headers, body)).resolves.toMatchObject({ amountFen: 16087 });
  });

  it.each([
    ['a tampered body', (body: string) => ({ headers: signed(body), body: body.replace('TRANSACTION.SUCCESS', 'TRANSACTION.SUCCESS ') }), /does not verify/],
    ['an unknown serial', (body: string) => ({ headers: signed(body, { serial: 'FFFF' }), body }), /Wechatpay-Serial/],
    ['a signature by another key', (body: string) => ({ headers: signed(body, { key: stranger.privateKey }), body }), /does not verify/],
    ['a timestamp 6 minutes old', (body: string) => ({ headers: signed(body, { timestamp: nowSeconds - 360 }), body }), /5 minutes/],
    ['a timestamp 6 minutes ahead', (body: string) => ({ headers: signed(body, { timestamp: nowSeconds + 360 }), body }), /5 minutes/],
    ['missing headers', (body: string) => ({ headers: { 'wechatpay-serial': SERIAL }, body }), /missing/],
    ['a signature over another nonce', (body: string) => ({ headers: { ...signed(body), 'wechatpay-nonce': 'other' }, body }), /does not verify/],
  ])('rejects %s', async (_, make, message) => {
    const { headers, body } = make(notification());
    const error = await provider().parseNotification(headers, body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaymentSignatureError);
    expect((error as Error).message).toMatch(message);
  });

  it('accepts a timestamp 4 minutes old', async () => {
    const body = notification();
    await expect(provider().parseNotification(signed(body, { timestamp: nowSeconds - 240 }), body)).resolves.toMatchObject({ status: 'succeeded' });
  });

  it.each([
    ['a flipped GCM tag byte', () => {
      const resource = encrypt(JSON.stringify(transaction()));
      const data = Buffer.from(resource.ciphertext, 'base64');
      data[data.length - 1] ^= 1;
      return { ...resource, ciphertext: data.toString('base64') };
    }],
    ['altered associated data', () => ({ ...encrypt(JSON.stringify(transaction())), associated_data: 'refund' })],
    ['another nonce', () => ({ ...encrypt(JSON.stringify(transaction())), nonce: 'aaaaaaaaaaaa' })],
    ['encryption with another APIv3 key', () => encrypt(JSON.stringify(transaction()), { key: 'another-32-byte-api-v3-key-12345' })],
    ['another algorithm', () => ({ ...encrypt(JSON.stringify(transaction())), algorithm: 'AEAD_SM4_GCM' })],
  ])('rejects a correctly signed notification with %s', async (_, resource) => {
    const body = notification(resource());
    await expect(provider().parseNotification(signed(body), body)).rejects.toThrow(PaymentSignatureError);
  });

  it.each([
    ['SUCCESS', 'succeeded'],
    ['CLOSED', 'closed'],
    ['REVOKED', 'closed'],
    ['PAYERROR', 'failed'],
  ])('maps trade_state %s to %s', async (tradeState, status) => {
    const body = notification(encrypt(JSON.stringify(transaction({ trade_state: tradeState }))));
    expect((await provider().parseNotification(signed(body), body)).status).toBe(status);
  });

  it.each([
    ['a state that is not final', notification(encrypt(JSON.stringify(transaction({ trade_state: 'USERPAYING' })))), /not final/],
    ['another merchant', notification(encrypt(JSON.stringify(transaction({ mchid: '1900000110' })))), /another merchant/],
    ['a refund event', notification(undefined, 'REFUND.SUCCESS'), /not a payment notification/],
    ['a transaction without an amount', notification(encrypt(JSON.stringify(transaction({ amount: {} })))), /amount\.total/],
    ['a fractional amount', notification(encrypt(JSON.stringify(transaction({ amount: { total: 12.5 } })))), /amount\.total/],
  ])('refuses an authentic notification with %s', async (_, body, message) => {
    const error = await provider().parseNotification(signed(body), body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaymentNotificationError);
    expect((error as Error).message).toMatch(message);
  });
});

describe('WeChat Pay requests', () => {
  it('signs a request the way APIv3 checks it', () => {
    const body = '{"mchid":"1900000109"}';
    const authorization = signRequest({
      method: 'POST',
      urlPath: '/v3/pay/transactions/native',
      body,
      mchId: '1900000109',
      serialNo: 'ABC123',
      privateKey: pem(merchant.privateKey, 'pkcs8'),
      timestamp: 1554208460,
      nonce: '593BEC0C930BF1AFEB40B4A08C8FB242',
    });
    const match = /^WECHATPAY2-SHA256-RSA2048 mchid="1900000109",nonce_str="593BEC0C930BF1AFEB40B4A08C8FB242",signature="([^"]+)",timestamp="1554208460",serial_no="ABC123"$/.exec(authorization);
    expect(match).not.toBeNull();
    const message = `POST\n/v3/pay/transactions/native\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n${body}\n`;
    expect(verify('sha256', Buffer.from(message), merchant.publicKey, Buffer.from(match![1], 'base64'))).toBe(true);
    expect(verify('sha256', Buffer.from(message.replace('POST', 'GET')), merchant.publicKey, Buffer.from(match![1], 'base64'))).toBe(false);
  });

  /** A fake WeChat Pay that checks our signature and answers signed with the platform key (or as told). */
  function fakeApi(answer: (path: string, body: Record<string, unknown>) => { status?: number; body: unknown; signKey?: KeyObject }) {
    const calls: { url: string; body: Record<string, unknown> }[] = [];
    const doFetch: FetchLike = async (url, init) => {
      const path = new URL(url).pathname;
      const nonce = /nonce_str="([^"]+)"/.exec(init.headers.Authorization)![1];
      const timestamp = /timestamp="(\d+)"/.exec(init.headers.Authorization)![1];
      const signature = /signature="([^"]+)"/.exec(init.headers.Authorization)![1];
      const message = `${init.method}\n${path}\n${timestamp}\n${nonce}\n${init.body}\n`;
      if (!verify('sha256', Buffer.from(message), merchant.publicKey, Buffer.from(signature, 'base64'))) throw new Error('bad merchant signature');
      const body = JSON.parse(init.body ?? '{}') as Record<string, unknown>;
      calls.push({ url, body });
      const reply = answer(path, body);
      const text = JSON.stringify(reply.body);
      const headers = signed(text, { key: reply.signKey });
      return { status: reply.status ?? 200, headers: { get: (name: string) => headers[name.toLowerCase() as keyof typeof headers] ?? null }, text: async () => text };
    };
    return { calls, doFetch };
  }

  const order = { outTradeNo: 'B2026031700001', amountFen: 16087, description: '物业费 2026-03 1-1203', notifyUrl: 'https://pm.example.com/api/payments/wechatpay/notify' };

  it('creates a Native (QR code) payment', async () => {
    const api = fakeApi(() => ({ body: { code_url: 'weixin://wxpay/bizpayurl?pr=p4lpSuKzz' } }));
    expect(await provider({ fetch: api.doFetch }).createPayment(order)).toEqual({ qrCode: 'weixin://wxpay/bizpayurl?pr=p4lpSuKzz' });
    expect(api.calls[0].url).toBe('https://api.mch.weixin.qq.com/v3/pay/transactions/native');
    expect(api.calls[0].body).toMatchObject({ mchid: '1900000109', out_trade_no: 'B2026031700001', amount: { total: 16087, currency: 'CNY' } });
  });

  it('creates a JSAPI payment for a payer with an openid', async () => {
    const api = fakeApi(() => ({ body: { prepay_id: 'wx201410272009395522657a690389285100' } }));
    expect(await provider({ fetch: api.doFetch }).createPayment({ ...order, payerHint: 'oUpF8uMuAJO' })).toEqual({ prepayId: 'wx201410272009395522657a690389285100' });
    expect(api.calls[0].url).toMatch(/\/v3\/pay\/transactions\/jsapi$/);
    expect(api.calls[0].body.payer).toEqual({ openid: 'oUpF8uMuAJO' });
  });

  it('refuses a response that WeChat Pay did not sign', async () => {
    const api = fakeApi(() => ({ body: { code_url: 'weixin://evil' }, signKey: stranger.privateKey }));
    await expect(provider({ fetch: api.doFetch }).createPayment(order)).rejects.toThrow(PaymentSignatureError);
  });

  it('reports an error answer with its code', async () => {
    const api = fakeApi(() => ({ status: 400, body: { code: 'ORDERPAID', message: '该订单已支付' } }));
    const error = await provider({ fetch: api.doFetch }).createPayment(order).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaymentProviderError);
    expect(error).toMatchObject({ code: 'ORDERPAID', httpStatus: 400 });
  });

  it('refuses a zero amount before calling', async () => {
    const api = fakeApi(() => ({ body: {} }));
    await expect(provider({ fetch: api.doFetch }).createPayment({ ...order, amountFen: 0 })).rejects.toThrow(/amountFen/);
    expect(api.calls).toHaveLength(0);
  });

  it.each([
    ['SUCCESS', 'succeeded'],
    ['PROCESSING', 'processing'],
  ])('refunds; %s is %s', async (state, status) => {
    const api = fakeApi(() => ({ body: { refund_id: '50000000382019052709732678859', status: state } }));
    const result = await provider({ fetch: api.doFetch }).refund({ outTradeNo: 'B1', outRefundNo: 'R1', amountFen: 500, totalFen: 16087, reason: '多收' });
    expect(result).toEqual({ providerRefundNo: '50000000382019052709732678859', status });
    expect(api.calls[0].body).toMatchObject({ out_refund_no: 'R1', amount: { refund: 500, total: 16087, currency: 'CNY' } });
  });

  it('refuses to refund more than was paid, and an ABNORMAL refund', async () => {
    const api = fakeApi(() => ({ body: { refund_id: 'x', status: 'ABNORMAL' } }));
    const p = provider({ fetch: api.doFetch });
    await expect(p.refund({ outTradeNo: 'B1', outRefundNo: 'R1', amountFen: 16088, totalFen: 16087, reason: '' })).rejects.toThrow(/exceeds/);
    await expect(p.refund({ outTradeNo: 'B1', outRefundNo: 'R1', amountFen: 1, totalFen: 16087, reason: '' })).rejects.toThrow(PaymentProviderError);
  });
});

describe('WeChat Pay secrets', () => {
  it('never shows key material in JSON or inspection', () => {
    const p = provider();
    const privatePem = pem(merchant.privateKey, 'pkcs8');
    const secretPieces = [API_V3_KEY, privatePem.split('\n')[1], privatePem.split('\n')[10]];
    for (const text of [JSON.stringify(p), inspect(p, { showHidden: true, depth: Infinity }), String(p)]) {
      for (const piece of secretPieces) expect(text).not.toContain(piece);
    }
    expect(JSON.parse(JSON.stringify(p))).toEqual({ name: 'wechatpay', mchId: '1900000109', appId: 'wxd678efh567hg6787', platformSerials: [SERIAL] });
  });

  it('requires a 32-byte APIv3 key', () => {
    expect(() => provider({ apiV3Key: 'short' })).toThrow(/32 bytes/);
  });
});
