import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { checkAmount, checkRefund, header, PaymentNotificationError, PaymentSignatureError, type PaymentProvider } from './provider.ts';

/**
 * The built-in sandbox provider, for demos without a merchant account. "Paying" opens Anju's own confirm page;
 * confirming there makes the server post itself a notification signed with a secret only the server holds, which
 * then takes the same path as a real provider's notification. It never moves money: refunds simply succeed.
 */

export const SANDBOX_SIGNATURE_HEADER = 'X-Sandbox-Signature';

/** The hex HMAC-SHA256 of a notification body, for the server's own confirm endpoint. */
export function signSandboxNotification(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

export const sandboxNotificationSchema = z.object({
  outTradeNo: z.string().min(1).max(64),
  providerTradeNo: z.string().min(1).max(64),
  amountFen: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  paidAt: z.iso.datetime({ offset: true }),
  status: z.enum(['succeeded', 'failed', 'closed']),
});

export type SandboxNotification = z.infer<typeof sandboxNotificationSchema>;

export function createSandboxPay(config: { secret: string; baseUrl: string }): PaymentProvider & { toJSON(): unknown } {
  if (Buffer.byteLength(config.secret) < 32) throw new RangeError('the sandbox secret must be at least 32 bytes');
  const baseUrl = config.baseUrl.replace(/\/+$/, '');
  const summary = { name: 'sandbox', baseUrl };

  return {
    name: 'sandbox',

    async createPayment(req) {
      checkAmount(req.amountFen, 'amountFen');
      return { payUrl: `${baseUrl}/m/pay/sandbox?tradeNo=${encodeURIComponent(req.outTradeNo)}` };
    },

    async parseNotification(headers, rawBody) {
      const given = header(headers, SANDBOX_SIGNATURE_HEADER) ?? '';
      const expected = Buffer.from(signSandboxNotification(config.secret, rawBody), 'hex');
      if (!/^[0-9a-f]{64}$/i.test(given) || !timingSafeEqual(Buffer.from(given, 'hex'), expected)) {
        throw new PaymentSignatureError(`${SANDBOX_SIGNATURE_HEADER} does not verify`);
      }
      let value: unknown;
      try {
        value = JSON.parse(rawBody);
      } catch {
        throw new PaymentNotificationError('the sandbox notification is not JSON');
      }
      const parsed = sandboxNotificationSchema.safeParse(value);
      if (!parsed.success) throw new PaymentNotificationError('the sandbox notification lacks fields or has invalid ones');
      return { ...parsed.data, paidAt: new Date(parsed.data.paidAt), raw: parsed.data };
    },

    async refund(req) {
      checkRefund(req);
      return { providerRefundNo: `SANDBOX-R-${req.outRefundNo}`, status: 'succeeded' };
    },

    toJSON: () => summary,
    [Symbol.for('nodejs.util.inspect.custom')]: () => `SandboxPay ${JSON.stringify(summary)}`,
  };
}
