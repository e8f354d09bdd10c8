/**
 * The Bolt listeners: `/handle`, button presses, the `key set` modal. Each one acknowledges
 * first (before any I/O: no store, no users.info, no mail service), then works under a
 * try/catch that answers the user with the catalogue's apology and the request id if
 * anything throws. Work is tracked so a graceful stop can wait for it.
 */
import type { AllMiddlewareArgs, AnyMiddlewareArgs, App, BlockButtonAction, Middleware, RespondFn, SlackCommandMiddlewareArgs, webApi } from '@slack/bolt';
import { decodeAction } from '../core/action-codec.js';
import { normaliseApiKey } from '../core/api-key.js';
import type { Engine } from '../core/engine.js';
import * as messages from '../core/messages/index.js';
import { parseLine } from '../core/parse.js';
import { newRequestId } from '../core/request-id.js';
import { plainText } from '../core/text.js';
import type { Reply } from '../core/types.js';
import type { Logger } from '../ops/logger.js';
import type { Store } from '../store/types.js';
import { isFirstDelivery } from './dedupe.js';
import { deliverReplies } from './deliver.js';
import type { Inflight } from './inflight.js';
import { actorFromCommand, actorFromInteraction, buildInvocation, type SlackActor } from './invocation.js';
import { decodeMetadata, KEY_SET_CALLBACK_ID, keyCheckingModal, keyResultModal, keySetModal, submittedKey } from './modal.js';
import { ACTION_ID_PREFIX } from './render.js';
import type { UserDirectory } from './user-directory.js';

export type ListenerDeps = {
  engine: Engine;
  store: Store;
  log: Logger;
  users: UserDirectory;
  inflight: Inflight;
  /** True once stop() began: new work is answered with "restarting" instead of run. */
  isStopping(): boolean;
};

const KEY_SET = ['key', 'set'];

