/**
 * The process logger: pino at LOG_LEVEL. Every object passes through scrubValue, so a secret
 * that sneaks into a message, URL, header dump or stack trace is replaced before it is
 * written; the `err` serializer makes errors plain objects first.
 *
 * Format: JSON lines for services and pipes (what log collectors read); short human lines
 * (pino-pretty, loaded only then) when the log goes to a terminal — LOG_FORMAT overrides.
 */
import { createRequire } from 'node:module';
import tty from 'node:tty';
import { pino, type Logger, type DestinationStream } from 'pino';
import { scrubSecrets, scrubValue } from './redact.js';

export type { Logger } from 'pino';
export type LogFormat = 'auto' | 'json' | 'pretty';

export type LoggerOptions = {
  level?: string | undefined;
  /** A stream to write JSON lines to (tests); otherwise the file descriptor `fd`. */
  destination?: DestinationStream;
  /** 1 (stdout, the default) or 2 (stderr: the console, whose stdout is the conversation). */
  fd?: 1 | 2;
  format?: LogFormat | undefined;
  name?: string;
};

export function createLogger(options: LoggerOptions = {}): Logger {
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
    options.destination ?? destinationFor(options.fd ?? 1, options.format ?? 'auto'),
  );
}

/** Whether a log written to `fd` in this format comes out as human lines. */
export function isPretty(fd: 1 | 2, format: LogFormat = 'auto'): boolean {
  return format === 'pretty' || (format === 'auto' && tty.isatty(fd));
}

function destinationFor(fd: 1 | 2, format: LogFormat): DestinationStream {
  if (!isPretty(fd, format)) return pino.destination({ dest: fd, sync: false });
  // Loaded only for a terminal: services never pay for it. It reads the already scrubbed JSON line.
  const pretty = createRequire(import.meta.url)('pino-pretty') as (options: Record<string, unknown>) => DestinationStream;
  return pretty({
    destination: fd,
    sync: true,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,name,part',
    messageFormat: '{if part}{part}: {end}{msg}',
  });
}

/**
 * The logger of the terminal front doors (console, demo): on stderr, since stdout is the
 * conversation, and only warnings and errors unless LOG_LEVEL says otherwise.
 */
export function consoleLogger(config: { LOG_LEVEL?: string | undefined; LOG_FORMAT?: LogFormat | undefined }): Logger {
  return createLogger({ level: config.LOG_LEVEL ?? 'warn', fd: 2, format: config.LOG_FORMAT });
}
