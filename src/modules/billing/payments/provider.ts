/**
 * How money arrives online. A provider creates a payment at WeChat Pay, Alipay or the built-in sandbox, verifies
 * the provider's signed notification that it was paid, and refunds. Providers hold secrets (merchant private keys,
 * the APIv3 key, the sandbox secret) in closures, never in properties, so neither logs nor JSON can show them.
 */

export interface CreatePaymentRequest {
  outTradeNo: string;
  amountFen: number;
  description: string;
  notifyUrl: string;
  /** WeChat Pay: the payer's openid, which turns a QR-code (Native) payment into an in-app (JSAPI) one. */
  payerHint?: string;
}

export interface PaymentNotification {
  outTradeNo: string;
  providerTradeNo: string;
  amountFen: number;
  paidAt: Date;
  status: 'succeeded' | 'failed' | 'closed';
  raw: unknown;
}

export interface RefundRequest {
  outTradeNo: string;
  outRefundNo: string;
  amountFen: number;
  totalFen: number;
  reason: string;
}

export interface PaymentProvider {
  readonly name: 'wechatpay' | 'alipay' | 'sandbox';
  createPayment(req: CreatePaymentRequest): Promise<{ payUrl?: string; prepayId?: string; qrCode?: string }>;
  /** Verifies the signature (and decrypts where the scheme encrypts) of an incoming notification; throws PaymentSignatureError when it does not verify. Never logs secrets. */
  parseNotification(headers: Record<string, string | undefined>, rawBody: string): Promise<PaymentNotification>;
  refund(req: RefundRequest): Promise<{ providerRefundNo: string; status: 'succeeded' | 'processing' }>;
}

/** The notification or response is not provably from the provider: answer it with an error and record nothing. */
export class PaymentSignatureError extends Error {
  override name = 'PaymentSignatureError';
}

/** The notification is authentic but not one Anju can book (another merchant, an unsupported event, a bad amount). */
export class PaymentNotificationError extends Error {
  override name = 'PaymentNotificationError';
}

/** The provider refused or failed a call; `code` is the provider's own error code when it gave one. */
export class PaymentProviderError extends Error {
  override name = 'PaymentProviderError';
  constructor(message: string, readonly code?: string, readonly httpStatus?: number) {
    super(message);
  }
}

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body?: string }) => Promise<{
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}>;

/** Header lookup that ignores case: Node lower-cases incoming headers, the providers' documents capitalize them. */
export function header(headers: Record<string, string | undefined>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/** "12.34" 元 → 1234 分, exactly; more than two decimals, signs or exponents are refused. */
export function yuanToFen(text: string): number {
  const match = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) throw new PaymentNotificationError(`"${text}" is not an amount in 元 with at most two decimals`);
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** 1234 分 → "12.34" 元. */
export function fenToYuan(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new RangeError(`${fen} is not a whole, non-negative number of 分`);
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

export function checkAmount(fen: number, label: string): void {
  if (!Number.isSafeInteger(fen) || fen <= 0) throw new RangeError(`${label} must be a whole number of 分 greater than 0, got ${fen}`);
}

export function checkRefund(req: RefundRequest): void {
  checkAmount(req.amountFen, 'amountFen');
  checkAmount(req.totalFen, 'totalFen');
  if (req.amountFen > req.totalFen) throw new RangeError(`a refund of ${req.amountFen} 分 exceeds the payment of ${req.totalFen} 分`);
}
