/**
 * `/handle <text>`: acknowledged at once (before any I/O), then parsed. A command whose
 * declared inputs are asked in a form (`key set`) opens it with the trigger id; anything else
 * goes to the engine and its replies to the response_url.
 */
import type { AllMiddlewareArgs, App, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { catalogue } from '../../core/messages/index.js';
import { parseLine } from '../../core/parse.js';
import { newRequestId } from '../../core/request-id.js';
import { isFirstDelivery } from '../dedupe.js';
import { deliverReplies } from '../deliver.js';
import { actorFromCommand, lookUpActor } from '../invocation.js';
import { respondVia } from '../response-url.js';
import { guarded, invocationFor, knownLocale, openFormIfNeeded, type SlackDeps } from './context.js';

export function handleSlashCommand(deps: SlackDeps) {
  return async ({ ack, body, respond: boltRespond, client, context }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const respond = respondVia(body.response_url, deps.deadlines.responseUrlMs) ?? boltRespond;
    const requestId = newRequestId();
    const actor = actorFromCommand(body);
    await guarded(deps, 'command', requestId, actor, (replies) => deliverReplies(respond, replies, deps.log), async () => {
      if (deps.isStopping()) return deliverReplies(respond, [catalogue(await knownLocale(deps, actor)).restartingReply()], deps.log);
      // Who the person is (their language above all) is asked while the redelivery check runs:
      // the two round trips overlap. It never rejects; a cached person costs nothing.
      void lookUpActor(deps.users, client, actor);
      if (!(await isFirstDelivery(deps.engine, body))) return;
      const parsed = parseLine(body.text, deps.engine.commands);
      if (parsed.kind === 'command') {
        const surface = { kind: 'message', respond, ephemeral: false } as const;
        // A key typed after `key set` went through Slack: it is never stored, and the form says so.
        const typedSecret = parsed.typedSecret !== undefined;
        const form = { command: parsed.command, args: parsed.args, via: 'typed', typedSecret, client, triggerId: body.trigger_id, actor, requestId, surface, botUserId: context.botUserId } as const;
        if (await openFormIfNeeded(deps, form)) return;
      }
      const invocation = await invocationFor(deps, client, actor, requestId, context.botUserId);
      await deliverReplies(respond, (await deps.engine.dispatchLine(invocation, body.text)).replies, deps.log);
    });
  };
}

export function registerCommandListeners(app: App, deps: SlackDeps): void {
  app.command(/^\/.+/, handleSlashCommand(deps));
}
