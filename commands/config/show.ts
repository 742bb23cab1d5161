import { BaseCommand } from '../../src/cli/base-command.js';
import { withExitCodes } from '../../src/cli/exit-codes.js';
import { maskSecrets } from '../../src/config/mask.js';
import type { Config } from '../../src/config/schema.js';
import { stringify } from 'yaml';

export default class ConfigShow extends BaseCommand<typeof ConfigShow> {
  static override summary = 'Print the effective config, secrets masked.';
  static override description = withExitCodes(
    'Shows the result of all layers: conf/config.yaml, conf/config-<env>.yaml, --config, GOMALL_* variables.',
  );
  static override examples = [
    '<%= config.bin %> config show',
    'GOMALL_SERVER__PORT=9000 <%= config.bin %> config show --env prod --json',
  ];
  static override enableJsonFlag = true;

  async run(): Promise<Config> {
    const masked = maskSecrets(this.settings);
    this.log(stringify(masked).trimEnd());
    return masked;
  }
}
