/**
 * Start-up baseline for the console: the terminal bot a team writes in an afternoon — a
 * readline loop over stdin, the keys in a Map, `fetch` to the mail API. Ready once it could
 * read its first line (bench/startup.ts times fork → ready; it serves no load).
 */
import readline from 'node:readline';
import type { BenchUser, BotEnv, RunningBot } from '../protocol.js';

export function startBot(env: BotEnv): Promise<RunningBot> {
  const keys = new Map<string, string>();
  const lines = readline.createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const [verb, name] = line.trim().split(/\s+/);
    const key = keys.get('console');
    if (verb !== 'create' || !name || !key) return;
    void fetch(`${env.mailUrl}/api/handle/create`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify({ handle: name }) })
      .then(async (response) => { process.stdout.write(`${JSON.stringify(await response.json())}\n`); }, (error: unknown) => { process.stdout.write(`failed: ${String(error)}\n`); });
  });
  return Promise.resolve({
    readyAtEpochMs: performance.timeOrigin + performance.now(),
    seed(users: BenchUser[]) {
      for (const user of users) keys.set('console', user.key);
      return Promise.resolve();
    },
    stop() {
      lines.close();
      return Promise.resolve();
    },
  });
}
