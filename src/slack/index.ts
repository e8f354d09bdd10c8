/** The Slack front door: what main.ts and cli.ts use. */
export { startSlack, type SlackHandle, type StartSlackOptions } from './app.js';
export {
  buildSlackManifest, MANIFEST_PATH, SLACK_BOT_EVENTS, SLACK_BOT_SCOPES, SLACK_EVENTS_PATH, slackManifestText, writeSlackManifest, type SlackManifestOptions,
} from './manifest.js';
export { renderSlackReply } from './render.js';
export { CLAIM_STEP_CALLBACK_ID } from './workflow-step.js';
