/**
 * What every Slack listener shares: its dependencies, the invocation of a payload, the two
 * places an answer can go (a response_url, or App Home, where a press has none), opening a
 * command's form, and the guard that turns a throw after the ack into the catalogue's apology.
 */
import type { webApi } from '@slack/bolt';
import { whileWaiting, type Admission } from '../../core/admission.js';
import { inputsToAsk } from '../../core/interactions.js';
import { catalogue, type Locale } from '../../core/messages/index.js';
import type { EnginePort } from '../../core/port.js';
import type { Args, Command, Reply } from '../../core/types.js';
import type { Deadlines } from '../../ops/deadlines.js';
import type { Inflight } from '../../ops/inflight.js';
import type { Logger } from '../../ops/logger.js';
import { deliverReplies } from '../deliver.js';
import { formModal, type FormMetadata } from '../forms.js';
import { publishHome } from '../home.js';
import { actorIdentity, buildInvocation, lookUpActor, type SlackActor } from '../invocation.js';
import type { SlackScopes } from '../notifications.js';
import type { Responder } from '../response-url.js';
import { forgetIfRevoked } from '../revocation.js';
import type { UserDirectory } from '../user-directory.js';

export type SlackDeps = {
  engine: EnginePort;
  log: Logger;
  users: UserDirectory;
  inflight: Inflight;
  /** Where the work after an ack waits its turn, so acks are never starved by it (core/admission). */
  admission: Admission;
  /** Told about every workspace a request comes from (where outage notices go). */
  scopes: SlackScopes;
  deadlines: Deadlines;
  /** Hosted multi-workspace mode (each workspace installed with "Add to Slack"). */
  hosted: boolean;
  /** A Web API client for a workspace with no request in hand (a command taken over after a restart): the bot token's, or, hosted, one with that workspace's token and the app's client options. */
  workspaceClient(teamId: string): Promise<webApi.WebClient>;
  /** True once stop() began: new work is answered with "restarting" instead of run. */
  isStopping(): boolean;
};

/** Where a press happened, which decides where its answer goes. */
export type Surface = { kind: 'message'; respond: Responder | undefined; ephemeral: boolean } | { kind: 'home' };

export async function invocationFor(deps: SlackDeps, client: webApi.WebClient, actor: SlackActor, requestId: string, botUserId: string | undefined) {
  // A person not cached yet is looked up (users.info) without holding an admission place
  // (core/admission); buildInvocation then finds the answer cached. Resumed at once: an admin's
  // settings change must not fall behind the events that arrive after its ack any more than it did.
  await whileWaiting(lookUpActor(deps.users, client, actor), { resumeAtOnce: true });
  return buildInvocation({ users: deps.users, log: deps.log, botUserId, scopes: deps.scopes }, client, actor, requestId);
}

/** The person's language if the cache knows it already (for answers given before any lookup: restarting, an apology). */
export async function knownLocale(deps: Pick<SlackDeps, 'users'>, actor: SlackActor | undefined): Promise<Locale | undefined> {
  return actor ? (await deps.users.peek(actorIdentity(actor)))?.locale : undefined;
}

/** The person's language for a form, waited for only as long as the trigger id allows (then English). */
async function formLocale(deps: SlackDeps, client: webApi.WebClient, actor: SlackActor): Promise<Locale | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => { timer = setTimeout(() => { resolve(undefined); }, deps.deadlines.formLanguageMs); });
  try {
    return (await Promise.race([lookUpActor(deps.users, client, actor), late]))?.locale;
  } finally {
    clearTimeout(timer);
  }
}

/** Answers where the press happened: through its response_url, or on a fresh App Home. */
export async function answer(deps: SlackDeps, surface: Surface, client: webApi.WebClient, actor: SlackActor, requestId: string, replies: Reply[]): Promise<void> {
  if (surface.kind === 'home') {
    await publishHome(deps, client, actor, requestId, replies);
    return;
  }
  // The pressed button sat in an ephemeral reply: replace it, so it cannot be pressed twice.
  await deliverReplies(surface.respond, replies, deps.log, { replaceOriginal: surface.ephemeral });
}

/**
 * Runs the work after the ack, admitted (core/admission: later than the acks that arrived with it,
 * and only so many at once); a throw becomes the apology (never a crash, never silence), in the
 * actor's language when known.
 */
export async function guarded(deps: SlackDeps, listener: string, requestId: string, actor: SlackActor, apologise: (replies: Reply[]) => Promise<void>, work: () => Promise<void>): Promise<void> {
  try {
    await deps.admission.run(work);
  } catch (error) {
    deps.log.error({ err: error, requestId, listener }, 'slack listener failed');
    forgetIfRevoked(deps, actor, error);
    const messages = catalogue(await knownLocale(deps, actor).catch(() => undefined));
    await apologise([messages.internalErrorReply(requestId)]).catch((apologyError: unknown) => {
      deps.log.warn({ err: apologyError, requestId }, 'could not deliver the apology');
    });
  }
}

export type FormRequest = {
  command: Command;
  args: Args;
  via: 'typed' | 'action';
  /** A secret (a key) was typed on the command line: it is not used, and the form says why. */
  typedSecret?: boolean;
  client: webApi.WebClient;
  triggerId: string;
  actor: SlackActor;
  requestId: string;
  surface: Surface;
  botUserId: string | undefined;
};

/**
 * Opens the command's form when its declared inputs must be asked there; false when there is
 * nothing to ask. The form opens at once (a trigger id lives ~3 s); if Slack refuses (the
 * trigger expired), the command runs without it and its answer says how to go on.
 */
export async function openFormIfNeeded(deps: SlackDeps, request: FormRequest): Promise<boolean> {
  const { command, args, client, actor, requestId, surface } = request;
  const inputs = inputsToAsk(command, args, request.via);
  if (inputs.length === 0) return false;
  const locale = await formLocale(deps, client, actor);
  const meta: FormMetadata = {
    ...(actor.channelId ? { channelId: actor.channelId } : {}),
    attempt: 0,
    ...(surface.kind === 'home' ? { fromHome: true } : {}),
    ...(locale ? { locale } : {}),
  };
  try {
    const notice = request.typedSecret ? catalogue(locale).slackKeyTypedNotice() : undefined;
    await client.views.open({ trigger_id: request.triggerId, view: formModal(command, inputs, meta, notice) });
  } catch (error) {
    deps.log.warn({ err: error, requestId }, 'views.open failed (the trigger id may have expired); answering without the form');
    forgetIfRevoked(deps, actor, error);
    const invocation = await invocationFor(deps, client, actor, requestId, request.botUserId);
    const { replies } = await deps.engine.dispatch(invocation, command.verb, args);
    await answer(deps, surface, client, actor, requestId, replies);
  }
  return true;
}
