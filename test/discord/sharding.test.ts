/**
 * The gateway uses Discord's recommended shard count (`shards: 'auto'`). The fake recommends
 * 2 (GET /gateway/bot): two connections identify as [0, 2] and [1, 2], each gets its own
 * servers' events (guild_id >> 22 % 2), and both deliver — full mode's commands, and the
 * events-only gateway of HTTP mode's joins. A gateway that is reconnecting makes the replica
 * not ready (/readyz 503) until it is back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHealthRegistry, type PartState } from '../../src/ops/health.js';
import type { DiscordGatewayFrame } from '../fakes/discord.js';
import { ALICE, embedText, GUILD, type Harness, startHarness } from './harness.js';

/** On shard 0 of 2 (the harness's GUILD is on shard 1). */
const OTHER = '1200000000004194304';
const OTHER_GENERAL = '1200000000004194305';

let h: Harness | undefined;
afterEach(async () => { await h?.close(); h = undefined; });

const frames = (harness: Harness) => harness.discord.traffic.filter((t): t is DiscordGatewayFrame => t.kind === 'gateway');
const identifies = (harness: Harness) => frames(harness).filter((f) => f.direction === 'in' && f.op === 2);
/** The connection that carried a dispatch, by its type and a test on its payload. */
const carriedBy = (harness: Harness, t: string, match: (d: any) => boolean) =>
  frames(harness).find((f) => f.direction === 'out' && f.t === t && match(f.d))?.connectionId;

describe('sharding', () => {
  it('full mode: two shards identify as [0,2] and [1,2], each delivers its own servers’ commands', async () => {
    h = await startHarness({ discord: { shards: 2 } });
    expect(identifies(h).map((f) => f.d.shard).sort()).toEqual([[0, 2], [1, 2]]);
    expect(new Set(identifies(h).map((f) => f.connectionId)).size).toBe(2);
    h.discord.seedGuild({ id: OTHER, name: 'Other Server', channels: [{ id: OTHER_GENERAL, name: 'general' }], members: [{ user: ALICE }] });

    const here = h.run('domains', {}, ALICE);
    const there = h.run('domains', {}, ALICE, { guildId: OTHER });
    expect(embedText(await here.original())).toMatch(/^The mail service manages/);
    expect(embedText(await there.original())).toMatch(/^The mail service manages/);
    const shardOne = carriedBy(h, 'INTERACTION_CREATE', (d) => d.id === here.id);
    const shardZero = carriedBy(h, 'INTERACTION_CREATE', (d) => d.id === there.id);
    expect(shardOne).toBe(identifies(h).find((f) => f.d.shard[0] === 1)!.connectionId);
    expect(shardZero).toBe(identifies(h).find((f) => f.d.shard[0] === 0)!.connectionId);
  });

  it('HTTP mode’s events-only gateway: sharded too, joins on both shards are welcomed, commands never use it', async () => {
    h = await startHarness({ mode: 'http', env: { DISCORD_GATEWAY: 'events', DISCORD_MEMBERS_INTENT: 'true' }, discord: { shards: 2 } });
    expect(identifies(h).map((f) => f.d.shard).sort()).toEqual([[0, 2], [1, 2]]);
    h.discord.seedGuild({ id: OTHER, name: 'Other Server', channels: [{ id: OTHER_GENERAL, name: 'general' }], members: [] });
    for (const guild of [GUILD, OTHER]) await h.runtime.store.updateSettings(`discord:${guild}`, { onboarding: true });

    const NEW_HERE = '1300000000000000021';
    const NEW_THERE = '1300000000000000022';
    for (const [id, username] of [[NEW_HERE, 'here'], [NEW_THERE, 'there']] as const) h.discord.addUser({ id, username });
    h.discord.joinMember(GUILD, { user: NEW_HERE });
    h.discord.joinMember(OTHER, { user: NEW_THERE });
    await h.discord.waitFor(() => h!.discord.dmsTo(NEW_HERE).length === 1 && h!.discord.dmsTo(NEW_THERE).length === 1);
    expect(carriedBy(h, 'GUILD_MEMBER_ADD', (d) => d.guild_id === GUILD)).not.toBe(carriedBy(h, 'GUILD_MEMBER_ADD', (d) => d.guild_id === OTHER));

    const x = h.run('domains', {}, ALICE);
    expect(await x.callback()).toMatchObject({ via: 'http' });
    expect(frames(h).some((f) => f.t === 'INTERACTION_CREATE')).toBe(false);
  });
});

describe('readiness', () => {
  it('a reconnecting gateway makes the replica not ready, until it has resumed', async () => {
    const health = createHealthRegistry();
    const states: PartState[] = [];
    const waiters: (() => void)[] = [];
    const set = health.set.bind(health);
    health.set = (part, state) => {
      set(part, state);
      if (part !== 'discord') return;
      states.push(state);
      for (const wake of waiters.splice(0)) wake();
    };
    /** Resolves once the part `discord` has reported `count` states in all. */
    const reported = (count: number): Promise<void> => new Promise((resolve) => {
      const check = () => { if (states.length >= count) resolve(); else waiters.push(check); };
      check();
    });
    h = await startHarness({ bot: { health } });
    expect(await health.readiness()).toMatchObject({ ok: true });
    const mark = states.length;

    h.discord.dropConnection(4000);
    await reported(mark + 1);
    expect(states[mark]).toEqual({ ok: false, detail: 'reconnecting' });
    expect(await health.readiness()).toMatchObject({ ok: false, parts: { discord: { ok: false, detail: 'reconnecting' } } });
    await reported(mark + 2);
    expect(states.slice(mark)).toEqual([{ ok: false, detail: 'reconnecting' }, { ok: true }]);
    expect(await health.readiness()).toMatchObject({ ok: true });
  });
});
