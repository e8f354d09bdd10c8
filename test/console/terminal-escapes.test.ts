/**
 * Issue 18 point 11: the console never echoes a terminal escape sequence (or a bidi override)
 * from its input; the invalid-handle reply shows invisible characters as code points.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replies, startConsoleEnv, type ConsoleEnv } from './harness.js';

let env: ConsoleEnv;
beforeAll(async () => {
  env = await startConsoleEnv();
});
afterAll(async () => {
  await env.close();
});

describe('the console and control characters in its input', () => {
  it('shows them as code points: the terminal receives no escape, bell, NUL or bidi override', async () => {
    const key = env.api.newKey('eve@example.test');
    const run = await env.run(['key set', key, 'create ab\u001b[2Jcd', 'create x\u202Eexe.txt', 'create n\u0000ul', 'zap\u001b]0;owned\u0007']);
    const said = replies(run);
    expect(said[1]).toMatch(/`abU\+001B\[2jcd` is not a valid handle/);
    expect(said[2]).toMatch(/`xU\+202Eexe\.txt` is not a valid handle[\s\S]*non-ASCII character `U\+202E`/);
    expect(said[3]).toMatch(/`nU\+0000ul` is not a valid handle/);
    expect(said[4]).toMatch(/I don’t know the command `zapU\+001B\]0;ownedU\+0007`/);
    // eslint-disable-next-line no-control-regex -- looking for control characters is the point
    expect(run.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  });
});
