/** Events: the Home tab opening (published each time), and newcomers (the welcome DM when the workspace wants it). */
import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs } from '@slack/bolt';
import { newRequestId } from '../../core/request-id.js';
import type { GoneReason } from '../../core/workspaces.js';
import { slackScope } from '../../domain/scope.js';
import { list, obj, str } from '../../domain/untyped.js';
import { publishHome } from '../home.js';
import { actorFromEvent } from '../invocation.js';
import { welcomeNewcomer } from '../onboarding.js';
import type { SlackDeps } from './context.js';

export function handleHomeOpened(deps: SlackDeps) {
  return async ({ event, body, client }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs): Promise<void> => {
    // The Messages tab needs nothing.
    if (event.tab !== 'home') return;
    const actor = actorFromEvent(body, event.user);
    if (actor.teamId) deps.scopes.add(slackScope(actor.teamId));
    await publishHome(deps, client, actor, newRequestId());
  };
}

export function handleTeamJoin(deps: SlackDeps) {
  // Bolt acknowledged the event already.
  return async ({ event, body, client }: SlackEventMiddlewareArgs<'team_join'> & AllMiddlewareArgs): Promise<void> => {
    try {
      await welcomeNewcomer(deps, client, body, event.user);
    } catch (error) {
      deps.log.error({ err: error }, 'team_join: could not welcome the newcomer');
    }
  };
}

/**
 * The app was uninstalled, or its bot token revoked: the workspace's installation, settings and
 * members' keys go (once, whichever replica gets the event; the dedupe middleware drops copies).
 * Bolt delivers both without authorizing them: the workspace's token is already dead.
 */
export function handleWorkspaceGone(deps: SlackDeps, reason: GoneReason) {
  return async ({ body, event }: { body: unknown; event: unknown }): Promise<void> => {
    // tokens_revoked also names user tokens; only the bot's own token leaving ends the install.
    if (reason === 'tokens_revoked' && (list(obj(obj(event)?.tokens)?.bot) ?? []).length === 0) return;
    const payload = obj(body) ?? {};
    const authorization = obj(list(payload.authorizations)?.[0]);
    const workspace = {
      teamId: str(payload.team_id) ?? str(authorization?.team_id),
      enterpriseId: str(payload.enterprise_id) ?? str(authorization?.enterprise_id),
      isEnterpriseInstall: payload.is_enterprise_install === true || authorization?.is_enterprise_install === true,
    };
    try {
      await deps.engine.workspaces.gone(workspace, reason);
    } catch (error) {
      deps.log.error({ err: error, reason }, 'could not remove what the workspace left');
    }
  };
}

export function registerEventListeners(app: App, deps: SlackDeps): void {
  app.event('app_home_opened', handleHomeOpened(deps));
  app.event('team_join', handleTeamJoin(deps));
  app.event('app_uninstalled', handleWorkspaceGone(deps, 'app_uninstalled'));
  app.event('tokens_revoked', handleWorkspaceGone(deps, 'tokens_revoked'));
}
