import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

function newestMtime(p: string): number {
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

/**
 * The journeys test the built web app as the server serves it, so build it once when it is missing or older
 * than its sources (the web imports the server's schema files and permission table too).
 */
export default function setup() {
  const built = path.join(root, 'web/dist/index.html');
  const sources = Math.max(
    newestMtime(path.join(root, 'web')),
    newestMtime(path.join(root, 'vite.config.ts')),
    newestMtime(path.join(root, 'src/core')),
    newestMtime(path.join(root, 'src/modules')),
  );
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= sources) return;
  console.log('e2e: building the web app…');
  const vite = path.join(root, 'node_modules/vite/bin/vite.js');
  // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build into web/dist.
  const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (r.status !== 0) throw new Error(`vite build failed (exit ${r.status})`);
}
