/**
 * Admin notifications, platform-neutral part: what goes to which channel, bursts coalesced,
 * outages announced once across replicas (two stores on one SQLite file), failures contained.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChannelNotifier, type NotificationTarget } from '../../src/core/channel-notifier.js';
import { plainText } from '../../src/core/text.js';
import type { Reply } from '../../src/core/types.js';
import { createLogger } from '../../src/ops/logger.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';

const log = createLogger({ level: 'silent' });
let dir: string;
let store: Store;
let replica: Store;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'hb-notify-'));
  const url = `sqlite://${path.join(dir, 's.sqlite')}`;
  store = await openStore({ url, dataDir: dir, log });
  replica = await openStore({ url, dataDir: dir, log });
  await store.updateSettings('slack:T1', { notifyChannel: 'CADMIN' });
  await store.updateSettings('slack:T2', { notifyChannel: 'CADMIN2', keyEvents: true });
});
afterAll(async () => {
  await store.close();
  await replica.close();
  rmSync(dir, { recursive: true, force: true });
});

function recordingTarget(scopes: string[], fail = false) {
  const posts: { scope: string; channel: string; text: string; reply: Reply }[] = [];
  const target: NotificationTarget = {
    owns: (scope) => scope.startsWith('slack:'),
    scopes: () => scopes,
    post: (scope, channel, reply) => {
      if (fail) return Promise.reject(new Error('channel_not_found'));
      posts.push({ scope, channel, reply, text: [reply.title, ...(reply.body ?? [])].map((t) => plainText(t)).join(' | ') });
      return Promise.resolve();
    },
  };
  return { posts, target };
}

describe('admin channel notifications', () => {
  it('posts scoped events to the scope’s channel, key events only when switched on, never a key or e-mail', async () => {
    const { posts, target } = recordingTarget([]);
    const notifier = createChannelNotifier({ store, target, coalesceSeconds: 0, log });
    notifier.notify({ type: 'handle_claimed', scope: 'slack:T1', who: 'slack:T1:U1', handle: 'x*_~`|&' });
    notifier.notify({ type: 'owner_banned', scope: 'slack:T1', who: 'slack:T1:U2', banKind: 'email' });
    notifier.notify({ type: 'key_linked', scope: 'slack:T1', who: 'slack:T1:U1' }); // key events off in T1
    notifier.notify({ type: 'key_linked', scope: 'slack:T2', who: 'slack:T2:U9' });
    notifier.notify({ type: 'handle_claimed', scope: 'slack:T3', who: 'slack:T3:U1', handle: 'nochannel' }); // no channel set
    notifier.notify({ type: 'handle_claimed', scope: 'discord:42', who: 'discord:1', handle: 'other' }); // not this platform
    await notifier.idle();
    expect(posts.map((p) => [p.channel, p.text])).toEqual([
      ['CADMIN', '🆕 @U1 claimed `x*_~`|&`'],
      ['CADMIN', '⛔ The mail service refused a handle for @U2 | Every create with their key will fail: their e-mail address is banned. Only the service’s operators can lift it.'],
      ['CADMIN2', '🔑 @U9 linked an API key'],
    ]);
  });

  it('coalesces a burst: the first at once, the rest as one summary', async () => {
    const { posts, target } = recordingTarget([]);
    const notifier = createChannelNotifier({ store, target, coalesceSeconds: 60, log });
    for (let i = 0; i < 12; i++) notifier.notify({ type: 'handle_claimed', scope: 'slack:T1', who: `slack:T1:U${i % 3}`, handle: `h${i}` });
    await notifier.idle();
    expect(posts).toHaveLength(1);
    await notifier.flush();
    expect(posts).toHaveLength(2);
    expect(posts[1]?.text).toBe('11 handles claimed in the last minute | By @U1, @U2 and @U0. | Handles: `h1`, `h2`, `h3`, `h4`, `h5`, `h6`, `h7`, `h8`, `h9`, `h10` and 1 more.');
  });

  it('announces an outage and its recovery once across two replicas sharing the store', async () => {
    const a = recordingTarget(['slack:T1']);
    const b = recordingTarget(['slack:T1']);
    const one = createChannelNotifier({ store, target: a.target, coalesceSeconds: 60, log });
    const two = createChannelNotifier({ store: replica, target: b.target, coalesceSeconds: 60, log });
    for (const n of [one, two, one, two]) n.notify({ type: 'service_down', failures: 5 });
    await Promise.all([one.idle(), two.idle()]);
    for (const n of [two, one, two]) n.notify({ type: 'service_recovered' });
    await Promise.all([one.idle(), two.idle()]);
    one.notify({ type: 'service_down', failures: 5 }); // a new outage is announced again
    await one.idle();
    const all = [...a.posts, ...b.posts].map((p) => p.text.split(' | ')[0]);
    expect(all.sort()).toEqual(['🔴 The mail service looks down', '🔴 The mail service looks down', '🟢 The mail service is answering again']);
  });

  it('contains a failing post: nothing throws to the caller', async () => {
    const { target } = recordingTarget([], true);
    const notifier = createChannelNotifier({ store, target, coalesceSeconds: 0, log });
    expect(() => { notifier.notify({ type: 'handle_deleted', scope: 'slack:T1', who: 'slack:T1:U1', handle: 'gone' }); }).not.toThrow();
    await expect(notifier.idle()).resolves.toBeUndefined();
  });
});
