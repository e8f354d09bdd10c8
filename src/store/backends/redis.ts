/**
 * The Redis backend, for replicas. One node-redis client is shared by the four keyv stores
 * and the native operations. It never queues commands while disconnected
 * (`disableOfflineQueue`): a request during an outage fails at once instead of hanging until
 * the server returns, and the client keeps reconnecting in the background, so the store
 * recovers by itself. TTLs are Redis's own (server-side).
 *
 * Keys: `<prefix>:<namespace>::<key>` (the keyv/@keyv/redis layout), plus one sorted set per
 * identity, `<prefix>:history-index:<identity>`, that lists its history records by time.
 */
import KeyvRedis, { createClient } from '@keyv/redis';
import type { Keyv } from 'keyv';
import { type Backend, namespaceKeyv } from '../backend.js';
import { deserializeEntry, serializeEntry } from '../codec.js';
import { escapeIdentity, NAMESPACES, type Namespace } from '../layout.js';
import { redisIntentOps } from './redis-intents.js';

const CONNECT_TIMEOUT_MS = 2000;
/**
 * How long a command may wait for a connection that is being (re)made. A store just opened, or
 * one whose server blipped, answers once connected; after this long offline, calls fail at once.
 */
const READY_WAIT_MS = 1500;

// Compare-and-swap: GET and SET in one script, which Redis runs without interleaving.
const REPLACE_IF_UNCHANGED = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2])
  return 1
end
return 0`;

// The index and the records it lists go together, so a history record written while the
// identity is being forgotten cannot survive unlisted.
const DELETE_HISTORY = `
local members = redis.call('ZRANGE', KEYS[1], 0, -1)
for _, member in ipairs(members) do
  redis.call('UNLINK', ARGV[1] .. member)
end
redis.call('UNLINK', KEYS[1])
return #members`;

// A queue's next turn: the key holds when the next turn may start (ms, the server's clock), and
// expires then. ARGV: interval, longest wait. Returns {1, wait} or {0, retry after}.
const RESERVE_TURN = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local interval = tonumber(ARGV[1])
local start = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0') or 0)
if start - now > tonumber(ARGV[2]) then
  return {0, start - now - tonumber(ARGV[2])}
end
redis.call('SET', KEYS[1], tostring(start + interval), 'PX', start + interval - now)
return {1, start - now}`;

export function openRedisBackend(options: {
  url: string;
  prefix: string;
  onError: (namespace: Namespace | 'connection', error: unknown) => void;
}): Backend {
  const { prefix } = options;
  const client = createClient({
    url: options.url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      // Forever, at most 2 s apart: the store must come back on its own when Redis does.
      reconnectStrategy: (retries: number) => Math.min(100 * 2 ** Math.min(retries, 10), 2000),
    },
  });
  client.on('error', (error: unknown) => { options.onError('connection', error); });
  let offlineSince: number | undefined = Date.now();
  client.on('ready', () => { offlineSince = undefined; });
  client.on('reconnecting', () => { offlineSince ??= Date.now(); });
  client.on('end', () => { offlineSince ??= Date.now(); });
  // Not awaited: the first attempt may fail, and the client then keeps retrying; meanwhile
  // every command fails fast (see disableOfflineQueue).
  client.connect().catch((error: unknown) => { options.onError('connection', error); });

  const kv = Object.fromEntries(
    NAMESPACES.map((ns) => {
      const namespace = `${prefix}:${ns}`;
      const store = new KeyvRedis(client, { namespace, throwOnConnectError: true, throwOnErrors: true, connectionTimeout: CONNECT_TIMEOUT_MS });
      // @keyv/redis adds `<namespace>::` itself; keyv's own prefix would double it.
      return [ns, namespaceKeyv(store, namespace, (error) => { options.onError(ns, error); }, { useKeyPrefix: false })];
    }),
  ) as Record<Namespace, Keyv>;
  const stored = (namespace: Namespace, key: string) => `${prefix}:${namespace}::${key}`;
  const historyIndex = (identity: string) => `${prefix}:history-index:${escapeIdentity(identity)}`;
  let closed = false;

  return {
    kind: 'redis',
    kv,
    ...redisIntentOps(client, prefix, (key) => stored('claims', key)),
    ready() {
      const wait = offlineSince === undefined || closed ? 0 : READY_WAIT_MS - (Date.now() - offlineSince);
      if (wait <= 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          client.off('ready', done);
          resolve();
        };
        const timer = setTimeout(done, wait);
        client.on('ready', done);
      });
    },
    async replaceIfUnchanged(namespace, key, expected, next) {
      const replaced = await client.eval(REPLACE_IF_UNCHANGED, { keys: [stored(namespace, key)], arguments: [expected, next] });
      return replaced === 1;
    },
    async claim(key, ttlMs) {
      const value = serializeEntry({ value: true, expires: Date.now() + ttlMs });
      const reply = await client.set(stored('claims', key), value, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } });
      return reply === 'OK';
    },
    async reserveTurn(key, intervalMs, maxWaitMs) {
      const reply = await client.eval(RESERVE_TURN, { keys: [stored('claims', key)], arguments: [String(Math.ceil(intervalMs)), String(Math.ceil(maxWaitMs))] });
      const [ok, ms] = Array.isArray(reply) ? reply.map(Number) : [];
      if (ok === 1) return { ok: true, waitMs: ms ?? 0 };
      return { ok: false, retryAfterMs: Math.max(1, ms ?? 1) };
    },
    async appendHistory(identity, key, entry, at) {
      await client
        .multi()
        .set(stored('history', key), serializeEntry({ value: entry }))
        .zAdd(historyIndex(identity), { score: at, value: key })
        .exec();
    },
    async removeHistoryEntry(identity, key) {
      await client.multi().del(stored('history', key)).zRem(historyIndex(identity), key).exec();
    },
    async listHistory(identity, limit) {
      const members = await client.zRange(historyIndex(identity), 0, limit - 1, { REV: true });
      if (members.length === 0) return [];
      const values = await client.mGet(members.map((member) => stored('history', member)));
      return values.flatMap((text) => (typeof text === 'string' ? [deserializeEntry(text)?.value] : []));
    },
    async deleteHistory(identity) {
      await client.eval(DELETE_HISTORY, { keys: [historyIndex(identity)], arguments: [stored('history', '')] });
    },
    async listKeys(namespace) {
      const start = stored(namespace, '');
      const keys: string[] = [];
      for await (const batch of client.scanIterator({ MATCH: `${start}*`, TYPE: 'string', COUNT: 500 })) {
        for (const key of batch) keys.push(key.slice(start.length));
      }
      return keys;
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        if (client.isReady) await client.close();
        else client.destroy();
      } catch {
        client.destroy();
      }
    },
  };
}
