/** Events: the Home tab opening (published each time), and newcomers (the welcome DM when the workspace wants it). */
import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs } from '@slack/bolt';
import { newRequestId } from '../../core/request-id.js';
import { slackScope } from '../../domain/scope.js';
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

export function registerEventListeners(app: App, deps: SlackDeps): void {
  app.event('app_home_opened', handleHomeOpened(deps));
  app.event('team_join', handleTeamJoin(deps));
}
