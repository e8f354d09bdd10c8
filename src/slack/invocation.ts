/**
 * From a Slack payload to the engine's Invocation: who (identity, display name, admin
 * rights, their Slack's language), where (settings scope, channel), and the platform's channel
 * check. Called only after the interaction was acknowledged, because it may call users.info.
 */
import type { webApi } from '@slack/bolt';
import { slackIdentity, type Identity } from '../domain/identity.js';
import { slackScope } from '../domain/scope.js';
import { list, obj, str } from '../domain/untyped.js';
import type { Invocation } from '../core/types.js';
import { catalogue } from '../core/messages/index.js';
import type { Logger } from '../ops/logger.js';
import { slackChannelCheck } from './channel-check.js';
import type { UserDirectory } from './user-directory.js';

/** The facts every payload type carries, under different names. */
export type SlackActor = {
  teamId: string;
  enterpriseId?: string;
  userId: string;
  userName?: string;
  channelId?: string;
};


/** A slash command body (form fields). */
export function actorFromCommand(payload: unknown): SlackActor {
  const body = obj(payload) ?? {};
  return compact({
    teamId: str(body.team_id) ?? '',
    enterpriseId: str(body.enterprise_id),
    userId: str(body.user_id) ?? '',
    userName: str(body.user_name),
    channelId: str(body.channel_id),
  });
}

/**
 * An Events API body (`event_callback`) and the user the event is about. Enterprise Grid
 * names the organisation in `enterprise_id` (or in the authorizations), like a command does.
 */
export function actorFromEvent(payload: unknown, userId: string): SlackActor {
  const body = obj(payload) ?? {};
  const authorization = obj(list(body.authorizations)?.[0]);
  return compact({
    teamId: str(body.team_id) ?? str(body.context_team_id) ?? str(authorization?.team_id) ?? '',
    enterpriseId: str(body.enterprise_id) ?? str(body.context_enterprise_id) ?? str(authorization?.enterprise_id),
    userId,
    userName: undefined,
    channelId: undefined,
  });
}

/** A direct message with the bot or between people: Slack's DM ids start with D. */
export function isDirectMessage(channelId: string | undefined): boolean {
  return channelId !== undefined && channelId.startsWith('D');
}

/** A block_actions or view_submission body. */
export function actorFromInteraction(payload: unknown, channelId?: string): SlackActor {
  const body = obj(payload) ?? {};
  const user = obj(body.user) ?? {};
  const team = obj(body.team);
  return compact({
    teamId: str(team?.id) ?? str(user.team_id) ?? '',
    enterpriseId: str(obj(body.enterprise)?.id) ?? str(team?.enterprise_id),
    userId: str(user.id) ?? '',
    userName: str(user.username) ?? str(user.name),
    channelId: channelId ?? str(obj(body.channel)?.id) ?? str(obj(body.container)?.channel_id),
  });
}

function compact(actor: { [K in keyof SlackActor]: SlackActor[K] | undefined }): SlackActor {
  const out: SlackActor = { teamId: actor.teamId ?? '', userId: actor.userId ?? '' };
  if (actor.enterpriseId) out.enterpriseId = actor.enterpriseId;
  if (actor.userName) out.userName = actor.userName;
  if (actor.channelId) out.channelId = actor.channelId;
  return out;
}

export function actorIdentity(actor: SlackActor): Identity {
  return slackIdentity(actor.enterpriseId ?? actor.teamId, actor.userId);
}

export type InvocationDeps = {
  users: UserDirectory;
  log: Logger;
  /** The bot's own user id (auth.test), for "invite @bot" hints. */
  botUserId?: string | undefined;
  /** Told about every workspace a request comes from (where outage notices go). */
  scopes?: { add(scope: string): void };
};

/** Who the actor is: from the cache, else users.info (a payload never says a person's language). */
export function lookUpActor(users: UserDirectory, client: Pick<webApi.WebClient, 'users'>, actor: SlackActor) {
  return users.lookup((args) => client.users.info(args), actorIdentity(actor), actor.userId, actor.userName ?? actor.userId);
}

/** Slack's answer right now on whether the actor is an admin (for admin verbs; never the cache). */
function currentAdminCheck(users: UserDirectory, client: Pick<webApi.WebClient, 'users'>, actor: SlackActor): () => Promise<boolean> {
  return async () => (await users.fresh((args) => client.users.info(args), actorIdentity(actor), actor.userId, actor.userName ?? actor.userId)).platformAdmin;
}

export async function buildInvocation(deps: InvocationDeps, client: webApi.WebClient, actor: SlackActor, requestId: string): Promise<Invocation> {
  const identity = actorIdentity(actor);
  // Every reply needs the person's language, so someone not cached is looked up once (then
  // cached with their name and rights); someone cached costs no round trip.
  const who = await lookUpActor(deps.users, client, actor);
  const bot = deps.botUserId ? slackIdentity(actor.enterpriseId ?? actor.teamId, deps.botUserId) : undefined;
  const scope = actor.teamId ? slackScope(actor.teamId) : undefined;
  if (scope) deps.scopes?.add(scope);
  return {
    platform: 'slack',
    identity,
    ...(scope ? { scope } : {}),
    // A DM is nobody's channel: a claim made there is answered privately, never announced.
    ...(actor.channelId && !isDirectMessage(actor.channelId) ? { channelId: actor.channelId } : {}),
    displayName: who.displayName,
    platformAdmin: who.platformAdmin,
    currentAdmin: currentAdminCheck(deps.users, client, actor),
    requestId,
    ...(who.locale ? { locale: who.locale } : {}),
    checkChannel: slackChannelCheck(client, bot, deps.log.child({ requestId }), catalogue(who.locale)),
  };
}
