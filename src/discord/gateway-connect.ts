/**
 * Logging in to the gateway and waiting for it to be ready, with Discord's refusals turned
 * into messages that say what to do. discord.js asks `GET /gateway/bot` for Discord's
 * recommended shard count and opens that many shards (`shards: 'auto'`, set in start.ts).
 */
import { once } from 'node:events';
import { type Client, DiscordAPIError, Events, Routes } from 'discord.js';

/** Start-up refusal when the portal switch for the privileged intent is off (gateway close code 4014). */
export const MEMBERS_INTENT_REFUSED =
  'Discord refused the Server Members intent (gateway close code 4014): enable the Server Members intent in the Developer Portal (your application → Bot → Privileged Gateway Intents) or set DISCORD_MEMBERS_INTENT=false.';
export const TOKEN_REFUSED =
  'Discord refused DISCORD_TOKEN: copy the bot token again from the Developer Portal (your application → Bot → Reset Token).';

const CLOSE_AUTHENTICATION_FAILED = 4004;
const CLOSE_DISALLOWED_INTENTS = 4014;

/** Logs in and waits for clientReady; a gateway refusal becomes a message that says what to do. */
export async function connectGateway(client: Client, token: string, timeoutMs: number): Promise<void> {
  const abort = new AbortController();
  const timer = setTimeout(() => { abort.abort(); }, timeoutMs);
  let closeCode: number | undefined;
  const onDisconnect = (event: { code: number }) => { closeCode = event.code; };
  client.on(Events.ShardDisconnect, onDisconnect);
  try {
    const ready = once(client, Events.ClientReady, { signal: abort.signal });
    const refused = once(client, Events.ShardDisconnect, { signal: abort.signal }).then(([event]) => {
      throw refusal((event as { code: number }).code);
    });
    // Whichever loses is aborted below; its rejection is expected.
    ready.catch(() => undefined);
    refused.catch(() => undefined);
    await Promise.race([client.login(token).then(() => ready), refused]);
  } catch (error) {
    // discord.js rejects login with its own wording ("Used disallowed intents"); the close code says what happened.
    if (closeCode !== undefined) throw refusal(closeCode);
    if (abort.signal.aborted) throw new Error(`Discord did not become ready within ${Math.round(timeoutMs / 1000)} s (is DISCORD_API_URL reachable?)`);
    if ((error as { code?: unknown }).code === 'TokenInvalid') throw new Error(TOKEN_REFUSED);
    throw error;
  } finally {
    clearTimeout(timer);
    abort.abort();
    client.off(Events.ShardDisconnect, onDisconnect);
  }
}

function refusal(code: number): Error {
  if (code === CLOSE_DISALLOWED_INTENTS) return new Error(MEMBERS_INTENT_REFUSED);
  if (code === CLOSE_AUTHENTICATION_FAILED) return new Error(TOKEN_REFUSED);
  return new Error(`Discord closed the gateway connection with code ${code} during start-up`);
}

/** Without a gateway (HTTP mode) the token is checked once at start, so a wrong one is named at once. */
export async function checkToken(client: Client, token: string): Promise<void> {
  client.rest.setToken(token);
  try {
    await client.rest.get(Routes.user('@me'));
  } catch (error) {
    if (error instanceof DiscordAPIError && error.status === 401) throw new Error(TOKEN_REFUSED);
    throw error;
  }
}
