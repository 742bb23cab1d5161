import type { Knex } from '../infra/db.js';
import type { Role } from '../auth/jwt.js';

export interface UserRow {
  id: number;
  username: string;
  email: string | null;
  password_hash: string;
  role: Role;
  created_at: Date;
}

export class UserRepository {
  constructor(private readonly db: Knex) {}

  findByUsername(username: string): Promise<UserRow | undefined> {
    return this.db<UserRow>('users').where({ username }).first();
  }

  findById(id: number): Promise<UserRow | undefined> {
    return this.db<UserRow>('users').where({ id }).first();
  }

  /** Inserts and returns the new id; a taken username surfaces as ER_DUP_ENTRY. */
  async insert(user: {
    username: string;
    email: string | null;
    password_hash: string;
    role: Role;
  }): Promise<number> {
    const [id] = await this.db('users').insert(user);
    return Number(id);
  }
}
