/**
 * Bolt, its Web API client and the Socket Mode client log through this adapter into our pino
 * logger, so their lines are JSON like ours and pass through the same secret scrubbing.
 */
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../ops/logger.js';

function toLevel(level: string): LogLevel {
  switch (level) {
    case 'trace':
    case 'debug':
      return LogLevel.DEBUG;
    case 'info':
      return LogLevel.INFO;
    case 'warn':
      return LogLevel.WARN;
    default:
      return LogLevel.ERROR;
  }
}

/**
 * Inbound Socket Mode frames are logged whole by the client at debug level, and a
 * view_submission frame carries whatever the user typed into the key modal (possibly a key
 * with a typo, which the logger's key pattern would not recognise). Keep only what
 * identifies the frame.
 */
const INBOUND_FRAME = 'Received a message on the WebSocket: ';
const UNPARSEABLE_FRAME = 'Unable to parse an incoming WebSocket message';

export function summariseFrames(message: string): string {
  if (message.startsWith(UNPARSEABLE_FRAME)) return `${UNPARSEABLE_FRAME} (will ignore; content not logged)`;
  if (!message.startsWith(INBOUND_FRAME)) return message;
  try {
    const frame = JSON.parse(message.slice(INBOUND_FRAME.length)) as { type?: unknown; envelope_id?: unknown; retry_attempt?: unknown; payload?: { type?: unknown } };
    const parts = [`type=${show(frame.type)}`];
    if (frame.envelope_id !== undefined) parts.push(`envelope_id=${show(frame.envelope_id)}`);
    if (frame.payload?.type !== undefined) parts.push(`payload.type=${show(frame.payload.type)}`);
    if (frame.retry_attempt !== undefined) parts.push(`retry_attempt=${show(frame.retry_attempt)}`);
    return `${INBOUND_FRAME}${parts.join(' ')} (payload not logged)`;
  } catch {
    return `${INBOUND_FRAME}(not JSON; content not logged)`;
  }
}

/** Errors become `err` (serialised and scrubbed by the logger); everything else joins the message. */
function split(parts: unknown[]): { err?: unknown; msg: string } {
  const err = parts.find((p) => p instanceof Error);
  const msg = parts
    .filter((p) => p !== err)
    .map((p) => (typeof p === 'string' ? p : safeJson(p)))
    .join(' ');
  return err === undefined ? { msg: summariseFrames(msg) } : { err, msg: summariseFrames(msg) };
}

function safeJson(value: unknown): string {
  try {
    // undefined, functions and symbols stringify to undefined.
    const text = JSON.stringify(value) as string | undefined;
    return text ?? 'undefined';
  } catch {
    return '[unserialisable]';
  }
}

function show(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : safeJson(value);
}

export function boltLogger(log: Logger): BoltLogger {
  let name = 'bolt';
  const write = (level: 'debug' | 'info' | 'warn' | 'error', parts: unknown[]) => {
    if (!log.isLevelEnabled(level)) return;
    const { err, msg } = split(parts);
    log[level]({ lib: name, ...(err === undefined ? {} : { err }) }, msg);
  };
  return {
    debug: (...msg: unknown[]) => { write('debug', msg); },
    info: (...msg: unknown[]) => { write('info', msg); },
    warn: (...msg: unknown[]) => { write('warn', msg); },
    error: (...msg: unknown[]) => { write('error', msg); },
    // The level is LOG_LEVEL's to decide, not Bolt's.
    setLevel: () => undefined,
    getLevel: () => toLevel(log.level),
    setName: (value: string) => { name = value; },
  };
}
