/**
 * The Bolt listeners: `/handle`, button presses (in messages and in App Home), the modals
 * (`key set`, "I need a key", "Claim a handle"), the events (`team_join`, `app_home_opened`)
 * and the Workflow Builder step. Each one acknowledges first (before any I/O: no store, no
 * users.info, no mail service), then works under a try/catch that answers the user with the
 * catalogue's apology and the request id if anything throws. Work is tracked so a graceful
 * stop can wait for it.
 */
import type { AllMiddlewareArgs, AnyMiddlewareArgs, App, BlockButtonAction, Middleware, SlackCommandMiddlewareArgs, webApi } from '@slack/bolt';
import { respondVia, type Responder } from './response-url.js';
import { decodeAction } from '../core/action-codec.js';
import { normaliseApiKey } from '../core/api-key.js';
import type { Engine } from '../core/engine.js';
import * as messages from '../core/messages/index.js';
import type { Notifier } from '../core/notifier.js';
import { parseLine } from '../core/parse.js';
import { newRequestId } from '../core/request-id.js';
import { plainText } from '../core/text.js';
import type { Args, Reply } from '../core/types.js';
import type { MailApi } from '../mail-api/outcomes.js';
import { validateHandle } from '../mail-api/handle-rule.js';
import type { Logger } from '../ops/logger.js';
import type { Store } from '../store/types.js';
import { isFirstDelivery } from './dedupe.js';
import { deliverReplies } from './deliver.js';
import { CLAIM_CALLBACK_ID, formModal, formResultModal, formWorkingModal, KEY_REQUEST_CALLBACK_ID, looksLikeEmail, submittedFormValue, type FormKind } from './forms.js';
import { publishHome } from './home.js';
import type { Inflight } from './inflight.js';
import { actorFromCommand, actorFromEvent, actorFromInteraction, actorIdentity, buildInvocation, type SlackActor } from './invocation.js';
import { decodeMetadata, KEY_SET_CALLBACK_ID, keyCheckingModal, keyResultModal, keySetModal, submittedKey, type ModalMetadata } from './modal.js';
import { welcomeNewcomer } from './onboarding.js';
import { ACTION_ID_PREFIX } from './render.js';
import type { UserDirectory } from './user-directory.js';
import { CLAIM_STEP_CALLBACK_ID, runClaimStep } from './workflow-step.js';

export type ListenerDeps = {
  engine: Engine;
  store: Store;
  log: Logger;
  users: UserDirectory;
  inflight: Inflight;
  /** Where front-door events go (a welcome that could not be delivered). */
  notifier: Notifier;
  /** The mail client, for the addresses the workflow step outputs (its domains are cached). */
  mail: Pick<MailApi, 'domains'>;
  /** Told about every workspace a request comes from. */
  scopes?: { remember(scope: string): void };
  /** How long the workflow step may run before it fails with "did not finish in time". */
  stepDeadlineMs: number;
  /** True once stop() began: new work is answered with "restarting" instead of run. */
  isStopping(): boolean;
};

const KEY_SET = ['key', 'set'];
const KEY_REQUEST = ['key', 'request'];
const CREATE = ['create'];

/** Where a press happened, which decides where its answer goes. */
type Surface = { kind: 'message'; respond: Responder | undefined; ephemeral: boolean } | { kind: 'home' };

