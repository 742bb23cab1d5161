import { BaseCommand } from '../../src/cli/base-command.js';
import { withExitCodes } from '../../src/cli/exit-codes.js';
import { pidFilePath, readPidFile } from '../../src/runtime/pid-file.js';

export interface ReloadResult {
  pid: number;
  pid_file: string;
  signal: 'SIGHUP';
}

export default class ConfigReload extends BaseCommand<typeof ConfigReload> {
  static override summary = 'Tell the running server to re-read its config (SIGHUP).';
  static override description = withExitCodes(
    'Checks the config first (an invalid one is reported here, exit 2, and nothing is sent), then sends SIGHUP to the process named in server.pid_file. The server re-reads the same layers it started with and applies what can change live (log level, rate limits, seckill tunables, cache TTLs); it logs what changed and what needs a restart, and keeps the old config when the new one is invalid. With --workers, every worker reloads.',
    'no running server (pid file missing, stale) or it cannot be signalled',
  );
  static override examples = [
    '<%= config.bin %> config reload',
    '<%= config.bin %> config reload --env prod --json',
  ];
  static override enableJsonFlag = true;

  async run(): Promise<ReloadResult> {
    const configured = this.settings.server.pid_file;
    const path = pidFilePath(configured);
    const pid = readPidFile(configured);
    if (pid === null) throw new Error(`no running server: ${path} is missing or empty`);
    try {
      process.kill(pid, 'SIGHUP');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new Error(
        code === 'ESRCH'
          ? `no process ${pid} (stale pid file ${path})`
          : `cannot signal ${pid}: ${code ?? String(error)}`,
      );
    }
    this.log(`sent SIGHUP to ${pid}; the server logs what it applied`);
    return { pid, pid_file: path, signal: 'SIGHUP' };
  }
}
