import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { parseLine } from '../../src/core/parse.js';

describe('parsing a typed command line', () => {
  it('finds the longest verb and positional arguments, with or without /handle', () => {
    const parsed = parseLine('/handle create  Alice ', commands);
    expect(parsed.kind).toBe('command');
    if (parsed.kind !== 'command') return;
    expect(parsed.command.verb).toEqual(['create']);
    expect(parsed.args).toEqual({ name: 'Alice' });
    const key = parseLine('key request me@example.com', commands);
    expect(key.kind === 'command' && key.command.verb).toEqual(['key', 'request']);
  });

  it("reads Slack's escaped channel and keeps a welcome text's spacing", () => {
    const notify = parseLine('admin notify <#C0123ABC|ops-alerts>', commands);
    expect(notify.kind === 'command' && notify.args).toEqual({ channel: 'C0123ABC' });
    const onboarding = parseLine('admin onboarding on Welcome to  *Acme*!  Claim a handle.', commands);
    expect(onboarding.kind === 'command' && onboarding.args).toEqual({ enabled: true, welcome: 'Welcome to  *Acme*!  Claim a handle.' });
  });

  it('never makes a key typed after `key set` an argument, but says it was typed (the front door decides)', () => {
    const typed = parseLine(`key set ${'ab'.repeat(32)}`, commands);
    expect(typed).toMatchObject({ kind: 'command', args: {}, typedSecret: 'ab'.repeat(32) });
    expect(parseLine('key set', commands)).not.toHaveProperty('typedSecret');
    // Text after a command without a secret input is no secret.
    expect(parseLine('list please', commands)).not.toHaveProperty('typedSecret');
  });

  it('says what is missing, unknown or not on/off', () => {
    expect(parseLine('create', commands)).toMatchObject({ kind: 'missing', option: 'name' });
    expect(parseLine('frobnicate now', commands)).toMatchObject({ kind: 'unknown', typed: 'frobnicate now' });
    expect(parseLine('admin announce maybe', commands)).toMatchObject({ kind: 'bad_boolean' });
    // People who read the replies in Portuguese may answer in Portuguese.
    expect(parseLine('admin announce desligado', commands)).toMatchObject({ kind: 'command', args: { enabled: false } });
    expect(parseLine('admin key-events Sim', commands)).toMatchObject({ kind: 'command', args: { enabled: true } });
    expect(parseLine('   ', commands)).toEqual({ kind: 'empty' });
  });
});
