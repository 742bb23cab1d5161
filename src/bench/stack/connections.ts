// The bench's own connections to the services it checks: infra for the sale's data and one
// broker connection for the orders queue's depth.
import type { Config } from '../../config/schema.js';
import { createLogger } from '../../infra/logger.js';
import { openInfra, type Infra } from '../../runtime/infra.js';
import { QueueProbe } from '../drain/queue-probe.js';

export interface BenchConnections {
  infra: Infra;
  probe: QueueProbe;
}

/** Opens both, or neither: infra is closed again when the probe cannot connect. */
export async function openBenchConnections(config: Config): Promise<BenchConnections> {
  const infra = await openInfra(config, createLogger({ level: 'silent' }), {
    waitForBroker: false,
  });
  try {
    return { infra, probe: await QueueProbe.open(config) };
  } catch (error) {
    await infra.close();
    throw error;
  }
}
