/**
 * Debian's headless Chromium driven over the DevTools protocol: open a page, collect what its
 * console and network log say (CORS refusals are logged there), and read a value the page sets.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import WebSocket from 'ws';

export interface BrowserPage {
  /** Console messages and browser log entries (errors included) seen so far. */
  console: string[];
  /** Evaluates an expression in the page and returns its JSON value. */
  evaluate: <T>(expression: string) => Promise<T>;
  close: () => Promise<void>;
}

const devToolsUrl = (child: ChildProcess) =>
  new Promise<string>((resolve, reject) => {
    let output = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const found = /DevTools listening on (ws:\/\/\S+)/.exec(output);
      if (found?.[1]) resolve(found[1]);
    });
    child.once('exit', (code) => reject(new Error(`chromium exited (${code}): ${output}`)));
  });

/** Opens `url` in a fresh headless Chromium (no network beyond this machine, no profile reuse). */
export const openPage = async (url: string): Promise<BrowserPage> => {
  const profile = mkdtempSync(join(tmpdir(), 'shiftline-chromium-'));
  const child = spawn('chromium', [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    `--user-data-dir=${profile}`,
    '--remote-debugging-port=0',
    'about:blank',
  ]);
  const browserUrl = await devToolsUrl(child);
  const { port } = new URL(browserUrl);
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{
    type: string;
    webSocketDebuggerUrl: string;
  }>;
  const target = targets.find((candidate) => candidate.type === 'page');
  if (!target) throw new Error('chromium opened no page');
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve) => socket.once('open', resolve));

  const consoleLines: string[] = [];
  const pending = new Map<number, (result: unknown) => void>();
  let nextId = 0;
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as {
      id?: number;
      method?: string;
      params?: { type?: string; args?: Array<{ value?: unknown }>; entry?: { level: string; text: string } };
      result?: unknown;
    };
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
    if (message.method === 'Runtime.consoleAPICalled')
      consoleLines.push(
        `${message.params?.type}: ${message.params?.args?.map((arg) => arg.value).join(' ')}`,
      );
    if (message.method === 'Log.entryAdded')
      consoleLines.push(`${message.params?.entry?.level}: ${message.params?.entry?.text}`);
  });
  const send = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<unknown>((resolve) => {
      nextId += 1;
      pending.set(nextId, resolve);
      socket.send(JSON.stringify({ id: nextId, method, params }));
    });

  await send('Runtime.enable');
  await send('Log.enable');
  await send('Page.navigate', { url });
  return {
    console: consoleLines,
    evaluate: async <T>(expression: string) => {
      const result = (await send('Runtime.evaluate', { expression, returnByValue: true })) as {
        result: { value?: T };
      };
      return result.result.value as T;
    },
    close: async () => {
      socket.close();
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      // Chromium's helper processes may still be writing into the profile for a moment after the
      // browser exits (ENOTEMPTY): retry as rm -rf would be retried by hand.
      rmSync(profile, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
    },
  };
};

/** Chromium run once per call (`--dump-dom`, screenshots), for pages the twin serves (the /docs and GraphiQL playgrounds). */
const run = promisify(execFile);

export const headlessChromium = () => {
  const profile = mkdtempSync(join(tmpdir(), 'shiftline-chromium-'));
  // These machines have no network beyond package registries: keep Chromium from calling home.
  const chromium = (...args: string[]) =>
    run(
      'chromium',
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        `--user-data-dir=${profile}`,
        '--virtual-time-budget=15000',
        ...args,
      ],
      { maxBuffer: 64 * 1024 * 1024, timeout: 60_000 },
    );
  return { chromium, close: () => rmSync(profile, { recursive: true, force: true }) };
};
