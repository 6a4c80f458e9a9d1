/** Every migration in order. Released ones are never edited; alerts, jobs and models add 002, 003, ... here. */
import { migration001 } from './001-core.js';
import { migration002 } from './002-alerting.js';
import { migration003 } from './003-jobs.js';
import { migration004 } from './004-lean-ingest.js';
import { migration005 } from './005-scores-table.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005];
