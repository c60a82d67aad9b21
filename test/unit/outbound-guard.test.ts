/**
 * The primary sources' outbound guard (shared/data/outbound.ts): in AWS only https to public
 * addresses, judged on the URL and on every address its name resolves to (DNS answered here by
 * a fake resolver); the twin allows http and loopback for its stubs, nothing else private.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fetchText, primarySourceRules } from '#data/outbound.ts';
import { DependencyUnavailable } from '#domain/errors.ts';

const ANSWERS: Record<string, string> = {
  'private.example.test': '10.0.0.5',
  'metadata.example.test': '169.254.169.254',
  'loop.example.test': '127.0.0.1',
};

vi.mock('node:dns', async (original) => {
  const dns = await original<typeof import('node:dns')>();
  const lookup = (hostname: string, options: object, callback: (...args: unknown[]) => void) => {
    const address = ANSWERS[hostname];
    if (address === undefined) return dns.lookup(hostname, options as never, callback as never);
    return callback(null, [{ address, family: 4 }]);
  };
  return { ...dns, default: { ...dns, lookup }, lookup };
});

const AWS = { allowLocal: false };
const TWIN = { allowLocal: true };

/** The refusal's text: the guard's own, or the resolver's (carried as the cause). */
const refusalOf = async (url: string, rules: { allowLocal: boolean }) => {
  const error = await fetchText(new URL(url), 1_000, undefined, rules).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(DependencyUnavailable);
  const cause = (error as Error).cause as Error | undefined;
  return `${(error as Error).message}${cause ? ` / ${cause.name}` : ''}`;
};

let requests = 0;
let port = 0;
const server = createServer((_request, response) => {
  requests += 1;
  response.end('{"ok":true}');
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('the primary sources outbound guard', () => {
  it('refuses in AWS http, loopback, private and link-local targets, by address or by name', async () => {
    // Act
    const refusals = await Promise.all(
      [
        `http://npiregistry.cms.hhs.gov/api/`,
        `https://127.0.0.1:${port}/`,
        'https://[::1]/',
        'https://localhost/',
        'https://169.254.169.254/latest/meta-data/',
        'https://10.1.2.3/',
        'https://[::ffff:192.168.1.1]/',
        'https://private.example.test/api/',
        'https://metadata.example.test/latest/meta-data/',
        `https://loop.example.test:${port}/`,
      ].map((url) => refusalOf(url, AWS)),
    );

    // Assess
    expect(refusals).toEqual([
      'npiregistry.cms.hhs.gov refused: https only',
      `127.0.0.1:${port} refused: a loopback address`,
      '[::1] refused: a loopback address',
      'localhost refused: a loopback address',
      '169.254.169.254 refused: a private, link-local or reserved address',
      '10.1.2.3 refused: a private, link-local or reserved address',
      '[::ffff:c0a8:101] refused: a private, link-local or reserved address',
      'private.example.test unreachable / TargetRefused',
      'metadata.example.test unreachable / TargetRefused',
      `loop.example.test:${port} unreachable / TargetRefused`,
    ]);
    expect(requests).toBe(0);
  });

  it('lets the twin reach loopback (its stubs), by address or by name, and nothing else private', async () => {
    // Act
    const byAddress = await fetchText(new URL(`http://127.0.0.1:${port}/`), 1_000, undefined, TWIN);
    const byName = await fetchText(new URL(`http://loop.example.test:${port}/`), 1_000, undefined, TWIN);
    const privateName = await refusalOf(`http://private.example.test:${port}/`, TWIN);
    const linkLocal = await refusalOf('http://169.254.169.254/latest/meta-data/', TWIN);

    // Assess
    expect([byAddress, byName]).toEqual(['{"ok":true}', '{"ok":true}']);
    expect(privateName).toBe(`private.example.test:${port} unreachable / TargetRefused`);
    expect(linkLocal).toBe('169.254.169.254 refused: a private, link-local or reserved address');
    expect(requests).toBe(2);
  });

  it('takes the twin rules only from PRIMARY_SOURCE_LOCAL_TARGETS', () => {
    // Act
    const unset = primarySourceRules();
    vi.stubEnv('PRIMARY_SOURCE_LOCAL_TARGETS', 'true');
    const twin = primarySourceRules();
    vi.unstubAllEnvs();

    // Assess
    expect([unset, twin]).toEqual([AWS, TWIN]);
  });
});
