import path from 'node:path';

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
    ...overrides,
    // Paths given as overrides are resolved too: static file serving needs absolute paths.
    ...(overrides.dataDir && { dataDir: path.resolve(overrides.dataDir) }),
    ...(overrides.filesDir && { filesDir: path.resolve(overrides.filesDir) }),
    ...(overrides.webDist && { webDist: path.resolve(overrides.webDist) }),
  };
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const v = env[name];
  if (!v) throw new Error(`${name} must be set when ANJU_STORAGE=s3`);
  return v;
}
