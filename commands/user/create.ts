import { Flags } from '@oclif/core';
import { createJwtCodec } from '../../src/auth/jwt.js';
import { BaseCommand } from '../../src/cli/base-command.js';
import { withExitCodes } from '../../src/cli/exit-codes.js';
import { withDb } from '../../src/cli/with-infra.js';
import { parseInput } from '../../src/validation/parse-input.js';
import { UserRepository } from '../../src/user/repository.js';
import { registration } from '../../src/user/schemas.js';
import { UserService, type PublicUser } from '../../src/user/service.js';

export default class UserCreate extends BaseCommand<typeof UserCreate> {
  static override summary = 'Create a user; --admin makes an administrator.';
  static override description = withExitCodes(
    'The password is read from --password or, safer, from the GOMALL_USER_PASSWORD environment variable so it stays out of shell history.',
    'bad input, the name is taken, or MySQL is unreachable',
  );
  static override examples = [
    'GOMALL_USER_PASSWORD=s3cret-pass <%= config.bin %> user create --username alice --admin',
    '<%= config.bin %> user create --username bob --password bobs-pass --email bob@example.com --json',
  ];
  static override enableJsonFlag = true;
  static override flags = {
    username: Flags.string({
      char: 'u',
      required: true,
      description: 'Login name (3-64 of A-Z a-z 0-9 _ . -)',
    }),
    password: Flags.string({
      char: 'p',
      env: 'GOMALL_USER_PASSWORD',
      required: true,
      description: 'Password, 6-72 characters',
    }),
    email: Flags.string({ description: 'E-mail address' }),
    admin: Flags.boolean({ description: 'Give the user the admin role' }),
  };

  async run(): Promise<PublicUser> {
    const input = parseInput(registration, {
      username: this.flags.username,
      password: this.flags.password,
      ...(this.flags.email ? { email: this.flags.email } : {}),
    });
    return withDb(this.settings, async (db) => {
      const service = new UserService(new UserRepository(db), createJwtCodec(this.settings.jwt));
      const user = await service.register(input, this.flags.admin ? 'admin' : 'user');
      this.log(`created ${user.role} ${user.username} (id ${user.id})`);
      return user;
    });
  }
}
