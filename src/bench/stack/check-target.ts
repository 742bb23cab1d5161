// --target: the bench prepares through this machine's config, so before any load make sure
// the target shares it: it must accept the bench's tokens (same jwt.secret and users table)
// and see the run's sale (same MySQL and Redis).
import type { Buyer } from '../prepare/buyers.js';

export async function checkTarget(
  baseUrl: string,
  buyer: Buyer,
  seckillProduct: number | null,
): Promise<void> {
  const get = async (path: string, token?: string) => {
    try {
      const res = await fetch(`${baseUrl}${path}`, {
        headers: token ? { Authorization: `Bearer ${token}` } : {},
        signal: AbortSignal.timeout(5000),
      });
      await res.body?.cancel();
      return res.status;
    } catch (error) {
      const why = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new Error(`--target ${baseUrl}: no answer to GET ${path} (${why})`);
    }
  };
  const profile = await get('/api/user/profile', buyer.token);
  if (profile === 401 || profile === 404) {
    throw new Error(
      `--target ${baseUrl} refused a bench buyer's token (${profile}): it must use this config's jwt.secret and database`,
    );
  }
  if (seckillProduct === null) return;
  const sale = await get(`/api/seckill/${seckillProduct}`);
  if (sale === 404) {
    throw new Error(
      `--target ${baseUrl} does not see the sale of product ${seckillProduct}: it must use this config's MySQL and Redis (and redis.key_prefix)`,
    );
  }
}
