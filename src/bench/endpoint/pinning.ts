// Where the endpoint bench runs the server and the load tool: on two different CPUs when the
// machine has two or more and taskset is installed, so the load tool does not take the
// server's CPU (MariaDB, Redis and RabbitMQ are not pinned and share them all).
import { availableParallelism } from 'node:os';
import { findOnPath } from '../../infra/find-on-path.js';

export interface Pinning {
  /** taskset -c lists; undefined when not pinned. */
  server: string | undefined;
  load: string | undefined;
  note: string;
}

export function pinning(): Pinning {
  const cpus = availableParallelism();
  if (cpus < 2) return { server: undefined, load: undefined, note: 'not pinned (one CPU)' };
  if (findOnPath('taskset') === null)
    return { server: undefined, load: undefined, note: 'not pinned (taskset is not installed)' };
  return { server: '0', load: '1', note: 'server on CPU 0, load tool on CPU 1 (taskset)' };
}
