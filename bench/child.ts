/**
 * A bot process under test. The orchestrator forks it (`node --expose-gc --import tsx
 * bench/child.ts`), sends `start` with the bot kind, the fakes' addresses and the users to
 * link; it answers `ready`, then `sample` (its own CPU time and memory) whenever asked, and
 * exits after `stop`. Only the chosen bot's modules are loaded, so CPU and memory are its own.
 */
import fs from 'node:fs';
import type { HeapProfiler } from 'node:inspector';
import { Session } from 'node:inspector/promises';
import v8 from 'node:v8';
import type { BenchUser, BotEnv, BotKind, ChildMessage, ParentMessage, ProcessSample, RunningBot } from './protocol.js';

function send(message: ChildMessage): void {
  process.send?.(message);
}

async function startBot(kind: BotKind, env: BotEnv): Promise<RunningBot> {
  switch (kind) {
    case 'bolt-ack':
      return (await import('./baselines/bolt-ack.js')).startBot(env);
    case 'naive-bolt':
      return (await import('./baselines/naive-bolt.js')).startBot(env);
    case 'naive-discord':
      return (await import('./baselines/naive-discord.js')).startBot(env);
    case 'handle-bot-slack':
      return (await import('./handle-bot.js')).startHandleBot(env, 'slack');
    case 'handle-bot-discord':
      return (await import('./handle-bot.js')).startHandleBot(env, 'discord', { bypass: true });
    case 'handle-bot-discord-limited':
      return (await import('./handle-bot.js')).startHandleBot(env, 'discord', { bypass: false });
    case 'naive-bolt-socket':
      return (await import('./baselines/naive-bolt-socket.js')).startBot(env);
    case 'handle-bot-slack-socket':
      return (await import('./handle-bot.js')).startHandleBot(env, 'slack-socket');
    case 'naive-console':
      return (await import('./baselines/naive-console.js')).startBot(env);
    case 'handle-bot-console':
      return (await import('./handle-bot.js')).startHandleBot(env, 'console');
  }
}

function sample(gc: boolean): ProcessSample {
  if (gc) (globalThis as { gc?: () => void }).gc?.();
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  return {
    cpuUserUs: cpu.user,
    cpuSystemUs: cpu.system,
    rssBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
    heapTotalBytes: memory.heapTotal,
    externalBytes: memory.external,
    heapSpaces: Object.fromEntries(v8.getHeapSpaceStatistics().map((space) => [space.space_name, space.physical_space_size])),
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}

let bot: RunningBot | undefined;
let profiler: Session | undefined;

async function startProfile(): Promise<void> {
  profiler = new Session();
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.start');
  // Where memory is allocated, garbage included (what drives GC time and the old space's growth).
  await profiler.post('HeapProfiler.enable');
  // (V8 knows the two include* flags; @types/node 20 does not list them yet.)
  const sampling: HeapProfiler.StartSamplingParameterType & { includeObjectsCollectedByMajorGC: boolean; includeObjectsCollectedByMinorGC: boolean } = {
    samplingInterval: 16_384,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  };
  await profiler.post('HeapProfiler.startSampling', sampling);
  send({ type: 'profiling' });
}

async function stopProfile(file: string): Promise<void> {
  if (!profiler) throw new Error('profile-stop without profile-start');
  const { profile } = await profiler.post('Profiler.stop');
  const { profile: allocations } = await profiler.post('HeapProfiler.stopSampling');
  profiler.disconnect();
  profiler = undefined;
  fs.writeFileSync(file, JSON.stringify(profile));
  fs.writeFileSync(file.replace(/\.cpuprofile$/, '.heapprofile'), JSON.stringify(allocations));
  send({ type: 'profiled', file });
}

async function start(kind: BotKind, env: BotEnv, users: BenchUser[]): Promise<void> {
  bot = await startBot(kind, env);
  const seedStarted = performance.now();
  await bot.seed(users);
  send({ type: 'ready', readyAtEpochMs: bot.readyAtEpochMs, seedMs: performance.now() - seedStarted, ...(bot.port === undefined ? {} : { port: bot.port }) });
}

async function stop(): Promise<void> {
  await bot?.stop();
  send({ type: 'stopped' });
  // Leave once the IPC message is out.
  setImmediate(() => process.exit(0));
}

function fail(error: unknown): void {
  send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  setImmediate(() => process.exit(1));
}

process.on('message', (message: ParentMessage) => {
  switch (message.type) {
    case 'start':
      start(message.kind, message.env, message.users).catch(fail);
      break;
    case 'sample':
      send({ type: 'sample', ...sample(message.gc === true) });
      break;
    case 'profile-start':
      startProfile().catch(fail);
      break;
    case 'profile-stop':
      stopProfile(message.file).catch(fail);
      break;
    case 'stop':
      stop().catch(fail);
      break;
  }
});
// The orchestrator went away: so do we.
process.on('disconnect', () => process.exit(1));
