import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Where a webhook may point. Without `allowPrivate`, any address that is not public internet is refused:
 * loopback, private (RFC 1918, unique-local), link-local (cloud metadata at 169.254.169.254), CGNAT,
 * multicast, reserved, unspecified, and IPv4-mapped IPv6 forms of them — so a tenant cannot use the
 * delivery worker to reach the cluster's internals (SSRF).
 */
const blocked = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const)
  blocked.addSubnet(net, bits, 'ipv6');

/** True for every address a webhook must not reach unless private targets are allowed. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family !== 6) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blocked.check(mapped[1]!, 'ipv4');
  return blocked.check(address, 'ipv6');
}

export interface TargetPolicy {
  /** WEBHOOKS_ALLOW_PRIVATE_TARGETS */
  allowPrivate: boolean;
  /** production: only https */
  requireHttps: boolean;
}

/** Why `url` may not be a webhook target, or null when it may (its host resolves to public addresses). */
export async function refuseTarget(url: string, policy: TargetPolicy): Promise<string | null> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be an absolute URL';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'must be an http(s) URL';
  if (policy.requireHttps && parsed.protocol !== 'https:') return 'must use https';
  if (parsed.username || parsed.password) return 'must not carry credentials';
  if (policy.allowPrivate) return null;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  let addresses: LookupAddress[];
  try {
    addresses = isIP(host)
      ? [{ address: host, family: isIP(host) }]
      : await new Promise((resolve, reject) =>
          dnsLookup(host, { all: true }, (err, all) => (err ? reject(err) : resolve(all))),
        );
  } catch {
    return 'host does not resolve';
  }
  if (!addresses.length) return 'host does not resolve';
  if (addresses.some((a) => isPrivateAddress(a.address)))
    return 'resolves to a private, loopback or link-local address';
  return null;
}

/**
 * A DNS lookup for outgoing deliveries that fails on private addresses: checked on the address actually
 * connected to, so a name that resolved publicly when the webhook was saved cannot be re-pointed inside
 * (DNS rebinding).
 */
export function guardedLookup(policy: TargetPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const bad = !policy.allowPrivate && addresses.find((a) => isPrivateAddress(a.address));
      if (bad || !addresses.length)
        return callback(
          Object.assign(new Error(`refused: ${hostname} resolves to a private address`), {
            code: 'EPRIVATETARGET',
          }),
          '',
          0,
        );
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}