export function registerSlackListeners(app: App, deps: ListenerDeps): void {
  const { engine, store, users } = deps;
  const log = deps.log;

  /** Runs the work after the ack; a throw becomes the apology (never a crash, never silence). */
  async function guarded(listener: string, requestId: string, apologise: (replies: Reply[]) => Promise<void>, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      log.error({ err: error, requestId, listener }, 'slack listener failed');
      await apologise([messages.internalErrorReply(requestId)]).catch((apologyError: unknown) => {
        log.warn({ err: apologyError, requestId }, 'could not deliver the apology');
      });
    }
  }

  const invocationFor = (client: webApi.WebClient, actor: SlackActor, requestId: string, botUserId: string | undefined, needsUserDetails = true) =>
    buildInvocation({ users, log, botUserId, scopes: deps.scopes }, client, actor, requestId, needsUserDetails);

  /** Answers a press where it happened: through its response_url, or on a fresh App Home. */
  async function answer(surface: Surface, client: webApi.WebClient, actor: SlackActor, requestId: string, replies: Reply[]): Promise<void> {
    if (surface.kind === 'home') {
      await publishHome({ store, log }, client, { userId: actor.userId, identity: actorIdentity(actor) }, requestId, replies);
      return;
    }
    // The pressed button sat in an ephemeral reply: replace it, so it cannot be pressed twice.
    await deliverReplies(surface.respond, replies, log, { replaceOriginal: surface.ephemeral });
  }

  /**
   * A modal at once (the trigger id lives ~3 s). If Slack refuses (the trigger expired), the
   * typed-command way is offered instead: `fallback` is the line whose answer explains it.
   */
  async function openModal(
    view: Parameters<webApi.WebClient['views']['open']>[0]['view'], fallback: { verb: string[]; line?: string },
    client: webApi.WebClient, triggerId: string, actor: SlackActor, requestId: string, surface: Surface, botUserId: string | undefined,
  ): Promise<void> {
    try {
      await client.views.open({ trigger_id: triggerId, view });
    } catch (error) {
      log.warn({ err: error, requestId }, 'views.open failed (the trigger id may have expired); answering without the modal');
      const invocation = await invocationFor(client, actor, requestId, botUserId);
      const replies = fallback.line !== undefined ? await engine.dispatchLine(invocation, fallback.line) : await engine.dispatch(invocation, fallback.verb, {});
      await answer(surface, client, actor, requestId, replies);
    }
  }

  const metaFor = (actor: SlackActor, surface: Surface): ModalMetadata => ({
    ...(actor.channelId ? { channelId: actor.channelId } : {}),
    attempt: 0,
    ...(surface.kind === 'home' ? { fromHome: true } : {}),
  });

  /** `key set`: the key modal; if Slack refuses, a button to try again. */
  const openKeySetModal = (client: webApi.WebClient, triggerId: string, actor: SlackActor, requestId: string, surface: Surface, botUserId: string | undefined) =>
    openModal(keySetModal(metaFor(actor, surface)), { verb: KEY_SET }, client, triggerId, actor, requestId, surface, botUserId);

  /** "I need a key" / "Claim a handle" without an address or a name: the form that asks for it. */
  const openForm = (kind: FormKind, client: webApi.WebClient, triggerId: string, actor: SlackActor, requestId: string, surface: Surface, botUserId: string | undefined) =>
    openModal(formModal(kind, metaFor(actor, surface)), { verb: kind === 'claim' ? CREATE : KEY_REQUEST, line: kind === 'claim' ? 'create' : 'key request' },
      client, triggerId, actor, requestId, surface, botUserId);

  // Every delivery is tracked for the graceful stop; a redelivered event runs once.
  const trackAndDedupe: Middleware<AnyMiddlewareArgs> = async (args) => {
    const body = args.body as unknown as Record<string, unknown>;
    // Events are acknowledged by Bolt before middleware, except function_executed: ack it here,
    // first (the step's listener is registered without auto-acknowledgement).
    const event = body.event as { type?: unknown } | undefined;
    if (body.type === 'event_callback' && event?.type === 'function_executed' && 'ack' in args && typeof args.ack === 'function') await args.ack();
    if (body.type === 'event_callback' && !(await isFirstDelivery(store, body, log))) return;
    const work = args.next();
    void deps.inflight.track(work);
    await work;
  };
  app.use(trackAndDedupe);

  app.command(/^\/.+/, async ({ ack, body, respond: boltRespond, client, context }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
    await ack();
    const respond = respondVia(body.response_url) ?? boltRespond;
    const requestId = newRequestId();
    await guarded('command', requestId, (replies) => deliverReplies(respond, replies, log), async () => {
      if (deps.isStopping()) return deliverReplies(respond, [messages.restartingReply()], log);
      if (!(await isFirstDelivery(store, body, log))) return;
      const actor = actorFromCommand(body);
      const parsed = parseLine(body.text, engine.commands);
      if (parsed.kind === 'command' && parsed.command.firstResponse === 'modal') {
        return openKeySetModal(client, body.trigger_id, actor, requestId, { kind: 'message', respond, ephemeral: false }, context.botUserId);
      }
      // Admin rights and the full name matter only to admin verbs and help (which lists them).
      const needsUserDetails = parsed.kind !== 'command' || parsed.command.who === 'admin' || parsed.command.verb[0] === 'help';
      const invocation = await invocationFor(client, actor, requestId, context.botUserId, needsUserDetails);
      await deliverReplies(respond, await engine.dispatchLine(invocation, body.text), log);
    });
  });

  app.action<BlockButtonAction>({ type: 'block_actions', action_id: new RegExp(`^${ACTION_ID_PREFIX.replace('.', '\\.')}`) }, async ({ ack, body, action, respond: boltRespond, client, context }) => {
    await ack();
    const respond = respondVia(body.response_url) ?? boltRespond;
    const requestId = newRequestId();
    const container = body.container as { type?: unknown; is_ephemeral?: unknown } | undefined;
    const inHome = container?.type === 'view' && (body.view as { type?: unknown } | undefined)?.type === 'home';
    const surface: Surface = inHome ? { kind: 'home' } : { kind: 'message', respond, ephemeral: container?.is_ephemeral === true };
    const actor = actorFromInteraction(body as unknown as Record<string, unknown>);
    // In App Home there is no response_url: the answer (or the apology) goes on the Home tab.
    await guarded('button', requestId, (replies) => answer(surface, client, actor, requestId, replies), async () => {
      if (deps.isStopping()) return answer(surface, client, actor, requestId, [messages.restartingReply()]);
      if (!(await isFirstDelivery(store, body as unknown as Record<string, unknown>, log))) return;
      const decoded = decodeAction(action.value ?? '');
      const verb = decoded?.verb.join(' ');
      if (verb === KEY_SET.join(' ')) return openKeySetModal(client, body.trigger_id, actor, requestId, surface, context.botUserId);
      if (verb === KEY_REQUEST.join(' ') && !decoded?.args.email) return openForm('key_request', client, body.trigger_id, actor, requestId, surface, context.botUserId);
      if (verb === CREATE.join(' ') && !decoded?.args.name) return openForm('claim', client, body.trigger_id, actor, requestId, surface, context.botUserId);

      const invocation = await invocationFor(client, actor, requestId, context.botUserId);
      let replies: Reply[];
      if (decoded) {
        replies = await engine.dispatch({ ...invocation, fromAction: true }, decoded.verb, decoded.args);
      } else {
        // A button from an older version of the bot: say what it can do now.
        log.warn({ requestId, actionId: action.action_id }, 'a button press could not be decoded');
        replies = await engine.dispatchLine(invocation, '');
      }
      await answer(surface, client, actor, requestId, replies);
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
    const actor = actorFromInteraction(body as unknown as Record<string, unknown>, meta.channelId);
    const showResult = async (replies: Reply[]) => {
      await client.views.update({ view_id: view.id, view: keyResultModal(replies, meta) });
      if (meta.fromHome) await publishHome({ store, log }, client, { userId: actor.userId, identity: actorIdentity(actor) }, requestId);
    };
    try {
      if (!(await isFirstDelivery(store, body as unknown as Record<string, unknown>, log))) return;
      const invocation = await invocationFor(client, actor, requestId, context.botUserId);
      await showResult(await engine.dispatch(invocation, KEY_SET, { key: parsed.key }));
    } catch (error) {
      log.error({ err: error, requestId, listener: 'key_set_modal' }, 'slack listener failed');
      await showResult([messages.internalErrorReply(requestId)]).catch((updateError: unknown) => {
        log.warn({ err: updateError, requestId }, 'could not update the key modal with the apology');
      });
    }
  });

  /**
   * "I need a key" and "Claim a handle": checked locally first and refused inline (the handle
   * rule's precise reason, a malformed address); otherwise "working…" at once, then the
   * engine's answer in the modal, and a fresh App Home when the modal was opened from there.
   */
  const forms: { kind: FormKind; callbackId: string }[] = [
    { kind: 'key_request', callbackId: KEY_REQUEST_CALLBACK_ID },
    { kind: 'claim', callbackId: CLAIM_CALLBACK_ID },
  ];
  for (const { kind, callbackId } of forms) {
    app.view({ type: 'view_submission', callback_id: callbackId }, async ({ ack, body, view, client, context }) => {
      const meta = decodeMetadata(view.private_metadata);
      const submitted = submittedFormValue(kind, view.state);
      if (!submitted) {
        await ack();
        log.warn({ callbackId }, 'a form was submitted without its input');
        return;
      }
      const value = submitted.value.trim();
      let verb: string[];
      let args: Args;
      let working: string;
      if (kind === 'claim') {
        const check = validateHandle(value);
        if (!check.ok) {
          await ack({ response_action: 'errors', errors: { [submitted.blockId]: messages.invalidHandleInlineError(check.problem, check.suggestion) } });
          return;
        }
        verb = CREATE;
        args = { name: check.handle };
        working = messages.claimingText(check.handle);
      } else {
        if (!looksLikeEmail(value)) {
          await ack({ response_action: 'errors', errors: { [submitted.blockId]: messages.invalidEmailInlineError() } });
          return;
        }
        verb = KEY_REQUEST;
        args = { email: value };
        working = messages.slackKeyRequestModalText.checking;
      }
      if (deps.isStopping()) {
        const restarting = messages.restartingReply();
        await ack({ response_action: 'errors', errors: { [submitted.blockId]: plainText([...restarting.title, '. ', ...(restarting.body?.[0] ?? [])]) } });
        return;
      }
      await ack({ response_action: 'update', view: formWorkingModal(kind, meta, working) });

      const requestId = newRequestId();
      const actor = actorFromInteraction(body as unknown as Record<string, unknown>, meta.channelId);
      const showResult = async (replies: Reply[]) => {
        await client.views.update({ view_id: view.id, view: formResultModal(kind, replies, meta) });
        if (meta.fromHome) await publishHome({ store, log }, client, { userId: actor.userId, identity: actorIdentity(actor) }, requestId);
      };
      try {
        if (!(await isFirstDelivery(store, body as unknown as Record<string, unknown>, log))) return;
        const invocation = await invocationFor(client, actor, requestId, context.botUserId);
        await showResult(await engine.dispatch(invocation, verb, args));
      } catch (error) {
        log.error({ err: error, requestId, listener: callbackId }, 'slack listener failed');
        await showResult([messages.internalErrorReply(requestId)]).catch((updateError: unknown) => {
          log.warn({ err: updateError, requestId }, 'could not update the modal with the apology');
        });
      }
    });
  }

  // App Home: published whenever the Home tab opens (the Messages tab needs nothing).
  app.event('app_home_opened', async ({ event, body, client }) => {
    if (event.tab !== 'home') return;
    const requestId = newRequestId();
    const actor = actorFromEvent(body, event.user);
    if (actor.teamId) deps.scopes?.remember(`slack:${actor.teamId}`);
    await publishHome({ store, log }, client, { userId: event.user, identity: actorIdentity(actor) }, requestId);
  });

  // A newcomer: the welcome DM when the workspace wants it (the event was acknowledged by Bolt).
  app.event('team_join', async ({ event, body, client }) => {
    try {
      await welcomeNewcomer({ store, notifier: deps.notifier, log, ...(deps.scopes ? { scopes: deps.scopes } : {}) }, client, body, event.user);
    } catch (error) {
      log.error({ err: error }, 'team_join: could not welcome the newcomer');
    }
  });

  // The Workflow Builder step, acknowledged by trackAndDedupe above.
  app.function(CLAIM_STEP_CALLBACK_ID, { autoAcknowledge: false }, async ({ body, inputs, client, complete, fail, context }) => {
    if (deps.isStopping()) {
      // Failed at once rather than cut off by the shutdown: the person can simply run it again.
      const restarting = messages.restartingReply();
      await fail({ error: plainText([...restarting.title, '. ', ...(restarting.body?.[0] ?? [])]) }).catch((error: unknown) => {
        log.warn({ err: error }, 'workflow step: could not fail the run while stopping');
      });
      return;
    }
    await runClaimStep(
      { engine, store, mail: deps.mail, users, log, deadlineMs: deps.stepDeadlineMs, ...(deps.scopes ? { scopes: deps.scopes } : {}) },
      { body, inputs, client, complete, fail, botUserId: context.botUserId },
    );
  });
}
