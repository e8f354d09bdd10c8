/**
 * Baseline (b): the Slack bot a team writes in an afternoon. Bolt in HTTP mode with its
 * defaults; ack; the user's key from a Map; `fetch` to the mail API; the announcement and the
 * private detail through `respond`. No validation, no sealing, no history, no notifications.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App } from '@slack/bolt';
import type { BenchUser, BotEnv, RunningBot } from '../protocol.js';

type CreateAnswer = { created?: boolean; handle?: string; goto?: string; error?: string };

export async function startBot(env: BotEnv): Promise<RunningBot> {
  const keys = new Map<string, string>();
  const app = new App({
    token: 'xoxb-bench-naive',
    signingSecret: env.signingSecret ?? '',
    clientOptions: { slackApiUrl: env.slackApiUrl ?? '' },
  });

  app.command('/handle', async ({ ack, command, respond }) => {
    await ack();
    const [verb, name] = command.text.trim().split(/\s+/);
    const key = keys.get(command.user_id);
    if (verb !== 'create' || !name || !key) {
      await respond({ response_type: 'ephemeral', text: 'Usage: /handle create <name> (after linking your key)' });
      return;
    }
    try {
      const response = await fetch(`${env.mailUrl}/api/handle/create`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': key },
        body: JSON.stringify({ handle: name }),
      });
      const body = (await response.json()) as CreateAnswer;
      if (!response.ok || body.created !== true) {
        await respond({ response_type: 'ephemeral', text: `Could not create ${name}: ${body.error ?? String(response.status)}` });
        return;
      }
      await respond({ response_type: 'in_channel', text: `<@${command.user_id}> claimed the handle ${body.handle ?? name}` });
      await respond({ response_type: 'ephemeral', text: `Done: ${body.handle ?? name} now forwards to ${body.goto ?? 'you'}` });
    } catch (error) {
      await respond({ response_type: 'ephemeral', text: `Something went wrong: ${String(error)}` });
    }
  });

  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
  return {
    port: (server.address() as AddressInfo).port,
    readyAtEpochMs: performance.timeOrigin + performance.now(),
    seed(users: BenchUser[]) {
      for (const user of users) keys.set(user.userId, user.key);
      return Promise.resolve();
    },
    stop: () => app.stop().then(() => undefined),
  };
}
