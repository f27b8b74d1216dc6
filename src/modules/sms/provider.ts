/**
 * How SMS leaves Anju. Every message is first written to `sms_outbox`; the provider then delivers it.
 * The built-in `outbox` provider delivers nothing: administrators read the messages in the console,
 * so demos and tests need no SMS account. A real gateway (阿里云短信, 腾讯云短信) implements `send`.
 */
export interface SmsProvider {
  readonly name: string;
  send(message: { phone: string; body: string; template: string; params: Record<string, string> }): Promise<'sent' | 'stored'>;
}

export const outboxProvider: SmsProvider = {
  name: 'outbox',
  async send() {
    return 'stored';
  },
};
