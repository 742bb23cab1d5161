import { Router } from 'express';
import { caller, requireUser } from '../http/auth.js';
import type { AppDeps } from '../http/deps.js';
import { send } from '../http/envelope.js';
import { parseInput } from '../validation/parse-input.js';
import { HashGate } from './hash-gate.js';
import { UserRepository } from './repository.js';
import { credentials, registration } from './schemas.js';
import { UserService } from './service.js';

export function userRoutes({ db, jwt, config }: AppDeps): Router {
  // Reads the live config: a reload changes the cap, and ratelimit.enabled: false lifts it.
  const hashes = new HashGate(() =>
    config.ratelimit.enabled ? config.ratelimit.max_password_hashes : null,
  );
  const service = new UserService(new UserRepository(db), jwt, hashes);
  const router = Router();

  router.post('/register', async (req, res) => {
    const input = parseInput(registration, req.body);
    const user = await service.register(input);
    send(res, 201, { id: user.id, username: user.username }, 'registered');
  });

  router.post('/login', async (req, res) => {
    const input = parseInput(credentials, req.body);
    send(res, 200, await service.login(input.username, input.password));
  });

  router.get('/profile', requireUser, async (req, res) => {
    send(res, 200, await service.profile(caller(req).id));
  });

  return router;
}
