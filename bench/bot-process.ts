/**
 * Forks one bot process (bench/child.ts, compiled) and talks to it over IPC: start and wait
 * for ready, read its CPU time and memory, stop it (killing it if it does not leave in time).
 * The bot's stdout/stderr (handle-bot's pino lines at LOG_LEVEL) go to a log file.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import type { BenchUser, BotEnv, BotKind, ChildMessage, ParentMessage, ProcessSample } from './protocol.js';

const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;

export type BotProcessOptions = {
  /** The compiled bench/child.js (see build.ts), or bench/child.ts with `--import tsx` in `nodeArgs`. */
  childScript: string;
  nodeArgs: string[];
  kind: BotKind;
  env: BotEnv;
  users: BenchUser[];
  logFile: string;
};

export type BotProcess = {
  pid: number;
  port?: number;
  /** Fork → platform ready (Node start-up, module loading, store open, gateway/HTTP listen), seeding excluded. */
  startToReadyMs: number;
  seedMs: number;
  sample(gc?: boolean): Promise<ProcessSample>;
  /** Start a V8 CPU profile in the bot process; `profileStop` writes it to `file`. */
  profileStart(): Promise<void>;
  profileStop(file: string): Promise<void>;
  stop(): Promise<void>;
};

export async function startBotProcess(options: BotProcessOptions): Promise<BotProcess> {
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const log = fs.openSync(options.logFile, 'a');
  const execArgv = ['--expose-gc', ...options.nodeArgs];
  const forkedAt = performance.timeOrigin + performance.now();
  const child = fork(options.childScript, [], { execArgv, stdio: ['ignore', log, log, 'ipc'] });
  fs.closeSync(log);

  const inbox = createInbox(child);
  try {
    child.send({ type: 'start', kind: options.kind, env: options.env, users: options.users } satisfies ParentMessage);
    const ready = await inbox.next('ready', READY_TIMEOUT_MS);
    return {
      pid: child.pid ?? 0,
      ...(ready.port === undefined ? {} : { port: ready.port }),
      startToReadyMs: ready.readyAtEpochMs - forkedAt,
      seedMs: ready.seedMs,
      async sample(gc = false) {
        child.send({ type: 'sample', gc } satisfies ParentMessage);
        const { type: _type, ...sample } = await inbox.next('sample', 30_000);
        return sample;
      },
      async profileStart() {
        child.send({ type: 'profile-start' } satisfies ParentMessage);
        await inbox.next('profiling', 30_000);
      },
      async profileStop(file) {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        child.send({ type: 'profile-stop', file } satisfies ParentMessage);
        await inbox.next('profiled', 60_000);
      },
      async stop() {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = once(child, 'exit');
        child.send({ type: 'stop' } satisfies ParentMessage);
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      },
    };
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${options.kind} did not start (log: ${options.logFile}): ${(error as Error).message}`);
  }
}

type Typed<T extends ChildMessage['type']> = Extract<ChildMessage, { type: T }>;

/** Messages from the child, awaited by type; an `error` message or an exit rejects the waiter. */
function createInbox(child: ChildProcess) {
  const queue: ChildMessage[] = [];
  let waiter: { type: string; resolve: (m: ChildMessage) => void; reject: (e: Error) => void } | undefined;
  const deliver = () => {
    if (!waiter) return;
    const index = queue.findIndex((m) => m.type === waiter?.type || m.type === 'error');
    if (index < 0) return;
    const [message] = queue.splice(index, 1);
    const current = waiter;
    waiter = undefined;
    if (message?.type === 'error') current.reject(new Error(message.message));
    else if (message) current.resolve(message);
  };
  child.on('message', (message: ChildMessage) => {
    queue.push(message);
    deliver();
  });
  child.on('exit', (code, signal) => {
    const current = waiter;
    waiter = undefined;
    current?.reject(new Error(`bot process exited (code ${String(code)}, signal ${String(signal)})`));
  });
  return {
    next<T extends ChildMessage['type']>(type: T, timeoutMs: number): Promise<Typed<T>> {
      return new Promise<Typed<T>>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiter = undefined;
          reject(new Error(`no '${type}' from the bot process within ${String(timeoutMs)} ms`));
        }, timeoutMs);
        waiter = {
          type,
          resolve: (m) => {
            clearTimeout(timer);
            resolve(m as Typed<T>);
          },
          reject: (e) => {
            clearTimeout(timer);
            reject(e);
          },
        };
        deliver();
      });
    },
  };
}
