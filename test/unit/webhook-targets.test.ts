import { describe, expect, it } from 'vitest';
import { checkedLookup } from '../../shared/data/webhook-sender.ts';
import { refusedAddress, refusedUrl } from '../../shared/domain/webhooks/targets.ts';

const AWS = { allowLocal: false };
const TWIN = { allowLocal: true };

describe('webhook targets (SSRF)', () => {
  it.each([
    ['10.1.2.3'],
    ['172.20.0.1'],
    ['192.168.1.1'],
    ['169.254.169.254'],
    ['100.64.0.1'],
    ['0.0.0.0'],
    ['127.0.0.1'],
    ['::1'],
    ['fe80::1'],
    ['fd00::1'],
    ['::ffff:10.0.0.1'],
    ['::ffff:169.254.169.254'],
  ])('refuses %s in AWS', (address) => {
    // Act
    const refusal = refusedAddress(address, AWS);

    // Assess
    expect(refusal).toBeDefined();
  });

  it.each([['93.184.216.34'], ['8.8.8.8'], ['2606:4700:4700::1111']])(
    'allows the public address %s',
    (address) => {
      // Act
      const refusal = refusedAddress(address, AWS);

      // Assess
      expect(refusal).toBeUndefined();
    },
  );

  it('allows loopback only in the twin, where other private ranges stay refused', () => {
    // Act
    const outcomes = ['127.0.0.1', '::1', '10.0.0.1', '169.254.169.254'].map((address) =>
      refusedAddress(address, TWIN),
    );

    // Assess
    expect(outcomes.map((refusal) => refusal === undefined)).toEqual([true, true, false, false]);
  });

  it.each([
    ['http://hooks.example.org/x', AWS, 'https only'],
    ['https://localhost/x', AWS, 'a loopback address'],
    ['https://127.0.0.1/x', AWS, 'a loopback address'],
    ['https://[fe80::1]/x', AWS, 'a private, link-local or reserved address'],
    ['https://169.254.169.254/latest/meta-data', AWS, 'a private, link-local or reserved address'],
    ['https://user:pw@hooks.example.org/x', AWS, 'no credentials in the URL'],
    ['ftp://localhost/x', TWIN, 'http or https only'],
    ['http://10.0.0.1/x', TWIN, 'a private, link-local or reserved address'],
  ])('refuses the URL %s', (url, rules, reason) => {
    // Act
    const refusal = refusedUrl(url, rules);

    // Assess
    expect(refusal).toBe(reason);
  });

  it.each([
    ['https://hooks.example.org/x', AWS],
    ['http://localhost:4000/x', TWIN],
    ['http://127.0.0.1:4000/x', TWIN],
  ])('accepts the URL %s', (url, rules) => {
    // Act
    const refusal = refusedUrl(url, rules);

    // Assess
    expect(refusal).toBeUndefined();
  });

  it('refuses a name that resolves to a private address at connection time (DNS checked)', async () => {
    // Prepare
    const lookup = checkedLookup(AWS);

    // Act
    const error = await new Promise<Error | null>((resolve) =>
      lookup('localhost', { all: true }, (e) => resolve(e)),
    );

    // Assess
    expect(error?.name).toBe('TargetRefused');
  });

  it('resolves a loopback name in the twin', async () => {
    // Prepare
    const lookup = checkedLookup(TWIN);

    // Act
    const address = await new Promise<unknown>((resolve) =>
      lookup('localhost', {}, (error, value) => resolve(error ?? value)),
    );

    // Assess
    expect(String(address)).toMatch(/^(127\.0\.0\.1|::1)$/);
  });
});
