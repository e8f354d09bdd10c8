/**
 * Recognising a delivery Slack already made. Slack redelivers an Events API event it thinks
 * failed (same event_id, `X-Slack-Retry-Num` over HTTP, `retry_attempt` over Socket Mode), and a
 * Socket Mode envelope that was not acknowledged in time may come again. With several
 * replicas behind a load balancer the copy may reach another process, so the mark lives in
 * the shared store (`claimOnce`), not in memory.
 */
import type { Logger } from '../ops/logger.js';
import type { Store } from '../store/types.js';
import { MAX_REQUEST_AGE_SECONDS } from './request-guard.js';

/** How far apart the clocks of replicas (and Slack's) may be without a replay slipping through. */
const CLOCK_SKEW_SECONDS = 60;

/**
 * How long a delivery is remembered: the whole window in which its signed request is accepted
 * (MAX_REQUEST_AGE_SECONDS either side of its timestamp) plus clock skew between replicas, so a
 * captured request replayed at any moment it would still pass the signature check is recognised
 * and not run again. Slack's own retries fall well inside.
 */
export const SEEN_TTL_SECONDS = 2 * MAX_REQUEST_AGE_SECONDS + CLOCK_SKEW_SECONDS;

type Loose = Record<string, unknown>;

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function obj(value: unknown): Loose | undefined {
  return typeof value === 'object' && value !== null ? (value as Loose) : undefined;
}

/**
 * A stable id for one user action, the same on every redelivery: the trigger id of a slash
 * command or view submission, the action_ts of a button press (with the user and button),
 * the event_id of an event. Undefined when the body carries none.
 */
export function deliveryId(body: Loose): string | undefined {
  if (str(body.command) !== undefined) {
    const trigger = str(body.trigger_id);
    return trigger ? `cmd:${trigger}` : undefined;
  }
  switch (body.type) {
    case 'block_actions': {
      const action = obj((body.actions as unknown[] | undefined)?.[0]);
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
 * true the first time a delivery is seen across every replica sharing the store. When the
 * store cannot answer, the delivery is treated as new: running twice is better than never.
 */
export async function isFirstDelivery(store: Store, body: Loose, log: Logger): Promise<boolean> {
  const id = deliveryId(body);
  if (id === undefined) return true;
  try {
    const first = await store.claimOnce(`slack:seen:${id}`, SEEN_TTL_SECONDS);
    if (!first) log.info({ delivery: id }, 'slack redelivery ignored (already handled)');
    return first;
  } catch (error) {
    log.warn({ err: error, delivery: id }, 'could not check for a redelivery; handling it');
    return true;
  }
}
