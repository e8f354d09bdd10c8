/**
 * Durable command intents on Redis (see store/intents.ts). Each intent is a hash
 * `<prefix>:intent:<id>` (box, owner, lease, takeovers, created) that expires after the
 * longest life of a command, and a sorted set `<prefix>:intent-leases` lists the intents by
 * lease end, so the expired ones are one range read. Every operation is one Lua script: atomic,
 * one round trip.
 */
import type { Backend, IntentRow } from '../backend.js';
import { serializeEntry } from '../codec.js';

/** What these operations need of the node-redis client: scripts. */
type Client = { eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown> };
type IntentOps = Pick<Backend, 'beginIntent' | 'renewIntents' | 'finishIntents' | 'expiredIntents' | 'takeIntent'>;

// The seen-mark exactly as `claim` writes it (SET NX PX); the intent only when it was free.
const BEGIN = `
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
redis.call('HSET', KEYS[2], 'box', ARGV[3], 'owner', ARGV[4], 'lease', ARGV[5], 'takeovers', ARGV[6], 'created', ARGV[7])
redis.call('PEXPIRE', KEYS[2], ARGV[8])
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[9])
return 1`;

// ARGV: key prefix, owner, lease, ids… — an intent another process took over is left alone.
const RENEW = `
for i = 4, #ARGV do
  local key = ARGV[1] .. ARGV[i]
  if redis.call('HGET', key, 'owner') == ARGV[2] then
    redis.call('HSET', key, 'lease', ARGV[3])
    redis.call('ZADD', KEYS[1], ARGV[3], ARGV[i])
  end
end
return 0`;

const FINISH = `
for i = 2, #ARGV do
  redis.call('UNLINK', ARGV[1] .. ARGV[i])
  redis.call('ZREM', KEYS[1], ARGV[i])
end
return 0`;

// Flattened rows (id, box, owner, lease, takeovers, created); an index entry whose hash has
// expired (older than any command may live) is dropped on the way.
const EXPIRED = `
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, id in ipairs(ids) do
  local row = redis.call('HMGET', ARGV[1] .. id, 'box', 'owner', 'lease', 'takeovers', 'created')
  if row[1] and row[2] and row[3] then
    table.insert(out, id)
    for j = 1, 5 do table.insert(out, row[j] or '0') end
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
return out`;

// ARGV: from owner, from lease, to owner, to lease, id.
const TAKE = `
local row = redis.call('HMGET', KEYS[1], 'owner', 'lease')
if row[1] ~= ARGV[1] or row[2] ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], 'owner', ARGV[3], 'lease', ARGV[4])
redis.call('HINCRBY', KEYS[1], 'takeovers', 1)
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[5])
return 1`;

export function redisIntentOps(client: Client, prefix: string, claimKey: (key: string) => string): IntentOps {
  const rowPrefix = `${prefix}:intent:`;
  const index = `${prefix}:intent-leases`;
  const ms = (n: number) => String(Math.floor(n));
  return {
    async beginIntent(seenKey, seenTtlMs, row, maxAgeMs) {
      const seen = serializeEntry({ value: true, expires: Date.now() + seenTtlMs });
      const reply = await client.eval(BEGIN, {
        keys: [claimKey(seenKey), rowPrefix + row.id, index],
        arguments: [seen, ms(seenTtlMs), JSON.stringify(row.box), row.owner, ms(row.lease), String(row.takeovers), ms(row.created), ms(maxAgeMs), row.id],
      });
      return reply === 1;
    },
    async renewIntents(owner, ids, lease) {
      if (ids.length === 0) return;
      await client.eval(RENEW, { keys: [index], arguments: [rowPrefix, owner, ms(lease), ...ids] });
    },
    async finishIntents(ids) {
      if (ids.length === 0) return;
      await client.eval(FINISH, { keys: [index], arguments: [rowPrefix, ...ids] });
    },
    async expiredIntents(now, limit) {
      const reply = await client.eval(EXPIRED, { keys: [index], arguments: [rowPrefix, ms(now), String(limit)] });
      const flat = Array.isArray(reply) ? reply.map(String) : [];
      const rows: IntentRow[] = [];
      for (let i = 0; i + 5 < flat.length; i += 6) {
        const [id, box, owner, lease, takeovers, created] = flat.slice(i, i + 6) as [string, string, string, string, string, string];
        rows.push({ id, box: parseBox(box), owner, lease: Number(lease), takeovers: Number(takeovers), created: Number(created) });
      }
      return rows;
    },
    async takeIntent(id, from, to) {
      const reply = await client.eval(TAKE, { keys: [rowPrefix + id, index], arguments: [from.owner, ms(from.lease), to.owner, ms(to.lease), id] });
      return reply === 1;
    },
  };
}

function parseBox(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
