import type { SeckillDeps, SeckillModule } from '../seckill/module.js';

/**
 * What the express app is built from: real connections in serve and in tests alike. The
 * same connections the flash sale is built from, plus that module once built.
 */
export interface AppDeps extends SeckillDeps {
  /** The flash sale (routes, hot path); built per instance by createSeckill(). */
  seckill?: SeckillModule;
}
