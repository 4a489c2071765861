import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

// Built into the agent's dist/, which serves it at `/`: no CDN, works offline.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [preact()],
  build: { outDir: '../dist/web', emptyOutDir: true, reportCompressedSize: false },
  logLevel: 'warn',
});
