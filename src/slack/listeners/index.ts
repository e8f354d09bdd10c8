/**
 * The Bolt listeners, one file per kind as in Slack's own starter template: the slash command,
 * button actions, form submissions (views), events, and the Workflow Builder step. Each
 * acknowledges first (before any I/O: no users.info, no engine), then works under a guard that
 * answers with the catalogue's apology if anything throws. Every delivery is tracked so a
 * graceful stop can wait for it, and a redelivery runs once.
 */
import type { App } from '@slack/bolt';
import { registerActionListeners } from './action.js';
import { registerCommandListeners } from './command.js';
import type { SlackDeps } from './context.js';
import { registerEventListeners } from './event.js';
import { trackAndDedupe } from './middleware.js';
import { registerStepListeners } from './step.js';
import { registerViewListeners } from './view.js';

export type { SlackDeps } from './context.js';

export function registerSlackListeners(app: App, deps: SlackDeps): void {
  app.use(trackAndDedupe(deps));
  registerCommandListeners(app, deps);
  registerActionListeners(app, deps);
  registerViewListeners(app, deps);
  registerEventListeners(app, deps);
  registerStepListeners(app, deps);
}
