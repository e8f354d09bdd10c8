/**
 * Pull-style line reading over readline, so the console can ask for "the next line" in the
 * middle of a command (a hidden key prompt, a confirmation) whether stdin is a terminal or
 * a pipe. On a terminal, `hidden` mutes the echo while a secret is typed.
 */
import readline from 'node:readline';
import { Writable } from 'node:stream';

export type LineReader = {
  next(prompt?: string, options?: { hidden?: boolean }): Promise<string | undefined>;
  close(): void;
};

export function createLineReader(input: NodeJS.ReadableStream & { isTTY?: boolean }, output: NodeJS.WritableStream): LineReader {
  let muted = false;
  const echo = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (!muted) output.write(chunk);
      callback();
    },
  });
  const terminal = input.isTTY === true;
  const rl = readline.createInterface({ input, output: echo, terminal });
  const queued: string[] = [];
  const waiting: ((line: string | undefined) => void)[] = [];
  let ended = false;

  rl.on('line', (line) => {
    const waiter = waiting.shift();
    if (waiter) waiter(line);
    else queued.push(line);
  });
  rl.on('close', () => {
    ended = true;
    for (const waiter of waiting.splice(0)) waiter(undefined);
  });

  return {
    next(prompt, options = {}) {
      if (terminal && prompt) output.write(prompt);
      muted = terminal && options.hidden === true;
      const settle = (line: string | undefined) => {
        if (muted) output.write('\n');
        muted = false;
        return line;
      };
      const line = queued.shift();
      if (line !== undefined) return Promise.resolve(settle(line));
      if (ended) return Promise.resolve(settle(undefined));
      return new Promise((resolve) => waiting.push((l) => { resolve(settle(l)); }));
    },
    close() {
      rl.close();
    },
  };
}
