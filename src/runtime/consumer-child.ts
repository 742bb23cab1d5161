import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { Logger } from '../infra/logger.js';

/** Pause before starting a consumer that died, so a broken config or an absent broker does not spin. */
const RESTART_DELAY_MS = 2000;

export interface ConsumerChild {
  /** Sends the signal (once) and resolves with the consumer's exit code; later calls share it. */
  stop(signal?: NodeJS.Signals): Promise<number>;
}

/**
 * `serve --with-consumer`: runs `gomall consume` as a child process with the same config
 * flags, node options and stdout, so both logs are one stream of JSON lines told apart by
 * `name` (serve / consume) and `pid`. A process of its own keeps a batch transaction from
 * stalling the API's event loop. SIGTERM and SIGINT sent to serve reach the consumer too
 * (Ctrl-C reaches both anyway; `make stop` signals serve alone); a consumer that dies
 * unexpectedly is started again.
 */
export function startConsumerChild(configArgs: string[], logger: Logger): ConsumerChild {
  let child: ChildProcess;
  let stopped: Promise<number> | undefined;
  let restartTimer: NodeJS.Timeout | undefined;

  const start = () => {
    // execArgv carries --import tsx when serve itself runs from source (bin/dev.js).
    const args = [...process.execArgv, process.argv[1]!, 'consume', ...configArgs];
    child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    logger.info({ consumer: child.pid }, 'order consumer started');
    child.once('exit', (code, signal) => {
      if (stopped) return;
      logger.error({ consumer: child.pid, code, signal }, 'order consumer died; starting another');
      restartTimer = setTimeout(start, RESTART_DELAY_MS);
    });
  };

  const stop = (signal: NodeJS.Signals = 'SIGTERM'): Promise<number> => {
    stopped ??= (async () => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      clearTimeout(restartTimer);
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode ?? 1;
      const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
      child.kill(signal);
      const [code] = await exited;
      logger.info({ consumer: child.pid, code }, 'order consumer stopped');
      return code ?? 1;
    })();
    return stopped;
  };

  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  start();
  return { stop };
}
