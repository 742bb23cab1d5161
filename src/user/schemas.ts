import { z } from 'zod';

const username = z
  .string()
  .min(3)
  .max(64)
  .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only');

export const registration = z.object({
  username,
  password: z.string().min(6).max(72),
  email: z.string().email().max(255).optional(),
});

/** Login checks shape only: a malformed name is just a wrong credential. */
export const credentials = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(200),
});

export type Registration = z.infer<typeof registration>;
