/**
 * Welcoming newcomers: on `team_join` (users:read), when the workspace turned onboarding on, the
 * newcomer gets the welcome as a direct message (im:write + chat:write), once (the core claims
 * it across replicas and redeliveries). Its buttons are ordinary actions: link a key (the key
 * modal), "I need a key" (the e-mail modal) and "Claim <suggestion>" (confirmed, then created,
 * privately: a DM is nobody's channel). When the DM cannot be delivered, the admins hear it.
 * The welcome is written in the newcomer's own language (users.info, which also caches who
 * they are for their first command), else the workspace's.
 */
import type { webApi } from '@slack/bolt';
import { slackIdentity } from '../domain/identity.js';
import { slackScope } from '../domain/scope.js';
import type { EnginePort } from '../core/port.js';
import type { Reply } from '../core/types.js';
import type { Logger } from '../ops/logger.js';
import { platformError } from './channel-check.js';
import { actorFromEvent, lookUpActor } from './invocation.js';
import type { UserDirectory } from './user-directory.js';
import { renderSlackReply } from './render.js';

/** The `user` object of a team_join event (the parts we read). */
type JoinedUser = {
  id?: string;
  name?: string;
  real_name?: string;
  is_bot?: boolean;
  is_app_user?: boolean;
  deleted?: boolean;
  profile?: { display_name?: string; real_name?: string };
};

export type DmClient = Pick<webApi.WebClient, 'conversations' | 'chat'>;

/** Opens the DM with `userId` and posts `reply` there; resolves to the Slack error code on failure. */
export async function sendDirectMessage(client: DmClient, userId: string, reply: Reply): Promise<{ ok: true; channel: string } | { ok: false; error: string }> {
  try {
    const opened = await client.conversations.open({ users: userId });
    const channel = opened.channel?.id;
    if (!channel) return { ok: false, error: 'no_dm_channel' };
    await client.chat.postMessage({ channel, ...renderSlackReply(reply), unfurl_links: false, unfurl_media: false });
    return { ok: true, channel };
  } catch (error) {
    return { ok: false, error: platformError(error) ?? (error instanceof Error ? error.message : 'unknown_error') };
  }
}

export async function welcomeNewcomer(
  deps: { engine: Pick<EnginePort, 'welcome' | 'notify'>; log: Logger; users: UserDirectory; scopes?: { add(scope: string): void } },
  client: DmClient & Pick<webApi.WebClient, 'users'>,
  body: unknown,
  user: JoinedUser,
): Promise<void> {
  if (!user.id || user.is_bot || user.is_app_user || user.deleted) return;
  const actor = actorFromEvent(body, user.id);
  if (!actor.teamId) return;
  const scope = slackScope(actor.teamId);
  deps.scopes?.add(scope);
  const identity = slackIdentity(actor.enterpriseId ?? actor.teamId, user.id);
  const displayName = user.profile?.display_name || user.profile?.real_name || user.real_name || user.name || user.id;

  const { locale } = await lookUpActor(deps.users, client, actor);
  const welcome = await deps.engine.welcome({ scope, identity, displayName, locale });
  if (!welcome) return;
  const sent = await sendDirectMessage(client, user.id, welcome);
  if (sent.ok) {
    deps.log.info({ scope, user: user.id }, 'newcomer welcomed');
    return;
  }
  deps.log.warn({ scope, user: user.id, error: sent.error }, 'could not deliver the welcome message; telling the admins');
  deps.engine.notify({ type: 'welcome_undeliverable', scope, who: identity });
}
