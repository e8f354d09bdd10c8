/**
 * Answering the slash commands a stopped replica acknowledged and left unanswered (taken over
 * by core/intents.ts): run again as the person who typed them, with a new request id, and
 * answered through their response_url (it lives 30 minutes), the first private reply saying
 * that the bot restarted meanwhile. A create the stopped replica had already sent is found by
 * the write-ahead ledger and answered as "taken — may be yours".
 */
import { type App, webApi } from '@slack/bolt';
import type { IntentHandler, RecoveredCommand } from '../core/intents.js';
import { withRecoveryNotice } from '../core/intents.js';
import { catalogue } from '../core/messages/index.js';
import { deliverReplies } from './deliver.js';
import { actorFromCommand } from './invocation.js';
import { guarded, invocationFor, knownLocale, type SlackDeps } from './listeners/context.js';
import { workspaceToken } from './oauth.js';
import { respondVia } from './response-url.js';

/** What the person typed, as they typed it: `/handle create alice`. */
function typed(command: RecoveredCommand): string {
  return `${command.context.command ?? '/handle'} ${command.text}`.trim();
}

export function slackIntentHandler(app: App, deps: SlackDeps): IntentHandler {
  /** The workspace's client: the bot token's own, or (hosted) one with that workspace's token. */
  async function clientFor(teamId: string): Promise<webApi.WebClient> {
    if (!deps.hosted) return app.client;
    const token = await workspaceToken(deps.engine, teamId);
    return new webApi.WebClient(token, { slackApiUrl: app.client.slackApiUrl });
  }

  async function recover(command: RecoveredCommand): Promise<void> {
    const { requestId } = command;
    const actor = actorFromCommand(command.context);
    const respond = respondVia(command.context.response_url, deps.deadlines.responseUrlMs);
    await guarded(deps, 'recovered command', requestId, actor, (replies) => deliverReplies(respond, replies, deps.log), async () => {
      const client = await clientFor(actor.teamId);
      const invocation = await invocationFor(deps, client, actor, requestId, undefined);
      const { replies } = await deps.engine.dispatchLine(invocation, command.text);
      await deliverReplies(respond, withRecoveryNotice(replies, catalogue(invocation.locale).recoveredNotice(typed(command))), deps.log);
    });
  }

  return {
    accepting: () => !deps.isStopping(),
    // Tracked like any delivery, so a graceful stop waits for it.
    recover: (command) => deps.inflight.track(recover(command)),
    async abandon(command) {
      const actor = actorFromCommand(command.context);
      const locale = await knownLocale(deps, actor).catch(() => undefined);
      await deliverReplies(respondVia(command.context.response_url, deps.deadlines.responseUrlMs), [catalogue(locale).recoveryAbandonedReply(typed(command))], deps.log);
    },
  };
}
