import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { DB } from './db/schema.ts';
import type { DatabaseKind } from './db/index.ts';
import type { SmsProvider } from './modules/sms/provider.ts';
import type { FileStorage } from './core/storage/storage.ts';

/** What services may use. Passed explicitly; each service picks what it needs. */
export interface Deps {
  db: Kysely<DB>;
  dbKind: DatabaseKind;
  config: Config;
  log: Logger;
  sms: SmsProvider;
  storage: FileStorage;
}
