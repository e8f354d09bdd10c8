/**
 * An interaction that arrived over HTTP, turned into the discord.js object the gateway would
 * have produced, so both modes share one handler. discord.js builds its interaction classes in
 * its InteractionCreate action (the gateway's INTERACTION_CREATE path); the action emits the
 * built object synchronously, which is caught here instead of reaching the client's listeners.
 * The action is internal to discord.js (pinned in package.json); the whole behaviour suite
 * runs in HTTP mode (test/discord, `DISCORD_TEST_MODE`) so an upgrade that changes it fails there.
 */
import { type APIInteraction, type Client, Events, type Interaction } from 'discord.js';

type WithActions = { actions: { InteractionCreate: { handle(data: APIInteraction): void } } };

export function interactionFromPayload(client: Client, payload: APIInteraction): Interaction | undefined {
  let built: Interaction | undefined;
  const take = (interaction: Interaction) => { built = interaction; };
  // Listeners run in order: this one first, and the event is swallowed by marking it built.
  client.prependListener(Events.InteractionCreate, take);
  try {
    (client as unknown as WithActions).actions.InteractionCreate.handle(payload);
  } finally {
    client.off(Events.InteractionCreate, take);
  }
  return built;
}
