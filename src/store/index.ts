/**
 * Opening the store named by STORE_URL: build the backend, resolve the sealing secrets, wrap it
 * in the key store. Connections are made on first use and remade after failures, so a store
 * opened while its backend is down starts working when the backend comes back. The one
 * exception is a secret about to be generated (SQLite, none configured): the file is read
 * first, and a store that already holds sealed keys gets no new secret beside them.
 *
 * Each backend's driver is imported only when that backend is used: a SQLite bot never loads
 * the Redis or Postgres clients.
 */
import type { Logger } from '../ops/logger.js';
import type { Backend } from './backend.js';
import { createGuard, DEFAULT_DEADLINE_MS, throttledWarn, type StoreOperationInfo } from './guard.js';
import { createKeyStore, type Sealing } from './key-store.js';
import { sealingKey } from './seal.js';
import { missingSecretMessage, SecretMismatchError } from './secret-check.js';
import { resolveSecrets } from './secret.js';
import { someStoredKid } from './sealing-inspection.js';
import { describeLocation, parseStoreUrl, type StoreLocation } from './store-url.js';
import type { Namespace } from './layout.js';
import type { Store } from './types.js';

export * from './types.js';
export { keyId } from './seal.js';
export { parseStoreUrl, describeLocation } from './store-url.js';
export { refuseUnopenableStore, SecretMismatchError } from './secret-check.js';
export type { StoreOperationInfo } from './guard.js';

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
  /** Called once per store operation (metrics). */
  onOperation?: ((info: StoreOperationInfo) => void) | undefined;
};

type BackendOptions = {
  location: StoreLocation;
  prefix: string;
  log: Logger;
  /** How long one call may wait (SQLite: on another process's lock; Postgres: statement_timeout). Default 3000 ms. */
  deadlineMs?: number | undefined;
};

/** The backend alone, without secrets: for whole-store jobs that never open a key (export, import). */
export async function openBackend(options: BackendOptions): Promise<Backend> {
  const { location, prefix, log } = options;
  const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  if (!/^[a-z][a-z0-9_]{0,50}$/.test(prefix)) {
    throw new Error('namespacePrefix must be 1–51 lowercase letters, digits or _, starting with a letter');
  }
  const warn = throttledWarn(log);
  const onError = (namespace: Namespace | 'connection', error: unknown) => {
    warn({ backend: location.kind, namespace }, 'store backend error', error);
  };
  if (location.kind === 'sqlite') {
    const { openSqliteBackend } = await import('./backends/sqlite.js');
    return openSqliteBackend({ file: location.file, table: prefix, waitMs: deadlineMs, onError });
  }
  if (location.kind === 'redis') {
    const { openRedisBackend } = await import('./backends/redis.js');
    return openRedisBackend({ url: location.url, prefix, onError });
  }
  const { openPostgresBackend } = await import('./backends/postgres.js');
  return openPostgresBackend({ url: location.url, table: prefix, deadlineMs, onError });
}

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const location = parseStoreUrl(options.url);
  const log = options.log;
  const backend = await openBackend({ location, prefix: options.namespacePrefix ?? DEFAULT_NAMESPACE_PREFIX, log, deadlineMs: options.deadlineMs });
  try {
    const secrets = await resolveSecrets({
      ...options,
      backend: location.kind,
      beforeGenerating: async (file) => {
        const found = await someStoredKid(backend);
        if (found.records > 0) throw new SecretMismatchError(missingSecretMessage(found, describeLocation(location), file));
      },
    });
    const sealing: Sealing = { current: sealingKey(secrets.current), source: secrets.source };
    if (secrets.previous) sealing.previous = sealingKey(secrets.previous);

    const warn = throttledWarn(log);
    const guard = createGuard({
      backend: location.kind, deadlineMs: options.deadlineMs ?? DEFAULT_DEADLINE_MS, warn, ready: () => backend.ready(), onOperation: options.onOperation,
    });
    log.info(
      { store: describeLocation(location), kid: sealing.current.kid, ...(sealing.previous ? { previousKid: sealing.previous.kid } : {}) },
      'store ready (connects on first use)',
    );
    return createKeyStore({ backend, sealing, guard, log, location: describeLocation(location) });
  } catch (error) {
    await backend.close();
    throw error;
  }
}
