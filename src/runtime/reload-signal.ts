import type { ReloadOutcome } from '../config/live.js';
import type { Logger } from '../infra/logger.js';

/**
 * SIGHUP re-reads the config: the log line names the keys now in effect and those that need
 * a restart; an invalid config is logged and the running one stays. Without a handler, SIGHUP
 * would end the process. Returns the function that removes the handler.
 */
export function reloadOnSighup(reload: () => ReloadOutcome, logger: Logger): () => void {
  const onReload = () => {
    try {
      const { applied, needsRestart } = reload();
      logger.info({ applied, needsRestart }, 'config reloaded');
    } catch (error) {
      logger.error(
        { err: error instanceof Error ? error.message : String(error) },
        'config reload refused; keeping the running config',
      );
    }
  };
  process.on('SIGHUP', onReload);
  return () => process.off('SIGHUP', onReload);
}
