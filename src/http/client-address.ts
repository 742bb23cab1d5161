import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';

/** Which hops are trusted proxies: express's compiled `server.trust_proxy` ('trust proxy fn'). */
export type TrustProxy = (address: string, hop: number) => boolean;

/**
 * The client's address as express's `req.ip` gives it, for the lean handler that answers
 * before express: the same proxy-addr call with the trust function express compiled from
 * `server.trust_proxy`, so the two handlers cannot read the setting differently.
 */
export function clientAddressReader(trust: TrustProxy): (req: IncomingMessage) => string {
  return (req) => proxyAddr(req, trust);
}
