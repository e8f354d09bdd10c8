/**
 * Durable command intents: a command is written down (sealed, store/intents.ts) before its
 * platform is told "received", so a process killed after that acknowledgement — SIGKILL, OOM,
 * a lost host — leaves it for another replica, or for itself restarted, to run again and
 * answer. Slack never sends an acknowledged command twice; without this it would be lost.
 *
 * The same write is the redelivery check (the seen-mark `firstDelivery` uses), so a command
 * costs one store round trip before its ack and none after. The process holds a lease on each
 * command it runs and renews all of them with one write every third of the lease; the answer
 * delivered, the intent is removed. Every third of the lease it also looks for intents whose
 * lease ended (their process stopped renewing), takes each over atomically — exactly one
 * replica wins — and hands it to its platform's front door with a new request id. After
 * MAX_TAKEOVERS or MAX_AGE_MS (a Slack response_url lives 30 minutes) it gives up and says so.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Platform } from '../domain/identity.js';
import type { Logger } from '../ops/logger.js';
import type { Store, StoredIntent } from '../store/types.js';
import { parseLine } from './parse.js';
import { newRequestId } from './request-id.js';
import type { Command, Reply, Text } from './types.js';

/** Give up on a command taken over this many times already: it kills whoever runs it, or cannot finish. */
export const MAX_TAKEOVERS = 3;
/** Give up on a command older than this: its answer could no longer be delivered (response_url: 30 min). */
export const MAX_AGE_MS = 25 * 60_000;
/** Intents taken over per sweep at most (the rest wait for the next one). */
const SWEEP_BATCH = 50;

/** What a front door writes down before acknowledging a command. */
export type IntentRequest = {
  platform: Platform;
  /** The platform's id of this delivery, the same on a redelivery (Slack: `cmd:<trigger id>`); none: never deduplicated. */
  delivery: string | undefined;
  /** The typed line. A secret typed after `key set` is dropped before anything is written. */
  text: string;
  /** What else the front door needs to answer again: who, where, the response_url. */
  context: Record<string, string>;
};

export type Admission = {
  /** false: a redelivery of a command already written down here or by another replica — do nothing. */
  first: boolean;
  /** false: the store did not take it (down, slow): handled anyway, but lost if this process dies first. */
  durable: boolean;
  /** The answer was delivered: the intent goes (retried with the next renewal if the store fails). Never rejects. */
  finish(): Promise<void>;
};

/** A command taken over, for its platform's front door to run again and answer. */
export type RecoveredCommand = { platform: Platform; text: string; context: Record<string, string>; requestId: string; takeovers: number; created: number };

export type IntentHandler = {
  /** false while the front door stops: the intent is left for another replica. */
  accepting(): boolean;
  /** Runs the command again and answers it. Never rejects. */
  recover(command: RecoveredCommand): Promise<void>;
  /** Tells the person the command could not be finished. Never rejects. */
  abandon(command: RecoveredCommand): Promise<void>;
};

export type Intents = {
  begin(request: IntentRequest): Promise<Admission>;
  /** A front door answers its platform's recovered commands; starts the sweeps (one at once). */
  serve(platform: Platform, handler: IntentHandler): void;
  /** Looks for intents whose lease ended, now. */
  sweep(): Promise<void>;
  /** Stops renewing and sweeping. Intents still unfinished stay in the store for another replica. */
  close(): void;
};

/**
 * The mark that says a delivery was seen: one key for the redelivery check with or without an
 * intent (port.firstDelivery for events and forms, `begin` here for commands and presses), so
 * either finds the other's.
 */
export function seenMarkKey(platform: Platform, delivery: string): string {
  return `${platform}:seen:${delivery}`;
}

/** The line as it may be stored: `key set <typed key>` becomes `key set` (a typed key is never stored). */
export function storableLine(text: string, commands: readonly Command[]): string {
  const parsed = parseLine(text, commands);
  return parsed.kind === 'command' && parsed.typedSecret !== undefined ? parsed.command.verb.join(' ') : text;
}

/** The replies of a recovered command, the first private one opening with `notice` ("the bot restarted…"). */
export function withRecoveryNotice(replies: Reply[], notice: Text): Reply[] {
  const first = replies.findIndex((r) => r.visibility === 'private');
  if (first < 0) return replies;
  return replies.map((r, i) => (i === first ? { ...r, title: notice, body: [r.title, ...(r.body ?? [])] } : r));
}

function recoveredFrom(intent: StoredIntent): { platform: Platform; text: string; context: Record<string, string> } | undefined {
  const { platform, text, context } = intent.payload ?? {};
  if (typeof platform !== 'string' || typeof text !== 'string' || context === null || typeof context !== 'object') return undefined;
  const strings = Object.entries(context).filter((e): e is [string, string] => typeof e[1] === 'string');
  return { platform: platform as Platform, text, context: Object.fromEntries(strings) };
}

