/** The Discord front door's public surface (for main.ts, cli.ts, tests and the benchmark). */
export { startDiscord, MEMBERS_INTENT_REFUSED, TOKEN_REFUSED, type DiscordBot, type StartDiscordOptions } from './start.js';
export { registerDiscordCommands, sameCommands, type RegistrationResult, type RegisterOptions } from './registration.js';
export { buildDiscordCommands, ADMIN_COMMAND, HANDLE_COMMAND } from './command-definitions.js';
export { renderDiscordReply, type DiscordMessage } from './render.js';
export { InteractionWebhookREST } from './webhook-rest.js';
