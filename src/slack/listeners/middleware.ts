/** The middleware every delivery passes: tracked for the graceful stop, and a redelivered event runs once. */
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { obj } from '../../domain/untyped.js';
import { isFirstDelivery } from '../dedupe.js';
import type { SlackDeps } from './context.js';

export function trackAndDedupe(deps: SlackDeps): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = obj(args.body) ?? {};
    const isEvent = body.type === 'event_callback';
    // Events are acknowledged by Bolt before middleware, except function_executed: ack it here,
    // first (the step's listener is registered without auto-acknowledgement).
    if (isEvent && obj(body.event)?.type === 'function_executed' && 'ack' in args && typeof args.ack === 'function') await args.ack();
    if (isEvent && !(await isFirstDelivery(deps.engine, args.body))) return;
    const work = args.next();
    void deps.inflight.track(work);
    await work;
  };
}
