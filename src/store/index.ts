/**
 * Opening the store named by STORE_URL: resolve the sealing secrets, build the backend, wrap
 * it in the key store. Nothing here touches the backend yet — connections are made on first
 * use and remade after failures — so a store opened while its backend is down starts working
 * when the backend comes back.
 */
import type { Logger } from '../ops/logger.js';
import type { Backend } from './backend.js';
import { openPostgresBackend } from './backends/postgres.js';
import { openRedisBackend } from './backends/redis.js';
import { openSqliteBackend } from './backends/sqlite.js';
import { createGuard, DEFAULT_DEADLINE_MS, throttledWarn } from './guard.js';
import { createKeyStore, type Sealing } from './key-store.js';
import { sealingKey } from './seal.js';
import { resolveSecrets } from './secret.js';
import { describeLocation, parseStoreUrl } from './store-url.js';
import type { Store } from './types.js';

export * from './types.js';
export { keyId } from './seal.js';
export { parseStoreUrl } from './store-url.js';

export const DEFAULT_NAMESPACE_PREFIX = 'handle_bot';

export type OpenStoreOptions = {
  /** STORE_URL: sqlite://<relative path>, sqlite:///<absolute path>, redis://, rediss://, postgres://, postgresql:// */
  url: string;
  /** HANDLE_BOT_SECRET; required for Redis/Postgres, generated into `<dataDir>/secret` for SQLite. */
  secret?: string | undefined;
  /** HANDLE_BOT_SECRET_PREVIOUS: records sealed under it still open and are re-sealed when touched. */
  previousSecret?: string | undefined;
  dataDir: string;
  log: Logger;
  /**
   * Isolates one store from another on a shared server: the Redis key prefix, the Postgres
   * table name, the SQLite table name. Lowercase letters, digits and `_`. Default `handle_bot`.
   */
  namespacePrefix?: string | undefined;
  /** Longest wait for any one store call before it fails with StorageUnavailableError. Default 3000 ms. */
  deadlineMs?: number | undefined;
};

export function openStore(options: OpenStoreOptions): Promise<Store> {
  return Promise.resolve().then(() => {
    const location = parseStoreUrl(options.url);
    const prefix = options.namespacePrefix ?? DEFAULT_NAMESPACE_PREFIX;
    if (!/^[a-z][a-z0-9_]{0,50}$/.test(prefix)) {
      throw new Error('namespacePrefix must be 1–51 lowercase letters, digits or _, starting with a letter');
    }
    const secrets = resolveSecrets({ ...options, backend: location.kind });
    const sealing: Sealing = { current: sealingKey(secrets.current) };
    if (secrets.previous) sealing.previous = sealingKey(secrets.previous);

    const log = options.log;
    const warn = throttledWarn(log);
    const onError = (namespace: string, error: unknown) => {
      warn({ backend: location.kind, namespace }, 'store backend error', error);
    };
    const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
    let backend: Backend;
    if (location.kind === 'sqlite') backend = openSqliteBackend({ file: location.file, table: prefix, waitMs: deadlineMs, onError });
    else if (location.kind === 'redis') backend = openRedisBackend({ url: location.url, prefix, onError });
    else backend = openPostgresBackend({ url: location.url, table: prefix, deadlineMs, onError });

    const guard = createGuard({ backend: location.kind, deadlineMs, warn, ready: () => backend.ready() });
    log.info(
      { store: describeLocation(location), kid: sealing.current.kid, ...(sealing.previous ? { previousKid: sealing.previous.kid } : {}) },
      'store ready (connects on first use)',
    );
    return createKeyStore({ backend, sealing, guard, log });
  });
}
