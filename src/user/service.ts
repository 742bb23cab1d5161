import type { JwtCodec, IssuedToken, Role } from '../auth/jwt.js';
import { conflict, notFound, unauthorized } from '../errors/domain-error.js';
import { HashGate } from './hash-gate.js';
import { checkPassword, DECOY_HASH, hashPassword } from './password.js';
import type { UserRepository, UserRow } from './repository.js';
import type { Registration } from './schemas.js';

/** A user as the API shows it: never the password hash. */
export interface PublicUser {
  id: number;
  username: string;
  email: string | null;
  role: Role;
  created_at: string;
}

export function publicUser(row: UserRow): PublicUser {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    role: row.role,
    created_at: new Date(row.created_at).toISOString(),
  };
}

function isDuplicate(error: unknown): boolean {
  return (error as { code?: string }).code === 'ER_DUP_ENTRY';
}

export class UserService {
  constructor(
    private readonly users: UserRepository,
    private readonly jwt: JwtCodec,
    /** Caps the hashes in flight; the CLI creates users one at a time and needs none. */
    private readonly hashes = new HashGate(() => null),
  ) {}

  async register(input: Registration, role: Role = 'user'): Promise<PublicUser> {
    const password_hash = await this.hashes.run(() => hashPassword(input.password));
    try {
      const id = await this.users.insert({
        username: input.username,
        email: input.email ?? null,
        password_hash,
        role,
      });
      return publicUser((await this.users.findById(id))!);
    } catch (error) {
      if (isDuplicate(error)) throw conflict(`username: "${input.username}" is taken`);
      throw error;
    }
  }

  async login(username: string, password: string): Promise<IssuedToken & { user: PublicUser }> {
    const row = await this.users.findByUsername(username);
    const matches = await this.hashes.run(() =>
      checkPassword(password, row?.password_hash ?? DECOY_HASH),
    );
    if (!row || !matches) throw unauthorized('wrong username or password');
    return { ...this.jwt.sign({ id: row.id, role: row.role }), user: publicUser(row) };
  }

  async profile(id: number): Promise<PublicUser> {
    const row = await this.users.findById(id);
    if (!row) throw notFound('user not found');
    return publicUser(row);
  }
}
