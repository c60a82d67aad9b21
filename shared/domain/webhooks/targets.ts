/**
 * Which webhook targets may be called (SSRF): in AWS only https, and never an address inside
 * private, loopback, link-local (the instance metadata service), CGNAT, multicast or reserved
 * ranges — checked on every address the name resolves to, at connection time. The twin allows
 * http and loopback so tests can run local receivers; other private ranges stay refused there.
 */
import { BlockList, isIP } from 'node:net';

export interface TargetRules {
  /** The twin: http allowed, and loopback addresses (localhost). */
  allowLocal: boolean;
}

const refused = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  refused.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  refused.addSubnet(network, prefix, 'ipv6');
}

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** IPv4-mapped IPv6 (`::ffff:10.0.0.1`) is judged as the IPv4 address it carries. */
const unmapped = (address: string): { address: string; family: 'ipv4' | 'ipv6' } => {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return { address: mapped[1], family: 'ipv4' };
  return { address, family: isIP(address) === 6 ? 'ipv6' : 'ipv4' };
};

/** Why an address may not be called, or undefined when it may. */
export const refusedAddress = (raw: string, rules: TargetRules): string | undefined => {
  if (isIP(raw) === 0) return 'not an IP address';
  const { address, family } = unmapped(raw);
  if (loopback.check(address, family)) return rules.allowLocal ? undefined : 'a loopback address';
  return refused.check(address, family) ? 'a private, link-local or reserved address' : undefined;
};

/** Why a URL may not be registered or called, before any name is resolved; undefined when it may. */
export const refusedUrl = (text: string, rules: TargetRules): string | undefined => {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'https:' && !(rules.allowLocal && url.protocol === 'http:'))
    return rules.allowLocal ? 'http or https only' : 'https only';
  if (url.username !== '' || url.password !== '') return 'no credentials in the URL';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0) return refusedAddress(host, rules);
  if (host === 'localhost' || host.endsWith('.localhost'))
    return rules.allowLocal ? undefined : 'a loopback address';
  return undefined;
};
