import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';
import type { Config } from '../config/schema.js';

/**
 * The client's address as express's `req.ip` gives it under `server.trust_proxy`, for the
 * lean handler that answers before express: the same setting read the same way
 * (true: every hop; a number: that many hops; a string: the trusted addresses or subnets).
 */
export function clientAddressReader(
  trustProxy: Config['server']['trust_proxy'],
): (req: IncomingMessage) => string {
  const trust = compileTrust(trustProxy);
  return (req) => proxyAddr(req, trust);
}

function compileTrust(
  value: Config['server']['trust_proxy'],
): (addr: string, i: number) => boolean {
  if (value === true) return () => true;
  if (value === false) return () => false;
  if (typeof value === 'number') return (_addr, i) => i < value;
  return proxyAddr.compile(value.split(',').map((part) => part.trim()));
}
