/**
 * The process guard in a real process: an unhandled rejection and an uncaught exception are
 * logged with the request id that was running, and the process keeps answering; a storm of
 * uncaught exceptions (over the limit within the window) ends it with exit code 1.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const FIXTURE = fileURLToPath(new URL('./fixtures/guarded-process.ts', import.meta.url));

type Line = Record<string, unknown>;

function startGuarded() {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['--import', 'tsx', FIXTURE], { stdio: 'pipe' });
  const lines: Line[] = [];
  const waiting: { match: (l: Line) => boolean; resolve: (l: Line) => void }[] = [];
  readline.createInterface({ input: child.stdout }).on('line', (text) => {
    const line = JSON.parse(text) as Line;
    lines.push(line);
    const i = waiting.findIndex((w) => w.match(line));
    if (i >= 0) waiting.splice(i, 1)[0]!.resolve(line);
  });
  const next = (match: (l: Line) => boolean) =>
    new Promise<Line>((resolve) => {
      const seen = lines.find(match);
      if (seen) resolve(seen);
      else waiting.push({ match, resolve });
    });
  const send = (command: string) => { child.stdin.write(`${command}\n`); };
  return { child, lines, next, send };
}

let running: ChildProcessWithoutNullStreams | undefined;
afterEach(() => {
  if (running && running.exitCode === null) running.kill();
});

describe('the process guard', () => {
  it('logs an unhandled rejection and an uncaught exception with their request ids, and keeps serving', async () => {
    const p = startGuarded();
    running = p.child;
    p.send('reject req-1');
    const rejection = await p.next((l) => l.requestId === 'req-1');
    expect(rejection.msg).toBe('unhandled promise rejection (logged; still serving)');
    expect((rejection.err as { message: string }).message).toBe('rejected during req-1');

    p.send('throw req-2');
    const exception = await p.next((l) => l.requestId === 'req-2');
    expect(exception.msg).toBe('uncaught exception (logged; still serving)');
    expect(exception.level).toBe(60);

    p.send('ping');
    await p.next((l) => l.pong === true);
    expect(p.child.exitCode).toBeNull();
  });

  it('exits 1 when uncaught exceptions keep coming (a wedged process is restarted, not nursed)', async () => {
    const p = startGuarded();
    running = p.child;
    const exited = once(p.child, 'exit');
    for (let i = 1; i <= 4; i += 1) p.send(`throw storm-${String(i)}`);
    const [code] = (await exited) as [number | null];
    expect(code).toBe(1);
    expect(p.lines.filter((l) => l.msg === 'uncaught exception (logged; still serving)')).toHaveLength(4);
    expect(p.lines.at(-1)?.msg).toBe('uncaught exceptions keep coming: exiting so that a clean process takes over');
  });
});
