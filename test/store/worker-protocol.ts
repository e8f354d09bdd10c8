/** What the test process and store-worker.ts processes share: the task, the result, the test keys. */
import { createHash } from 'node:crypto';
import type { ApiKey } from '../../src/domain/api-key.js';

export type WorkerTask = {
  mode: 'claim' | 'durability' | 'operations' | 'turns';
  url: string;
  secret: string;
  dataDir: string;
  prefix: string;
  worker: number;
  /** claim: how many keys to race for. operations: how many own users. turns: how many turns to reserve. */
  count: number;
};

export type OperationsResult = {
  /** identity → the key it must hold now (null: none), as acknowledged by this worker. */
  finals: Record<string, string | null>;
  /** Reads that returned something other than what this worker last wrote for that user. */
  violations: string[];
  /** Timed writes to the user both workers share: value null means removed. */
  shared: Array<{ value: string | null; start: number; ack: number }>;
};

export const SHARED_USER = 'console:shared-user';

/** A valid, normalised API key derived from its owner and a version: a key shown to the wrong user is visible. */
export function apiKeyFor(identity: string, version = 0): ApiKey {
  return createHash('sha256').update(`${identity}#${version}`).digest('hex') as ApiKey;
}
