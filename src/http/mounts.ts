/**
 * Where createApp mounts each module's router. The OpenAPI paths are built from this table
 * and test/integration/openapi.test.ts reads it to name the routers it finds in the app, so
 * a prefix cannot change in one place and not the other.
 */
export const MOUNTS = {
  user: '/api/user',
  product: '/api/product',
  cart: '/api/cart',
  order: '/api/order',
  seckill: '/api/seckill',
  admin: '/api/admin',
  payment: '/api/payment',
  docs: '/swagger',
} as const;
