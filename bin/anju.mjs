#!/usr/bin/env node
// Entry point for `npm start` and `npx anju …`. Runs the TypeScript sources through tsx; for `start` it first
// builds the web app when the build is missing or older than its sources.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(process.env.ANJU_CWD ?? process.cwd());

function newestMtime(p) {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  for (const entry of fs.readdirSync(p)) {
    if (entry === 'dist' || entry === 'node_modules') continue;
    max = Math.max(max, newestMtime(path.join(p, entry)));
  }
  return max;
}

function ensureWebBuilt() {
  const built = path.join(root, 'web/dist/index.html');
  const sources = Math.max(newestMtime(path.join(root, 'web')), newestMtime(path.join(root, 'vite.config.ts')), newestMtime(path.join(root, 'src/core/permissions.ts')));
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= sources) return;
  console.log('Building the web app (first start or changed sources)…');
  const vite = path.join(root, 'node_modules/vite/bin/vite.js');
  // Always a production bundle, whatever NODE_ENV the caller has.
  const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/**
 * A fresh embedded database is created (initdb, migrations, demo data) in a short-lived child process: PGlite keeps
 * the memory that creating a database took, so the long-running server then opens an existing one and stays small.
 */
function prepareFreshDatabase(args) {
  if (process.env.DATABASE_URL) return;
  const dataDir = path.resolve(process.env.ANJU_DATA_DIR ?? 'data');
  if (fs.existsSync(path.join(dataDir, 'pg', 'PG_VERSION'))) return;
  const seed = !args.includes('--no-demo') && process.env.ANJU_DEMO !== 'off';
  console.log(`Creating the embedded database in ${path.join(dataDir, 'pg')}${seed ? ' with demo data' : ''}…`);
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), seed ? 'seed-demo' : 'migrate'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'start' && process.env.ANJU_SKIP_WEB_BUILD !== 'true') ensureWebBuilt();
if (command === 'start') prepareFreshDatabase(rest);
register();
const { main } = await import('../src/cli/main.ts');
try {
  const code = await main(process.argv.slice(2));
  if (code >= 0) process.exit(code);
} catch (err) {
  console.error(`anju: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
