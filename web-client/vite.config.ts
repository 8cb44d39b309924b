/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The built client is served by usher itself (USHER_WEB_ROOT, default web-client/dist) at `/`,
// with the API and the WebSocket on the same origin. `npm run dev` proxies them to a local usher.
const usher = process.env.USHER_URL ?? 'http://127.0.0.1:8000';

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/api': { target: usher, ws: true },
      '/ws': { target: usher, ws: true },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
  },
});
