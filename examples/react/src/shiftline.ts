/**
 * The one client of the app. The API and WebSocket URLs default to `npm start`'s twin; a
 * `?api=…&ws=…` query (the browser test's) or VITE_API_URL / VITE_WS_URL point elsewhere.
 */
import { createShiftlineClient } from '@shiftline/client';

const query = new URLSearchParams(window.location.search);

export const shiftline = createShiftlineClient({
  baseUrl: query.get('api') ?? import.meta.env.VITE_API_URL ?? 'http://localhost:3000',
  wsUrl: query.get('ws') ?? import.meta.env.VITE_WS_URL ?? 'ws://localhost:3001',
  onSignedOut: () => window.location.reload(),
});
