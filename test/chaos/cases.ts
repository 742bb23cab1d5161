// The faults, one per case. Each `inject` does the whole fault and the runner's part of the
// recovery (restarting a killed process, bringing a service back); the system must do the rest.
import type { ChaosStack } from './stack.js';

export interface FaultCase {
  name: string;
  /** Stops or drops the broker: needs a RabbitMQ node of its own. */
  ownRabbit: boolean;
  inject(stack: ChaosStack): Promise<void>;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const CASES: FaultCase[] = [
  {
    name: 'consumer SIGKILL mid-drain',
    ownRabbit: false,
    async inject(stack) {
      await stackKill(stack, 'consume');
      await pause(1000);
      await stack.startConsume();
    },
  },
  {
    name: 'server SIGKILL mid-load',
    ownRabbit: false,
    async inject(stack) {
      await stackKill(stack, 'serve');
      await stack.startServe();
    },
  },
  {
    name: 'broker connections dropped',
    ownRabbit: true,
    async inject(stack) {
      await stack.rabbit!.ctl('close_all_connections', 'chaos');
    },
  },
  {
    name: 'broker stop_app 5 s / start_app',
    ownRabbit: true,
    async inject(stack) {
      await stack.rabbit!.ctl('stop_app');
      await pause(5000);
      await stack.rabbit!.ctl('start_app');
    },
  },
  {
    name: 'Redis SIGKILL, restarted from AOF',
    ownRabbit: false,
    async inject(stack) {
      await stack.redis.kill();
      await pause(2000);
      await stack.redis.up();
    },
  },
  {
    name: 'Redis restarted empty',
    ownRabbit: false,
    async inject(stack) {
      await stack.redis.kill();
      await stack.redis.wipe();
      await stack.redis.up();
    },
  },
];

async function stackKill(stack: ChaosStack, which: 'serve' | 'consume'): Promise<void> {
  await stack.kill(which);
}
