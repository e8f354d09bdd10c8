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
import { obj } from '../../domain/untyped.js';
import { isFirstDelivery } from '../dedupe.js';
import { actorFromInteraction } from '../invocation.js';
import { ACTION_ID_PREFIX } from '../render.js';
import { respondVia } from '../response-url.js';
import { answer, guarded, invocationFor, knownLocale, openFormIfNeeded, type SlackDeps, type Surface } from './context.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

export function handleButtonPress(deps: SlackDeps) {
  return async ({ ack, body, action, respond: boltRespond, client, context }: ButtonArgs): Promise<void> => {
    await ack();
    const respond = respondVia(body.response_url, deps.deadlines.responseUrlMs) ?? boltRespond;
    const requestId = newRequestId();
    const container = obj(body.container);
    const inHome = container?.type === 'view' && obj(body.view)?.type === 'home';
    const surface: Surface = inHome ? { kind: 'home' } : { kind: 'message', respond, ephemeral: container?.is_ephemeral === true };
    const actor = actorFromInteraction(body);
    await guarded(deps, 'button', requestId, actor, (replies) => answer(deps, surface, client, actor, requestId, replies), async () => {
      if (deps.isStopping()) return answer(deps, surface, client, actor, requestId, [catalogue(await knownLocale(deps, actor)).restartingReply()]);
      if (!(await isFirstDelivery(deps.engine, body))) return;
      const decoded = decodeAction(action.value ?? '');
      const command = decoded ? exactCommand(deps.engine.commands, decoded.verb) : undefined;
      if (decoded && command) {
        const form = { command, args: decoded.args, via: 'action', client, triggerId: body.trigger_id, actor, requestId, surface, botUserId: context.botUserId } as const;
        if (await openFormIfNeeded(deps, form)) return;
      }
      const invocation = await invocationFor(deps, client, actor, requestId, context.botUserId);
      if (!decoded) {
        // A button from an older version of the bot: say what it can do now.
        deps.log.warn({ requestId, actionId: action.action_id }, 'a button press could not be decoded');
      }
      const { replies } = decoded
        ? await deps.engine.dispatch({ ...invocation, fromAction: true }, decoded.verb, decoded.args)
        : await deps.engine.dispatchLine(invocation, '');
      await answer(deps, surface, client, actor, requestId, replies);
    });
  };
}

export function registerActionListeners(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>({ type: 'block_actions', action_id: new RegExp(`^${ACTION_ID_PREFIX.replace('.', '\\.')}`) }, handleButtonPress(deps));
}
