import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * The dev server's own history fallback only knows `/index.html`; the phone site at `/m/` needs its own,
 * just like the production server (src/app.ts registerWeb) gives it.
 */
function phoneSiteFallback(): Plugin {
  return {
    name: 'anju-phone-site-fallback',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        const url = req.url?.split('?')[0] ?? '';
        if ((url === '/m' || url.startsWith('/m/')) && !/\.[a-z0-9]+$/i.test(url)) req.url = '/m/index.html';
        next();
      });
    },
  };
}

// Two pages from one build: the staff console at `/` and the owners' phone site at `/m/`.
export default defineConfig({
  root: here('./web'),
  base: '/',
  plugins: [react(), phoneSiteFallback()],
  build: {
    outDir: here('./web/dist'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      input: {
        console: here('./web/index.html'),
        phone: here('./web/m/index.html'),
      },
    },
  },
  server: {
    proxy: { '/api': 'http://localhost:3000' },
  },
});
