import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The client is used from its sources: no build step between a change to it and the app.
export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: {
      '@shiftline/client': fileURLToPath(new URL('../../packages/client/src/index.ts', import.meta.url)),
    },
  },
});
