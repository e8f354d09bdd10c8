/**
 * Baseline (c): the same afternoon bot on discord.js with its defaults: deferReply (private),
 * the key from a Map, `fetch` to the mail API, editReply with the detail, then a public
 * followUp with the announcement. Its webhook calls go through discord.js's global limiter
 * (50 requests/s), as they do in any bot that does not work around it.
 */
import { once } from 'node:events';
import { Client, Events, GatewayIntentBits, MessageFlags } from 'discord.js';
import type { BenchUser, BotEnv, RunningBot } from '../protocol.js';

type CreateAnswer = { created?: boolean; handle?: string; goto?: string; error?: string };

export async function startBot(env: BotEnv): Promise<RunningBot> {
  const keys = new Map<string, string>();
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: env.discordApiUrl ?? '' } });

  client.on(Events.InteractionCreate, (interaction) => {
    if (!interaction.isChatInputCommand()) return;
    void (async () => {
      try {
        await interaction.deferReply({ flags: MessageFlags.Ephemeral });
        const name = interaction.options.getString('name', true);
        const key = keys.get(interaction.user.id);
        if (!key) {
          await interaction.editReply('Link your key first.');
          return;
        }
        const response = await fetch(`${env.mailUrl}/api/handle/create`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': key },
          body: JSON.stringify({ handle: name }),
        });
        const body = (await response.json()) as CreateAnswer;
        if (!response.ok || body.created !== true) {
          await interaction.editReply(`Could not create ${name}: ${body.error ?? String(response.status)}`);
          return;
        }
        await interaction.editReply(`Done: ${body.handle ?? name} now forwards to ${body.goto ?? 'you'}`);
        await interaction.followUp(`<@${interaction.user.id}> claimed the handle ${body.handle ?? name}`);
      } catch (error) {
        console.error('naive discord bot:', error);
      }
    })();
  });

  const ready = once(client, Events.ClientReady);
  await client.login('bench.naive.token');
  await ready;
  return {
    readyAtEpochMs: performance.timeOrigin + performance.now(),
    seed(users: BenchUser[]) {
      for (const user of users) keys.set(user.userId, user.key);
      return Promise.resolve();
    },
    stop: () => client.destroy(),
  };
}
