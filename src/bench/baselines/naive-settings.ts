import type { Config } from '../../config/schema.js';
import type { NaiveTables } from './naive-tables.js';

/** The naive sale server's settings travel in this variable (not in its process arguments). */
export const SETTINGS_VAR = 'GOMALL_BASELINE_SETTINGS';

export interface NaiveSettings {
  database: Config['database'];
  jwt: Config['jwt'];
  tables: NaiveTables;
}
