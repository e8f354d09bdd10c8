/**
 * Baseline (a): a Bolt app in HTTP mode that only acknowledges `/handle`. Nothing else runs in
 * the listener, so its ack latency is the floor any Bolt bot can reach on this machine.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App } from '@slack/bolt';
import type { BotEnv, RunningBot } from '../protocol.js';

export async function startBot(env: BotEnv): Promise<RunningBot> {
  const app = new App({
    token: 'xoxb-bench-ack-only',
    signingSecret: env.signingSecret ?? '',
    clientOptions: { slackApiUrl: env.slackApiUrl ?? '' },
  });
  app.command('/handle', async ({ ack }) => {
    await ack();
  });
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
  return {
    port: (server.address() as AddressInfo).port,
    readyAtEpochMs: performance.timeOrigin + performance.now(),
    seed: () => Promise.resolve(),
    stop: () => app.stop().then(() => undefined),
  };
}
