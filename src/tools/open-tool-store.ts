/**
 * The store as operator tools open it: from the configuration, logging warnings and errors to
 * stderr (stdout is the tool's own output), without the start-up refusal — these tools are how
 * a secret mix-up gets looked at and fixed.
 */
import type { Config } from '../ops/config.js';
import type { Logger } from '../ops/logger.js';
import { consoleLogger } from '../ops/logger.js';
import { openStore } from '../store/index.js';
import type { Store } from '../store/types.js';

export function toolLogger(config: Config): Logger {
  return consoleLogger(config);
}

export function openToolStore(config: Config, log: Logger = toolLogger(config)): Promise<Store> {
  return openStore({
    url: config.STORE_URL,
    secret: config.HANDLE_BOT_SECRET,
    previousSecret: config.HANDLE_BOT_SECRET_PREVIOUS,
    dataDir: config.DATA_DIR,
    namespacePrefix: config.STORE_NAMESPACE,
    log: log.child({ part: 'store' }),
  });
}
