/**
 * The process logger: pino JSON lines at LOG_LEVEL. Every object passes through
 * scrubValue, so a secret that sneaks into a message, URL, header dump or stack trace is
 * replaced before it is written; the `err` serializer makes errors plain objects first.
 */
import { pino, type Logger, type DestinationStream } from 'pino';
import { scrubSecrets, scrubValue } from './redact.js';

export type { Logger } from 'pino';

export function createLogger(options: { level?: string; destination?: DestinationStream; name?: string } = {}): Logger {
  return pino(
    {
      name: options.name ?? 'handle-bot',
      level: options.level ?? 'info',
      base: { pid: process.pid },
      serializers: {
        // formatters.log runs first and has already turned an Error into a scrubbed plain object.
        err: (error: unknown) => scrubValue(typeof error === 'object' && error !== null ? error : { value: String(error) }),
      },
      formatters: {
        log: (object) => scrubValue(object) as Record<string, unknown>,
      },
      hooks: {
        // Scrub the message string too (formatters.log only sees the merge object).
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === 'string' ? scrubSecrets(a) : a)) as Parameters<typeof method>;
          method.apply(this, scrubbed);
        },
      },
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
