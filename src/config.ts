import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/** Everything the server reads from the environment, in one place (documented in README "Configuration"). */
export interface Config {
  port: number;
  host: string;
  /** PostgreSQL server URL; when absent the embedded PGlite database in `dataDir/pg` is used. */
  databaseUrl?: string;
  dataDir: string;
  filesDir: string;
  demoPassword: string;
  logLevel: string;
  sessionTtlHours: number;
  sessionIdleHours: number;
  cookieSecure: boolean;
  schedulerEnabled: boolean;
  schedulerIntervalMs: number;
  instanceId: string;
  storage:
    | { kind: 'local' }
    | { kind: 's3'; endpoint: string; bucket: string; region: string; accessKeyId: string; secretAccessKey: string };
  maxUploadBytes: number;
  webDist: string;
  /** Online payments (README "Payments"): the built-in sandbox and, when configured, WeChat Pay and Alipay. */
  payments: PaymentsConfig;
}

export interface PaymentsConfig {
  /** The sandbox provider lets a demo pay from the owner site without an account (ANJU_PAY_SANDBOX=off hides it). */
  sandbox: boolean;
  /** Signs the sandbox's notifications; random per process unless ANJU_PAY_SANDBOX_SECRET is set (≥ 32 bytes). */
  sandboxSecret: string;
  /** The address providers post notifications to, e.g. https://wy.example.com (ANJU_PUBLIC_URL). */
  publicUrl: string;
  wechatpay?: { mchId: string; appId: string; merchantSerialNo: string; merchantPrivateKey: string; apiV3Key: string; platformKeys: Record<string, string> };
  alipay?: { appId: string; merchantPrivateKey: string; alipayPublicKey: string; gatewayUrl?: string };
}

function int(value: string | undefined, fallback: number): number {
  const n = value === undefined || value === '' ? NaN : Number(value);
  return Number.isFinite(n) ? n : fallback;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const dataDir = path.resolve(env.ANJU_DATA_DIR ?? 'data');
  const storage: Config['storage'] =
    env.ANJU_STORAGE === 's3'
      ? {
          kind: 's3',
          endpoint: required(env, 'ANJU_S3_ENDPOINT'),
          bucket: required(env, 'ANJU_S3_BUCKET'),
          region: env.ANJU_S3_REGION ?? 'us-east-1',
          accessKeyId: required(env, 'ANJU_S3_ACCESS_KEY_ID'),
          secretAccessKey: required(env, 'ANJU_S3_SECRET_ACCESS_KEY'),
        }
      : { kind: 'local' };
  return {
    port: int(env.PORT, 3000),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir,
    filesDir: path.resolve(env.ANJU_FILES_DIR ?? path.join(dataDir, 'files')),
    demoPassword: env.ANJU_DEMO_PASSWORD || 'anju-demo',
    logLevel: env.LOG_LEVEL ?? 'info',
    sessionTtlHours: int(env.ANJU_SESSION_TTL_HOURS, 24 * 7),
    sessionIdleHours: int(env.ANJU_SESSION_IDLE_HOURS, 12),
    cookieSecure: env.ANJU_COOKIE_SECURE === 'true',
    schedulerEnabled: env.ANJU_SCHEDULER !== 'off',
    schedulerIntervalMs: int(env.ANJU_SCHEDULER_INTERVAL_MS, 30_000),
    instanceId: env.ANJU_INSTANCE_ID ?? `${process.pid}`,
    storage,
    maxUploadBytes: int(env.ANJU_MAX_UPLOAD_BYTES, 10 * 1024 * 1024),
    webDist: path.resolve(env.ANJU_WEB_DIST ?? 'web/dist'),
    payments: paymentsConfig(env),
    ...overrides,
    // Paths given as overrides are resolved too: static file serving needs absolute paths.
    ...(overrides.dataDir && { dataDir: path.resolve(overrides.dataDir) }),
    ...(overrides.filesDir && { filesDir: path.resolve(overrides.filesDir) }),
    ...(overrides.webDist && { webDist: path.resolve(overrides.webDist) }),
  };
}

function paymentsConfig(env: NodeJS.ProcessEnv): PaymentsConfig {
  const file = (name: string) => fs.readFileSync(required(env, name, 'when the provider is configured'), 'utf8');
  return {
    sandbox: env.ANJU_PAY_SANDBOX !== 'off',
    sandboxSecret: env.ANJU_PAY_SANDBOX_SECRET || randomBytes(32).toString('hex'),
    publicUrl: (env.ANJU_PUBLIC_URL ?? '').replace(/\/+$/, ''),
    ...(env.ANJU_WECHATPAY_MCH_ID && {
      wechatpay: {
        mchId: env.ANJU_WECHATPAY_MCH_ID,
        appId: required(env, 'ANJU_WECHATPAY_APP_ID', 'when the provider is configured'),
        merchantSerialNo: required(env, 'ANJU_WECHATPAY_SERIAL_NO', 'when the provider is configured'),
        merchantPrivateKey: file('ANJU_WECHATPAY_PRIVATE_KEY_FILE'),
        apiV3Key: required(env, 'ANJU_WECHATPAY_APIV3_KEY', 'when the provider is configured'),
        platformKeys: { [required(env, 'ANJU_WECHATPAY_PLATFORM_KEY_ID', 'when the provider is configured')]: file('ANJU_WECHATPAY_PLATFORM_KEY_FILE') },
      },
    }),
    ...(env.ANJU_ALIPAY_APP_ID && {
      alipay: {
        appId: env.ANJU_ALIPAY_APP_ID,
        merchantPrivateKey: file('ANJU_ALIPAY_PRIVATE_KEY_FILE'),
        alipayPublicKey: file('ANJU_ALIPAY_PUBLIC_KEY_FILE'),
        gatewayUrl: env.ANJU_ALIPAY_GATEWAY_URL || undefined,
      },
    }),
  };
}

function required(env: NodeJS.ProcessEnv, name: string, when = 'when ANJU_STORAGE=s3'): string {
  const v = env[name];
  if (!v) throw new Error(`${name} must be set ${when}`);
  return v;
}
