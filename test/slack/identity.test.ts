/**
 * Who is asking and which delivery this is: identities from every payload type (Enterprise
 * Grid uses the enterprise id), stable ids for redeliveries, and the users.info cache.
 */
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/ops/logger.js';
import { deliveryId } from '../../src/slack/dedupe.js';
import { actorFromCommand, actorFromInteraction, actorIdentity } from '../../src/slack/invocation.js';
import { createUserDirectory } from '../../src/slack/user-directory.js';
import { blockActionsPayload, eventCallback, slashCommandPayload, viewSubmissionPayload } from '../fakes/slack.js';

const silent = createLogger({ level: 'silent' });

describe('identities', () => {
  it('a slash command: slack:<team>:<user>, or slack:<enterprise>:<user> on Enterprise Grid; scope stays the team', () => {
    const plain = actorFromCommand(slashCommandPayload({ user_id: 'U1', channel_id: 'C1', response_url: 'http://x' }));
    expect(plain).toMatchObject({ teamId: 'T0TEST', userId: 'U1', channelId: 'C1' });
    expect(actorIdentity(plain)).toBe('slack:T0TEST:U1');
    const grid = actorFromCommand(slashCommandPayload({ user_id: 'U1', channel_id: 'C1', response_url: 'http://x', enterprise_id: 'E9' }));
    expect(actorIdentity(grid)).toBe('slack:E9:U1');
    expect(grid.teamId).toBe('T0TEST');
  });

  it('a button press and a modal submission name the same person the same way', () => {
    const press = actorFromInteraction(blockActionsPayload({ user_id: 'U1', action_id: 'hb.0', channel_id: 'C7', response_url: 'http://x' }));
    expect(press).toMatchObject({ teamId: 'T0TEST', userId: 'U1', channelId: 'C7' });
    const submit = actorFromInteraction(viewSubmissionPayload({ user_id: 'U1', callback_id: 'x' }), 'C8');
    expect(actorIdentity(submit)).toBe(actorIdentity(press));
    expect(submit.channelId).toBe('C8');
  });
});

describe('delivery ids', () => {
  it('are stable per user action and differ between actions', () => {
    const command = slashCommandPayload({ user_id: 'U1', channel_id: 'C1', response_url: 'http://x', trigger_id: 'T-1' });
    expect(deliveryId(command)).toBe('cmd:T-1');
    const press = blockActionsPayload({ user_id: 'U1', action_id: 'hb.0', action: { action_ts: '1700000000.000001' } });
    expect(deliveryId(press)).toBe('act:U1:1700000000.000001:hb.0');
    expect(deliveryId(viewSubmissionPayload({ user_id: 'U1', callback_id: 'x', trigger_id: 'T-2' }))).toBe('view:T-2');
    expect(deliveryId(eventCallback({ type: 'app_home_opened' }, { event_id: 'Ev1' }))).toBe('evt:Ev1');
    expect(deliveryId({ type: 'shortcut' })).toBeUndefined();
  });
});

describe('the users.info cache', () => {
  it('asks once per user for a burst, reads admin/owner flags, and falls back (non-admin) when Slack fails', async () => {
    const directory = createUserDirectory({ log: silent });
    let calls = 0;
    const usersInfo = async ({ user }: { user: string }) => {
      calls += 1;
      await Promise.resolve();
      if (user === 'UBROKEN') throw new Error('ratelimited');
      return { user: { name: 'ada', real_name: 'Ada', is_owner: user === 'UOWNER', profile: { display_name: '' } } };
    };
    const burst = await Promise.all(Array.from({ length: 20 }, () => directory.lookup(usersInfo, 'k:UOWNER', 'UOWNER', 'fallback')));
    expect(calls).toBe(1);
    expect(burst[0]).toEqual({ displayName: 'Ada', platformAdmin: true });
    expect(await directory.lookup(usersInfo, 'k:UBROKEN', 'UBROKEN', 'typed-name')).toEqual({ displayName: 'typed-name', platformAdmin: false });
  });

  it('forgets entries after the TTL', async () => {
    const directory = createUserDirectory({ log: silent, ttlMs: 0, maxEntries: 2 });
    let calls = 0;
    const usersInfo = async () => {
      calls += 1;
      await Promise.resolve();
      return { user: { name: 'x' } };
    };
    await directory.lookup(usersInfo, 'a', 'a', 'a');
    await directory.lookup(usersInfo, 'a', 'a', 'a');
    expect(calls).toBe(2);
  });
});
