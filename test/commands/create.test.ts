import { describe, expect, it } from 'vitest';
import create from '../../commands/create.js';
import { plainText } from '../../src/core/text.js';
import type { CommandResult } from '../../src/core/types.js';
import type { CreateOutcome } from '../../src/mail-api/outcomes.js';
import { base, fakeCtx } from './fake-ctx.js';

const titles = (r: CommandResult) => r.replies.map((reply) => plainText(reply.title));
const answering = (outcome: CreateOutcome, extra: Parameters<typeof fakeCtx>[0] = {}) =>
  fakeCtx({ ...extra, mail: { createHandle: () => Promise.resolve(outcome), domains: () => Promise.resolve({ ...base, kind: 'domains', domains: ['a.test', 'b.test'], stale: false }), ...extra.mail } });

describe('create', () => {
  it('created: the addresses in the outcome, an announcement and the detail, history and a notification', async () => {
    const run = answering({ ...base, kind: 'created', handle: 'dana', goto: 'dana@private.example' });
    const result = await create.run(run.ctx, { name: ' Dana ' });
    expect(result.outcome).toEqual({ kind: 'created', handle: 'dana', addresses: ['dana@a.test', 'dana@b.test'] });
    expect(result.replies.map((r) => r.visibility)).toEqual(['channel', 'private']);
    expect(run.history[0]).toMatchObject({ handle: 'dana', status: 'claimed' });
    expect(run.events).toEqual([{ type: 'handle_claimed', scope: 'slack:T1', who: 'slack:T1:U1', handle: 'dana' }]);
    expect(run.keyMeta).toEqual([]); // nothing new to keep about the key
  });

  it('created in a DM: no announcement; unknown domains: no addresses', async () => {
    const run = answering({ ...base, kind: 'created', handle: 'dm', goto: 'new@owner.example' }, {
      invocation: { channelId: undefined }, mail: { domains: () => Promise.resolve({ ...base, kind: 'service_unavailable' }) },
    });
    const result = await create.run(run.ctx, { name: 'dm' });
    expect(result.outcome).toEqual({ kind: 'created', handle: 'dm', addresses: [] });
    expect(result.replies.map((r) => r.visibility)).toEqual(['private']);
    expect(run.keyMeta).toEqual([expect.objectContaining({ ownerEmail: 'new@owner.example', verifyResult: 'ok' })]);
  });

  it('an invalid name is refused before the service is asked; so is a claim when too many of the caller’s are waiting their turn', async () => {
    const invalid = fakeCtx();
    expect((await create.run(invalid.ctx, { name: 'a b' })).outcome).toEqual({ kind: 'refused', reason: 'invalid_input' });
    const cooling = fakeCtx({ turnFree: false });
    expect((await create.run(cooling.ctx, { name: 'ok' })).outcome).toEqual({ kind: 'refused', reason: 'busy' });
    expect([...invalid.mailCalls, ...cooling.mailCalls]).toEqual([]);
  });

  it('taken: by someone else (alternatives), already yours, or deleted by you', async () => {
    const taken = { ...base, kind: 'taken', handle: 'fox' } as const;
    const other = await create.run(answering(taken).ctx, { name: 'fox' });
    expect(other.outcome).toEqual({ kind: 'failed', reason: 'taken' });
    expect(other.replies[0]?.actions?.length).toBeGreaterThan(0);
    expect(titles(await create.run(answering(taken, { history: [{ handle: 'fox', status: 'claimed', at: 1 }] }).ctx, { name: 'fox' }))).toEqual(['You already own `fox`']);
    expect(titles(await create.run(answering(taken, { history: [{ handle: 'fox', status: 'deleted', at: 1 }] }).ctx, { name: 'fox' }))[0]).toContain('fox');
  });

  it('the service finds the name invalid', async () => {
    expect((await create.run(answering({ ...base, kind: 'invalid_handle', handle: 'x' }).ctx, { name: 'x' })).outcome).toEqual({ kind: 'failed', reason: 'invalid_handle' });
  });

  it('no answer in time, or an unreadable success: unconfirmed and recorded so; a timeout before sending is a failure', async () => {
    const unknown = answering({ ...base, kind: 'timeout', outcomeUnknown: true });
    expect((await create.run(unknown.ctx, { name: 'maybe' })).outcome).toEqual({ kind: 'create_unconfirmed', handle: 'maybe' });
    expect(unknown.history[0]).toMatchObject({ handle: 'maybe', status: 'unconfirmed' });
    expect((await create.run(answering({ ...base, kind: 'unexpected_response', status: 200 }).ctx, { name: 'maybe' })).outcome.kind).toBe('create_unconfirmed');
    expect((await create.run(answering({ ...base, kind: 'timeout', outcomeUnknown: false }).ctx, { name: 'no' })).outcome).toEqual({ kind: 'failed', reason: 'timeout' });
    expect((await create.run(answering({ ...base, kind: 'unexpected_response', status: 502 }).ctx, { name: 'no' })).outcome).toEqual({ kind: 'failed', reason: 'unexpected_response' });
  });

  it('banned: the admins hear of an account ban, not of a reserved name', async () => {
    const account = answering({ ...base, kind: 'banned', ban: { kind: 'email' } });
    expect((await create.run(account.ctx, { name: 'x' })).outcome).toEqual({ kind: 'failed', reason: 'banned' });
    expect(account.events).toEqual([{ type: 'owner_banned', scope: 'slack:T1', who: 'slack:T1:U1', banKind: 'email' }]);
    const name = answering({ ...base, kind: 'banned', ban: { kind: 'name' } });
    await create.run(name.ctx, { name: 'root' });
    expect(name.events).toEqual([]);
  });

  it('a rejected key is noted on the key record', async () => {
    const run = answering({ ...base, kind: 'key_rejected' });
    expect((await create.run(run.ctx, { name: 'x' })).outcome).toEqual({ kind: 'failed', reason: 'key_rejected' });
    expect(run.keyMeta).toEqual([expect.objectContaining({ verifyResult: 'rejected' })]);
  });

  it('any other failure is explained', async () => {
    const result = await create.run(answering({ ...base, kind: 'service_unavailable' }).ctx, { name: 'x' });
    expect(result.outcome).toEqual({ kind: 'failed', reason: 'service_unavailable' });
    expect(result.replies[0]?.tone).toBe('service_error');
  });
});

describe('create: a name shaped like an API key (issue 18 point 7)', () => {
  it('is refused before the service: no call, no history, no announcement, the name never echoed', async () => {
    const key = '0123456789abcdef'.repeat(4);
    for (const name of [key, ` ${key.toUpperCase()} `]) {
      const run = answering({ ...base, kind: 'created', handle: key, goto: 'x@y.test' });
      const result = await create.run(run.ctx, { name });
      expect(result.outcome).toEqual({ kind: 'refused', reason: 'invalid_input' });
      expect(run.mailCalls).toEqual([]);
      expect(run.history).toEqual([]);
      expect(run.events).toEqual([]);
      expect(result.replies.map((r) => r.visibility)).toEqual(['private']);
      expect(JSON.stringify(result.replies).toLowerCase()).not.toContain(key);
      expect(titles(result)[0]).toMatch(/looks like an API key/);
    }
    // One character off the key shape is an ordinary handle.
    const ordinary = answering({ ...base, kind: 'created', handle: `${key}0`, goto: 'x@y.test' });
    expect((await create.run(ordinary.ctx, { name: key.slice(1) })).outcome.kind).toBe('created');
  });
});
