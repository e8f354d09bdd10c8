/**
 * `POST /discord/interactions`: Discord's Interactions Endpoint URL. Any replica behind a
 * balancer can take a request. Before anything runs, the request must pass, in order: the
 * process's body gate (bounded size, bounded parallel readers — ops/http-guard.ts), the
 * Ed25519 signature over timestamp + raw body with a fresh timestamp (signature.ts), and the
 * dedupe across replicas (a balancer may retry a request on another replica: the second copy
 * is refused like a replay). Anything refused gets 401 (or the gate's status) and runs nothing.
 *
 * A PING is answered PONG. Anything else goes to the same handler as the gateway's
 * interactions; its first callback (a deferral before any I/O, a modal, autocomplete choices)
 * is the HTTP response (first-responses.ts), so the deferral waits on nothing but the checks.
 *
 * The dedupe: a copy this replica already saw is refused at once (memory); the store's
 * cross-replica answer is awaited at most DEDUPE_BUDGET_MS. On a busy store it may come later:
 * then the interaction is deferred anyway and its work waits for the answer — a copy answered
 * by another replica is deferred (that answer goes nowhere; the original's does) and does
 * nothing. Either way it runs once, and the deferral never queues behind the store.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KeyObject } from 'node:crypto';
import { InteractionResponseType, InteractionType, type APIInteraction } from 'discord.js';
import type { EnginePort } from '../core/port.js';
import { type BodyGate, refuse } from '../ops/http-guard.js';
import type { Logger } from '../ops/logger.js';
import type { FirstResponses } from './first-responses.js';
import { checkDiscordSignature } from './signature.js';

export const INTERACTIONS_PATH = '/discord/interactions';

/** Discord waits 3 s for the first response; the handler answers long before this unless something is wrong. */
const FIRST_RESPONSE_DEADLINE_MS = 2500;
/** How long the first response may wait for the store's dedupe before it is given anyway. */
const DEDUPE_BUDGET_MS = 150;
/** Interaction ids this process saw recently (replays within the signature window land here first). */
const SEEN_LOCALLY = 50_000;

export type EndpointDeps = {
  publicKey: KeyObject;
  gate: BodyGate;
  engine: Pick<EnginePort, 'firstDelivery'>;
  firstResponses: FirstResponses;
  /** Runs the interaction through the shared handler (its work waits for `admitted`); settles when done. Undefined: not a kind we handle. */
  receive(payload: APIInteraction, admitted: Promise<boolean>): Promise<void> | undefined;
  log: Logger;
};

export function createInteractionEndpoint(deps: EndpointDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const { log } = deps;
  const seen = recentIds(SEEN_LOCALLY);
  return (req, res) => {
    void answer(deps, seen, req, res).catch((error: unknown) => {
      log.error({ err: error }, 'Discord interactions endpoint failed');
      if (!res.headersSent) res.writeHead(500).end();
    });
  };
}

async function answer(deps: EndpointDeps, seen: RecentIds, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await deps.gate.read(req, res);
  if (!body) return;
  const signature = checkDiscordSignature(deps.publicKey, req.headers, body);
  if (!signature.ok) {
    deps.log.info({ reason: signature.reason }, 'refused an interaction request that was not signed by Discord');
    refuse(res, 401);
    return;
  }
  let payload: APIInteraction;
  try {
    payload = JSON.parse(body.toString('utf8')) as APIInteraction;
  } catch {
    refuse(res, 400);
    return;
  }
  if (payload.type === InteractionType.Ping) {
    sendJson(res, { type: InteractionResponseType.Pong });
    return;
  }
  if (typeof payload.id !== 'string' || !seen.add(payload.id)) {
    refuse(res, 401);
    return;
  }
  const admitted = deps.engine.firstDelivery({ platform: 'discord', id: payload.id });
  if ((await within(admitted, DEDUPE_BUDGET_MS)) === false) {
    refuse(res, 401);
    return;
  }

  const first = deps.firstResponses.expect(payload.id);
  const run = deps.receive(payload, admitted);
  if (!run) {
    deps.firstResponses.abandon(payload.id);
    refuse(res, 400);
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const NONE = Symbol('none');
  const late = new Promise<typeof NONE>((resolve) => { timer = setTimeout(() => { resolve(NONE); }, FIRST_RESPONSE_DEADLINE_MS); });
  const response = await Promise.race([first, run.then(() => NONE), late]);
  clearTimeout(timer);
  if (response === NONE) {
    deps.firstResponses.abandon(payload.id);
    deps.log.warn({ interaction: payload.id }, 'the handler gave no first response to an HTTP interaction');
    if (!res.headersSent) res.writeHead(500).end();
    return;
  }
  sendJson(res, response);
}

/** The promise's value if it settles within `ms`, else undefined. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => { timer = setTimeout(() => { resolve(undefined); }, ms); });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

type RecentIds = { add(id: string): boolean };

/** A bounded set of recent ids; `add` is false for one already there. */
function recentIds(capacity: number): RecentIds {
  const ids = new Set<string>();
  return {
    add(id) {
      if (ids.has(id)) return false;
      ids.add(id);
      const oldest = ids.values().next();
      if (ids.size > capacity && !oldest.done) ids.delete(oldest.value);
      return true;
    },
  };
}

function sendJson(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
