import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PaymentNotificationError, PaymentSignatureError } from './provider.ts';
import { createSandboxPay, signSandboxNotification } from './sandbox.ts';

const SECRET = 'sandbox-secret-0123456789abcdef-0123456789';
const sandbox = () => createSandboxPay({ secret: SECRET, baseUrl: 'https://pm.example.com/' });

const body = JSON.stringify({
  outTradeNo: 'B2026031700001',
  providerTradeNo: 'SANDBOX-1',
  amountFen: 16087,
  paidAt: '2026-03-17T09:59:30+08:00',
  status: 'succeeded',
});

describe('sandbox provider', () => {
  it('sends the payer to the local confirm page', async () => {
    expect(await sandbox().createPayment({ outTradeNo: 'B 1/2', amountFen: 100, description: 'x', notifyUrl: 'n' })).toEqual({
      payUrl: 'https://pm.example.com/m/pay/sandbox?tradeNo=B%201%2F2',
    });
  });

  it('accepts a notification the server signed', async () => {
    const parsed = await sandbox().parseNotification({ 'x-sandbox-signature': signSandboxNotification(SECRET, body) }, body);
    expect(parsed).toMatchObject({ outTradeNo: 'B2026031700001', amountFen: 16087, status: 'succeeded', paidAt: new Date('2026-03-17T01:59:30Z') });
  });

  it.each([
    ['no signature', {}, body],
    ['a signature with another secret', { 'x-sandbox-signature': signSandboxNotification(`${SECRET}!`, body) }, body],
    ['a changed body', { 'x-sandbox-signature': signSandboxNotification(SECRET, body) }, body.replace('16087', '1')],
    ['a truncated signature', { 'x-sandbox-signature': signSandboxNotification(SECRET, body).slice(0, 62) }, body],
    ['a non-hex signature', { 'x-sandbox-signature': 'z'.repeat(64) }, body],
  ])('rejects %s', async (_, headers: Record<string, string>, sent) => {
    await expect(sandbox().parseNotification(headers, sent)).rejects.toThrow(PaymentSignatureError);
  });

  it('refuses a signed notification with invalid fields', async () => {
    const bad = JSON.stringify({ ...JSON.parse(body), amountFen: 1.5 });
    await expect(sandbox().parseNotification({ 'X-Sandbox-Signature': signSandboxNotification(SECRET, bad) }, bad)).rejects.toThrow(PaymentNotificationError);
  });

  it('refunds at most the payment', async () => {
    const p = sandbox();
    expect(await p.refund({ outTradeNo: 'B1', outRefundNo: 'R1', amountFen: 100, totalFen: 100, reason: '' })).toEqual({ providerRefundNo: 'SANDBOX-R-R1', status: 'succeeded' });
    await expect(p.refund({ outTradeNo: 'B1', outRefundNo: 'R2', amountFen: 101, totalFen: 100, reason: '' })).rejects.toThrow(/exceeds/);
  });

  it('requires a long secret and never shows it', () => {
    expect(() => createSandboxPay({ secret: 'short', baseUrl: 'https://x' })).toThrow(/32 bytes/);
    const p = sandbox();
    for (const text of [JSON.stringify(p), inspect(p, { showHidden: true, depth: Infinity }), String(p)]) expect(text).not.toContain(SECRET);
  });
});
