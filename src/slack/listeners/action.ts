/**
 * Button presses, in messages and in App Home. A press is the action its button carries (the
 * core's codec), run by whoever pressed it; when the command's declared inputs must be asked
 * first (a key, or an address or a name the button left out) its form opens instead. In App
 * Home there is no response_url: the answer goes on a fresh Home tab.
 */
import type { AllMiddlewareArgs, App, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { decodeAction } from '../../core/action-codec.js';
import { exactCommand } from '../../core/interactions.js';
import { catalogue } from '../../core/messages/index.js';
import { newRequestId } from '../../core/request-id.js';
import type { Invocation, Reply } from '../../core/types.js';
import { obj } from '../../domain/untyped.js';
import { slackActionIntent, writeThenAck } from '../dedupe.js';
import { actorFromInteraction } from '../invocation.js';
import { ACTION_ID_PREFIX } from '../render.js';
import { respondVia } from '../response-url.js';
import { answer, guarded, invocationFor, knownLocale, openFormIfNeeded, type SlackDeps, type Surface } from './context.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

export function handleButtonPress(deps: SlackDeps) {
  const admit = writeThenAck(deps);
  return async ({ ack, body, action, respond: boltRespond, client, context }: ButtonArgs): Promise<void> => {
    const container = obj(body.container);
    const inHome = container?.type === 'view' && obj(body.view)?.type === 'home';
    const ephemeral = container?.is_ephemeral === true;
    // Written down before the ack, like a slash command (command.ts): a replica killed while
    // running the press leaves it for another to finish.
    const { admission } = await admit(slackActionIntent(body, action, { inHome, ephemeral }), () => ack());
    const respond = respondVia(body.response_url, deps.deadlines.responseUrlMs) ?? boltRespond;
    const requestId = newRequestId();
    const surface: Surface = inHome ? { kind: 'home' } : { kind: 'message', respond, ephemeral };
    const actor = actorFromInteraction(body);
    await guarded(deps, 'button', requestId, actor, (replies) => answer(deps, surface, client, actor, requestId, replies), async () => {
      const admitted = await admission;
      if (!admitted.first) return;
      try {
        if (deps.isStopping()) {
          await answer(deps, surface, client, actor, requestId, [catalogue(await knownLocale(deps, actor)).restartingReply()]);
          return;
        }
        const decoded = decodeAction(action.value ?? '');
        const command = decoded ? exactCommand(deps.engine.commands, decoded.verb) : undefined;
        if (decoded && command) {
          const form = { command, args: decoded.args, via: 'action', client, triggerId: body.trigger_id, actor, requestId, surface, botUserId: context.botUserId } as const;
          if (await openFormIfNeeded(deps, form)) return;
        }
        const invocation = await invocationFor(deps, client, actor, requestId, context.botUserId);
        await answer(deps, surface, client, actor, requestId, await runPress(deps, invocation, action));
      } finally {
        await admitted.finish();
      }
    });
  };
}

/** What a press does: its decoded action, run by whoever pressed it (also for a press taken over after a restart). */
export async function runPress(deps: Pick<SlackDeps, 'engine' | 'log'>, invocation: Invocation, action: { value?: string | undefined; action_id: string }): Promise<Reply[]> {
  const decoded = decodeAction(action.value ?? '');
  if (!decoded) {
    // A button from an older version of the bot: say what it can do now.
    deps.log.warn({ requestId: invocation.requestId, actionId: action.action_id }, 'a button press could not be decoded');
  }
  const { replies } = decoded
    ? await deps.engine.dispatch({ ...invocation, fromAction: true }, decoded.verb, decoded.args)
    : await deps.engine.dispatchLine(invocation, '');
  return replies;
}

export function registerActionListeners(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>({ type: 'block_actions', action_id: new RegExp(`^${ACTION_ID_PREFIX.replace('.', '\\.')}`) }, handleButtonPress(deps));
}
