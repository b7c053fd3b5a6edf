import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The board client: built into dist/client and served by the mtbnet server.
export default defineConfig({
  root: 'client',
  plugins: [react()],
  build: { outDir: '../dist/client', emptyOutDir: true, sourcemap: true },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