export function registerSlackListeners(app: App, deps: ListenerDeps): void {
  const { engine, store, users } = deps;
  const log = deps.log;

  /** Runs the work after the ack; a throw becomes the apology (never a crash, never silence). */
  async function guarded(listener: string, requestId: string, respond: RespondFn | undefined, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      log.error({ err: error, requestId, listener }, 'slack listener failed');
      await deliverReplies(respond, [messages.internalErrorReply(requestId)], log);
    }
  }

  const invocationFor = (client: webApi.WebClient, actor: SlackActor, requestId: string, botUserId: string | undefined) =>
    buildInvocation({ users, log, botUserId }, client, actor, requestId);

  /** `key set`: the modal at once (the trigger id lives ~3 s); if Slack refuses, a button to try again. */
  async function openKeySetModal(
    client: webApi.WebClient, triggerId: string, actor: SlackActor, requestId: string, respond: RespondFn | undefined, botUserId: string | undefined,
  ): Promise<void> {
    try {
      await client.views.open({ trigger_id: triggerId, view: keySetModal({ ...(actor.channelId ? { channelId: actor.channelId } : {}), attempt: 0 }) });
    } catch (error) {
      log.warn({ err: error, requestId }, 'views.open failed (the trigger id may have expired); offering a button instead');
      const invocation = await invocationFor(client, actor, requestId, botUserId);
      await deliverReplies(respond, await engine.dispatch(invocation, KEY_SET, {}), log);
    }
  }

  // Every delivery is tracked for the graceful stop; a redelivered event runs once.
  const trackAndDedupe: Middleware<AnyMiddlewareArgs> = async (args) => {
    const body = args.body as unknown as Record<string, unknown>;
    if (body.type === 'event_callback' && !(await isFirstDelivery(store, body, log))) {
      // Events are acknowledged by Bolt before middleware, except function_executed.
      if ('ack' in args && typeof args.ack === 'function') await args.ack();
      return;
    }
    const work = args.next();
    void deps.inflight.track(work);
    await work;
  };
  app.use(trackAndDedupe);

  app.command(/^\/.+/, async ({ ack, body, respond, client, context }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
    await ack();
    const requestId = newRequestId();
    await guarded('command', requestId, respond, async () => {
      if (deps.isStopping()) return deliverReplies(respond, [messages.restartingReply()], log);
      if (!(await isFirstDelivery(store, body, log))) return;
      const actor = actorFromCommand(body);
      const parsed = parseLine(body.text, engine.commands);
      if (parsed.kind === 'command' && parsed.command.firstResponse === 'modal') {
        return openKeySetModal(client, body.trigger_id, actor, requestId, respond, context.botUserId);
      }
      const invocation = await invocationFor(client, actor, requestId, context.botUserId);
      await deliverReplies(respond, await engine.dispatchLine(invocation, body.text), log);
    });
  });

  app.action<BlockButtonAction>({ type: 'block_actions', action_id: new RegExp(`^${ACTION_ID_PREFIX.replace('.', '\\.')}`) }, async ({ ack, body, action, respond, client, context }) => {
    await ack();
    const requestId = newRequestId();
    await guarded('button', requestId, respond, async () => {
      if (deps.isStopping()) return deliverReplies(respond, [messages.restartingReply()], log);
      if (!(await isFirstDelivery(store, body as unknown as Record<string, unknown>, log))) return;
      const actor = actorFromInteraction(body as unknown as Record<string, unknown>);
      const decoded = decodeAction(action.value ?? '');
      if (decoded && decoded.verb.join(' ') === KEY_SET.join(' ')) {
        return openKeySetModal(client, body.trigger_id, actor, requestId, respond, context.botUserId);
      }
      const invocation = await invocationFor(client, actor, requestId, context.botUserId);
      let replies: Reply[];
      if (decoded) {
        replies = await engine.dispatch({ ...invocation, fromAction: true }, decoded.verb, decoded.args);
      } else {
        // A button from an older version of the bot: say what it can do now.
        log.warn({ requestId, actionId: action.action_id }, 'a button press could not be decoded');
        replies = await engine.dispatchLine(invocation, '');
      }
      // The pressed button sat in an ephemeral reply: replace it, so it cannot be pressed twice.
      const inEphemeral = (body.container as { is_ephemeral?: boolean } | undefined)?.is_ephemeral === true;
      await deliverReplies(respond, replies, log, { replaceOriginal: inEphemeral });
    });
  });

  app.view({ type: 'view_submission', callback_id: KEY_SET_CALLBACK_ID }, async ({ ack, body, view, client, context }) => {
    const meta = decodeMetadata(view.private_metadata);
    const submitted = submittedKey(view.state);
    if (!submitted) {
      await ack();
      log.warn({ callbackId: view.callback_id }, 'key set modal submitted without its input');
      return;
    }
    // Checked locally and refused inline: the key is described, never echoed.
    const parsed = normaliseApiKey(submitted.value);
    if (!parsed.ok) {
      await ack({ response_action: 'errors', errors: { [submitted.blockId]: messages.malformedKeyInlineError(parsed.problem) } });
      return;
    }
    if (deps.isStopping()) {
      const restarting = messages.restartingReply();
      await ack({ response_action: 'errors', errors: { [submitted.blockId]: plainText([...restarting.title, '. ', ...(restarting.body?.[0] ?? [])]) } });
      return;
    }
    await ack({ response_action: 'update', view: keyCheckingModal(meta) });

    const requestId = newRequestId();
    const showResult = async (replies: Reply[]) => {
      await client.views.update({ view_id: view.id, view: keyResultModal(replies, meta) });
    };
    try {
      if (!(await isFirstDelivery(store, body as unknown as Record<string, unknown>, log))) return;
      const actor = actorFromInteraction(body as unknown as Record<string, unknown>, meta.channelId);
      const invocation = await invocationFor(client, actor, requestId, context.botUserId);
      await showResult(await engine.dispatch(invocation, KEY_SET, { key: parsed.key }));
    } catch (error) {
      log.error({ err: error, requestId, listener: 'key_set_modal' }, 'slack listener failed');
      await showResult([messages.internalErrorReply(requestId)]).catch((updateError: unknown) => {
        log.warn({ err: updateError, requestId }, 'could not update the key modal with the apology');
      });
    }
  });
}