export function createIntents(deps: {
  store: Pick<Store, 'intents'>;
  commands: readonly Command[];
  log: Logger;
  leaseMs: number;
  /** How long a delivery's seen-mark is kept (the redelivery window). */
  seenTtlMs: number;
  /** Counts recovered and abandoned intents (metrics). */
  onEvent?: (event: 'recovered' | 'abandoned', reason?: string) => void;
  now?: () => number;
}): Intents {
  const { store, log, leaseMs } = deps;
  const now = deps.now ?? Date.now;
  // This process, as an intent's owner: unique per start, so a restarted process takes over its own.
  const owner = `${hostname()}:${String(process.pid)}:${randomBytes(4).toString('hex')}`;
  /** The intents this process runs, counted (a redelivery racing its original in this process adds one too). */
  const mine = new Map<string, number>();
  const hold = (id: string) => { mine.set(id, (mine.get(id) ?? 0) + 1); };
  const release = (id: string) => {
    const left = (mine.get(id) ?? 1) - 1;
    if (left > 0) mine.set(id, left);
    else mine.delete(id);
  };
  /** Answered here, but the store refused the removal: retried every tick. */
  const unremoved = new Set<string>();
  const handlers = new Map<Platform, IntentHandler>();
  let timer: NodeJS.Timeout | undefined;
  let sweeping: Promise<void> | undefined;
  let closed = false;

  const event = (name: 'recovered' | 'abandoned', reason?: string) => {
    try {
      deps.onEvent?.(name, reason);
    } catch {
      // metrics never break recovery
    }
  };

  function ensureTicking(): void {
    if (timer || closed) return;
    timer = setInterval(() => { void tick(); }, Math.max(100, Math.floor(leaseMs / 3)));
    timer.unref();
  }

  async function tick(): Promise<void> {
    if (closed) return;
    if (mine.size > 0) {
      await store.intents.renew(owner, [...mine.keys()], now() + leaseMs).catch((error: unknown) => {
        log.warn({ err: error, intents: mine.size }, 'could not renew the leases of the commands in flight; another replica may take them over');
      });
    }
    if (unremoved.size > 0) {
      const ids = [...unremoved];
      await store.intents.finish(ids).then(() => { for (const id of ids) unremoved.delete(id); }, () => undefined);
    }
    if (handlers.size > 0) await sweep();
  }

  async function finish(id: string): Promise<void> {
    release(id);
    if (mine.has(id)) return; // still running here under another delivery
    try {
      await store.intents.finish([id]);
    } catch (error) {
      unremoved.add(id);
      log.warn({ err: error, intent: id }, 'could not remove an answered command from the store; trying again with the next renewal');
    }
  }

  async function takeOver(intent: StoredIntent): Promise<void> {
    const found = recoveredFrom(intent);
    const handler = found ? handlers.get(found.platform) : undefined;
    // Another platform's command, for a process that serves it; or ours while we stop.
    if (found && !handler?.accepting()) return;
    const at = now();
    const reason = !found ? 'unreadable' : intent.takeovers >= MAX_TAKEOVERS ? 'too_many_takeovers' : at - intent.created > MAX_AGE_MS ? 'too_old' : undefined;
    if (!(await store.intents.take(intent, owner, at + leaseMs))) return; // another replica was first
    hold(intent.id);
    const command: RecoveredCommand | undefined = found && { ...found, requestId: newRequestId(), takeovers: intent.takeovers + 1, created: intent.created };
    const facts = { intent: intent.id, previousOwner: intent.owner, takeovers: intent.takeovers + 1, ageMs: at - intent.created, ...(command ? { requestId: command.requestId } : {}) };
    if (reason !== undefined || !command || !handler) {
      log.warn({ ...facts, reason }, 'command intent abandoned');
      event('abandoned', reason);
      if (command && handler) await handler.abandon(command);
      await finish(intent.id);
      return;
    }
    log.info(facts, 'command intent taken over from a process that stopped renewing it');
    event('recovered');
    void handler.recover(command).finally(() => finish(intent.id));
  }

  async function sweepOnce(): Promise<void> {
    let expired: StoredIntent[];
    try {
      expired = await store.intents.expired(now(), SWEEP_BATCH);
    } catch (error) {
      log.warn({ err: error }, 'could not look for commands left by a stopped replica');
      return;
    }
    for (const intent of expired) {
      // Ours (a renewal the store missed) is running here: not a death.
      if (closed || mine.has(intent.id) || unremoved.has(intent.id)) continue;
      await takeOver(intent).catch((error: unknown) => {
        log.warn({ err: error, intent: intent.id }, 'could not take over a command left by a stopped replica');
      });
    }
  }

  function sweep(): Promise<void> {
    sweeping ??= sweepOnce().finally(() => { sweeping = undefined; });
    return sweeping;
  }

  return {
    async begin(request) {
      const seenKey = request.delivery === undefined ? `${request.platform}:once:${randomUUID()}` : seenMarkKey(request.platform, request.delivery);
      const id = store.intents.idOf(seenKey);
      const at = now();
      const payload = { platform: request.platform, text: storableLine(request.text, deps.commands), context: request.context };
      ensureTicking();
      // Counted as ours before the write lands: a write that answers late is still renewed and removed.
      hold(id);
      try {
        if (await store.intents.begin(seenKey, deps.seenTtlMs, { owner, lease: at + leaseMs, created: at, payload }, MAX_AGE_MS)) {
          return { first: true, durable: true, finish: () => finish(id) };
        }
        release(id);
        log.info({ delivery: request.delivery }, `${request.platform} redelivery ignored (already handled)`);
        return { first: false, durable: true, finish: () => Promise.resolve() };
      } catch (error) {
        // Running it without a record is better than never: as before intents, minus the durability.
        log.warn({ err: error, platform: request.platform, delivery: request.delivery }, 'could not write the command down (not durable); handling it');
        return { first: true, durable: false, finish: () => finish(id) };
      }
    },
    serve(platform, handler) {
      handlers.set(platform, handler);
      ensureTicking();
      // At start: what this process left when it was killed, if its lease has ended already.
      void sweep();
    },
    sweep,
    close() {
      closed = true;
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
