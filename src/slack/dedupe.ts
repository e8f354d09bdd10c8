/**
 * Recognising a delivery Slack already made. Slack redelivers an Events API event it thinks
 * failed (same event_id, `X-Slack-Retry-Num` over HTTP, `retry_attempt` over Socket Mode), and a
 * Socket Mode envelope that was not acknowledged in time may come again. With several
 * replicas behind a load balancer the copy may reach another process, so the mark lives in
 * the shared store (`claimOnce`), not in memory.
 */
import type { IntentRequest } from '../core/intents.js';
import type { EnginePort } from '../core/port.js';
import { list, obj, str } from '../domain/untyped.js';

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
