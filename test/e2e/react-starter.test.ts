/**
 * The React starter (examples/react) in headless Chromium against the twin: served by Vite from
 * another origin, it logs in through the form, lists contracts, and a message sent from the
 * chat comes back live over the WebSocket, with no CORS error in the console.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../scripts/seed.ts';
import { openPage } from './support/chromium.ts';
import { eventually, twin } from './support/twin.ts';

const STARTER = resolve(import.meta.dirname, '../../examples/react');
let server: import('vite').ViteDevServer;
let appUrl: string;

beforeAll(async () => {
  const { createServer } = await import('vite');
  server = await createServer({
    root: STARTER,
    configFile: resolve(STARTER, 'vite.config.ts'),
    logLevel: 'warn',
    server: { host: '127.0.0.1', port: 0 },
  });
  await server.listen();
  appUrl = server.resolvedUrls?.local[0] ?? '';
});
afterAll(() => server?.close());

// React reads what the user typed from input events: set the value as typing would.
const fillAndSubmit = (email: string, password: string) => `(() => {
  const set = (name, value) => {
    const input = document.querySelector('input[name="' + name + '"]');
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  };
  set('email', ${JSON.stringify(email)});
  set('password', ${JSON.stringify(password)});
  document.querySelector('form button[type="submit"]').click();
  return true;
})()`;

const sendFromChat = (body: string) => `(() => {
  const input = document.querySelector('input[name="body"]');
  Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, ${JSON.stringify(body)});
  input.dispatchEvent(new Event('input', { bubbles: true }));
  input.form.requestSubmit();
  return true;
})()`;

describe('the React starter', () => {
  it('logs in, lists contracts and chats live in a browser, with no CORS error', async () => {
    // Prepare
    const query = new URLSearchParams({ api: twin().urls.api, ws: twin().urls.ws });
    const page = await openPage(`${appUrl}?${query}`);
    try {
      await expect.poll(() => page.evaluate('!!document.querySelector("form")'), eventually).toBe(true);

      // Act
      await page.evaluate(fillAndSubmit('staff@shiftline.test', DEMO_PASSWORD));
      await expect
        .poll(() => page.evaluate('document.querySelector("#signed-in")?.textContent ?? ""'), eventually)
        .not.toBe('');
      await expect
        .poll(() => page.evaluate('document.querySelectorAll("#contracts li").length'), eventually)
        .toBeGreaterThan(0);
      await expect
        .poll(() => page.evaluate('document.querySelectorAll("select option").length'), eventually)
        .toBeGreaterThan(0);
      // Every conversation of the demo staff member is with the demo recruiter: named, not an id.
      const conversationLabel = await page.evaluate<string>(
        'document.querySelector("select")?.textContent ?? ""',
      );
      const body = `From the starter ${Date.now()}`;
      await page.evaluate(sendFromChat(body));

      // Assess
      await expect
        .poll(() => page.evaluate('document.querySelector("#messages")?.textContent ?? ""'), eventually)
        .toContain(`Sam Staff: ${body}`);
      expect(conversationLabel).toContain('Riley Recruiter');
      expect(page.console.filter((line) => /CORS|Access-Control/i.test(line))).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
