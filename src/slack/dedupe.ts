/**
 * Recognising a delivery Slack already made. Slack redelivers an Events API event it thinks
 * failed (same event_id, `X-Slack-Retry-Num` over HTTP, `retry_attempt` over Socket Mode), and a
 * Socket Mode envelope that was not acknowledged in time may come again. With several
 * replicas behind a load balancer the copy may reach another process, so the mark lives in
 * the shared store, not in memory: written alone for events and forms (`isFirstDelivery`), and
 * with the sealed intent for slash commands and button presses (`writeThenAck`, core/intents.ts).
 */
import { decodeAction } from '../core/action-codec.js';
import type { Admission, IntentRequest } from '../core/intents.js';
import type { EnginePort } from '../core/port.js';
import { list, obj, str } from '../domain/untyped.js';
import { settledWithin } from '../ops/inflight.js';
import type { Logger } from '../ops/logger.js';

/** The longest an ack waits for its command to be written down: a third of Slack's 3 s. */
export const INTENT_WAIT_MS = 1000;

/**
 * A stable id for one user action, the same on every redelivery: the trigger id of a slash
 * command or view submission, the action_ts of a button press (with the user and button),
 * the event_id of an event. Undefined when the body carries none.
 */
export function deliveryId(payload: unknown): string | undefined {
  const body = obj(payload) ?? {};
  if (str(body.command) !== undefined) {
    const trigger = str(body.trigger_id);
    return trigger ? `cmd:${trigger}` : undefined;
  }
  switch (body.type) {
    case 'block_actions': {
      const action = obj(list(body.actions)?.[0]);
      const user = str(obj(body.user)?.id);
      const ts = str(action?.action_ts);
      return user && ts ? `act:${user}:${ts}:${str(action?.action_id) ?? ''}` : undefined;
    }
    case 'view_submission': {
      const trigger = str(body.trigger_id);
      return trigger ? `view:${trigger}` : undefined;
    }
    case 'event_callback': {
      const id = str(body.event_id);
      return id ? `evt:${id}` : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * true the first time a delivery is seen across every replica sharing the store (the engine
 * port keeps the mark). A body that carries no id is always new.
 */
export function isFirstDelivery(engine: Pick<EnginePort, 'firstDelivery'>, body: unknown): Promise<boolean> {
  const id = deliveryId(body);
  return id === undefined ? Promise.resolve(true) : engine.firstDelivery({ platform: 'slack', id });
}

/**
 * A slash command as it is written down before its ack (core/intents.ts): its delivery id (the
 * redelivery check) and what answering it again needs — who, where, the response_url. The
 * core drops a key typed after `key set` before anything is stored.
 */
export function slackCommandIntent(payload: unknown): IntentRequest {
  const body = obj(payload) ?? {};
  const context: Record<string, string> = {};
  for (const field of ['command', 'team_id', 'enterprise_id', 'user_id', 'user_name', 'channel_id', 'response_url', 'trigger_id', 'api_app_id', 'is_enterprise_install']) {
    const value = str(body[field]);
    if (value !== undefined) context[field] = value;
  }
  return { platform: 'slack', delivery: deliveryId(body), text: str(body.text) ?? '', context };
}

/**
 * A button press as it is written down before its ack: the button's encoded action, where it
 * was pressed (a message, ephemeral or not, or App Home) and by whom. Its text is what the
 * action does, as a person would type it (`create alice2`), for the "bot restarted" line.
 */
export function slackActionIntent(payload: unknown, action: { value?: string | undefined; action_id: string }, where: { inHome: boolean; ephemeral: boolean }): IntentRequest {
  const body = obj(payload) ?? {};
  const context: Record<string, string> = { kind: 'action', command: '/handle', action_id: action.action_id, value: action.value ?? '', in_home: String(where.inHome), ephemeral: String(where.ephemeral) };
  const user = obj(body.user) ?? {};
  const team = obj(body.team);
  const fields: Record<string, string | undefined> = {
    team_id: str(team?.id) ?? str(user.team_id), enterprise_id: str(obj(body.enterprise)?.id) ?? str(team?.enterprise_id), user_id: str(user.id),
    user_name: str(user.username) ?? str(user.name), channel_id: str(obj(body.channel)?.id) ?? str(obj(body.container)?.channel_id), response_url: str(body.response_url),
  };
  for (const [field, value] of Object.entries(fields)) if (value !== undefined) context[field] = value;
  const decoded = decodeAction(action.value ?? '');
  const text = decoded ? [...decoded.verb, ...Object.values(decoded.args)].join(' ') : '';
  return { platform: 'slack', delivery: deliveryId(body), text, context };
}

/**
 * Writes a delivery down and only then acknowledges it, waiting at most INTENT_WAIT_MS — and
 * not at all while an earlier write is overdue (the store is stuck: a lock held elsewhere, a
 * server that hangs), or each delivery would pay the whole wait in turn. Resolves, after the
 * ack, with the admission still to come (wrapped, so awaiting the ack does not await it too): a
 * redelivery is `first: false`.
 */
export function writeThenAck(deps: { engine: Pick<EnginePort, 'intents'>; log: Logger }) {
  let overdue = 0;
  return async (request: IntentRequest, ack: () => Promise<void>): Promise<{ admission: Promise<Admission> }> => {
    const admission = deps.engine.intents.begin(request);
    const waitMs = overdue > 0 ? 0 : INTENT_WAIT_MS;
    const written = waitMs > 0 && (await settledWithin(admission, waitMs));
    if (!written && waitMs > 0) {
      overdue += 1;
      void admission.finally(() => { overdue -= 1; });
    }
    await ack();
    if (!written) deps.log.warn({ delivery: request.delivery, waitedMs: waitMs }, 'slack delivery acknowledged before the store took it (not durable until it does)');
    return { admission };
  };
}
