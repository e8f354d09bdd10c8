/**
 * The console front door, driven as a script would drive it: one child process per session,
 * stdin piped, against the fake mail API and a real SQLite store. Each reply line must say
 * whether a chat user would see it privately or in the channel.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replies, runConsoleProcess, startConsoleEnv, type ConsoleEnv, type ConsoleRun } from './harness.js';

const OWNER = 'alice.owner@private.example';
let env: ConsoleEnv;
let key: string;

beforeAll(async () => {
  env = await startConsoleEnv();
  key = env.api.newKey(OWNER);
  env.api.takeHandle('bob');
});
afterAll(async () => {
  await env.close();
});

function expectNoSecrets(run: ConsoleRun) {
  const everything = (run.stdout + run.stderr).toLowerCase();
  expect(everything).not.toContain(key);
  for (const line of run.lines) expect(line).toMatch(/^(\[(private|channel)\] |.*\[y\/N\]$|\(cancelled\))/);
}

describe('the console', () => {
  it('links a key (malformed, rejected, good), claims a handle and explains a taken one', async () => {
    const run = await env.run([
      'create alice',
      'key set', 'not-a-key',
      'key set', 'f'.repeat(64),
      'key set', `  ${key.toUpperCase()}  `,
      'key status',
      '/handle create Alice',
      'create alice',
      'create bob',
    ]);
    expect(run.code).toBe(0);
    const r = replies(run);
    expect(r[0]).toMatch(/^\[private\] ⚠️ You have not linked an API key yet/);
    expect(r[0]).toContain('→ [1] Link my API key');
    expect(r[1]).toMatch(/That does not look like an API key[\s\S]*it has 9 characters, and an API key has exactly 64/);
    expect(r[2]).toMatch(/The mail service does not accept this key[\s\S]*was not saved/);
    expect(r[3]).toMatch(/Your API key is linked[\s\S]*ending in `…/);
    expect(r[4]).toMatch(/Key: `…[0-9a-f]{4}`[\s\S]*accepts it right now/);
    expect(r[5]).toMatch(/^\[channel\] ✅ 🎉 @alice claimed `alice`\n\[channel\] {3}Mail to `alice@example.test` and `alice@example2.test` now reaches them\./);
    expect(r[5]).not.toContain(OWNER);
    expect(r[6]).toMatch(/^\[private\] ✅ You claimed `alice`[\s\S]*forwarded to `alice\.owner@private\.example`/);
    expect(r[7]).toMatch(/^\[private\] ℹ️ You already own `alice`/);
    expect(r[8]).toMatch(/^\[private\] ⚠️ `bob` is already taken[\s\S]*only once, ever/);
    expect(r[8]).toMatch(/→ \[1\] Claim bob\.alice {2}\(type 1, you will be asked to confirm\)/);
    expectNoSecrets(run);
    // The service saw the normalised handle, once; the key only ever in its header.
    expect(env.api.requests.filter((q) => q.path === '/api/handle/create' && (q.body as { handle: string }).handle === 'alice')).toHaveLength(2);
    expect(env.storeBytes().toLowerCase()).not.toContain(key);
    expect(env.storeBytes()).not.toContain(OWNER);
  });

  it('explains every local reason a handle is invalid, with a suggestion, without calling the service', async () => {
    const before = env.api.requests.length;
    const run = await env.run([
      'create jöhn', 'create john doe', 'create .john', 'create john.', 'create jo..hn', 'create john@example.com',
      `create ${'a'.repeat(65)}`, 'create jo(hn',
    ]);
    const r = replies(run);
    expect(r).toHaveLength(8);
    expect(r[0]).toMatch(/`jöhn` is not a valid handle[\s\S]*non-ASCII letter `ö`[\s\S]*1–64 characters[\s\S]*Did you mean `john`\?/);
    expect(r[1]).toMatch(/contains a space[\s\S]*Did you mean `john\.doe`/);
    expect(r[2]).toMatch(/starts with a dot/);
    expect(r[3]).toMatch(/ends with a dot/);
    expect(r[4]).toMatch(/two dots in a row/);
    expect(r[5]).toMatch(/contains `@`: type only the part before the @[\s\S]*Did you mean `john`/);
    expect(r[6]).toMatch(/65 characters long, and the limit is 64/);
    expect(r[7]).toMatch(/contains `\(`, which is not allowed/);
    for (const reply of r) expect(reply.startsWith('[private] ⚠️')).toBe(true);
    expect(env.api.requests.slice(before).filter((q) => q.path === '/api/handle/create')).toHaveLength(0);
  });

  it('tells a reserved name from a banned owner, and a rate limit with its wait', async () => {
    env.api.ban({ type: 'name', value: 'postmaster', reason: 'reserved' });
    const bannedKey = env.api.newKey('mallory@banned.example');
    env.api.ban({ type: 'domain', value: 'banned.example' });
    const reserved = await env.run(['create postmaster']);
    expect(replies(reserved)[0]).toMatch(/This handle is reserved by the mail service[\s\S]*request id: hb-/);

    const banned = await env.run(['key set', bannedKey, 'create mallory'], { user: 'mallory' });
    expect(replies(banned)[1]).toMatch(/blocked your account[\s\S]*e-mail domain[\s\S]*every handle request[\s\S]*operators/);
    expect(banned.stderr).toContain('"type":"owner_banned"'); // handed to the notifier
    expect(banned.stdout + banned.stderr).not.toContain(bannedKey);

    env.api.setRateLimits({ keyPerMinute: 1 });
    try {
      const limited = await env.run(['create rate.one', 'create rate.two']);
      expect(replies(limited)[2]).toMatch(/Too many requests: please wait a moment[\s\S]*Your API key made too many requests[\s\S]*Try again in (\d+ seconds|a minute)\./);
    } finally {
      env.api.setRateLimits(false);
    }
  });

  it('records a create whose outcome is unknown as unconfirmed, and says so', async () => {
    env.api.inject({ kind: 'hang' }, { times: 1, path: '/api/handle/create' });
    const run = await env.run(['create slowpoke', 'list'], { env: { MAIL_API_TIMEOUT_MS: '300' } });
    const r = replies(run);
    expect(r[0]).toMatch(/did not confirm your claim of `slowpoke`[\s\S]*may or may not be yours[\s\S]*did not retry[\s\S]*request id: hb-/);
    expect(r[1]).toMatch(/`slowpoke` — unconfirmed: the service did not answer in time/);
    const creates = env.api.requests.filter((q) => q.path === '/api/handle/create' && (q.body as { handle: string }).handle === 'slowpoke');
    expect(creates).toHaveLength(1); // never retried
  });

  it('explains a failing service, an unreachable one, and a store that is down', async () => {
    env.api.inject({ kind: 'status', status: 500 }, { times: 1, path: '/api/handle/create' });
    const failing = await env.run(['create broken']);
    expect(replies(failing)[0]).toMatch(/^\[private\] ❌ The mail service had an internal problem[\s\S]*nothing was changed[\s\S]*request id: hb-/);

    const unreachable = await env.run(['create nowhere'], { env: { MAIL_API_URL: 'http://127.0.0.1:1' } });
    expect(replies(unreachable)[0]).toMatch(/could not reach the mail service[\s\S]*nothing was changed[\s\S]*request id: hb-/);

    const storeDown = await env.run(['create alice2', 'list'], {
      env: { STORE_URL: 'redis://127.0.0.1:1', HANDLE_BOT_SECRET: 'ab'.repeat(32) },
    });
    for (const reply of replies(storeDown)) {
      expect(reply).toMatch(/^\[private\] ❌ The bot cannot reach its own storage right now[\s\S]*Your key and settings are safe/);
      expect(reply).not.toMatch(/not linked/);
    }
    expect(storeDown.code).toBe(0);
  }, 60_000); // three console processes, one after the other: on a busy 2-core machine each can take 10 s to start

  it('lists, deletes after confirming, shows domains, help, key status and removal, and forgets', async () => {
    const run = await env.run([
      'delete alice', '1', 'n',
      'delete alice', '1', 'y',
      'delete alice', 'delete zed',
      'list', 'create alice', 'domains', 'help create', 'help',
      'key remove', 'key status', `key set ${key}`,
      'forget', '1', 'yes', 'list', 'key status',
    ]);
    const text = run.stdout;
    expect(text).toContain('(cancelled)');
    expect(text).toMatch(/\[private\] ✅ Deleted `alice`/);
    // Deleted already: answered at once, no question. Never seen here: asked, saying so.
    expect(text).toMatch(/\[private\] ℹ️ You already deleted `alice`\n\[private\] {3}There is nothing left to do/);
    expect(text).toMatch(/\[private\] ℹ️ Delete `zed`\?\n\[private\] {3}The bot has no record of you claiming it: if you claimed it elsewhere/);
    // A key typed on the same line as `key set` is used; the next line is a command again.
    expect(text).toMatch(/Your API key is linked[\s\S]*Forget everything the bot holds about you\?/);
    expect(text).toMatch(/`alice` — deleted, /);
    expect(text).toMatch(/You deleted `alice` earlier\n\[private\] {3}A deleted handle stays reserved forever/);
    expect(text).toMatch(/The mail service manages 2 domains\n\[private\] {3}`example.test` and `example2.test`/);
    expect(text).toMatch(/\[private\] ℹ️ `\/handle create <name>`\n\[private\] {3}Claim an e-mail handle with your linked key\./);
    expect(text).toMatch(/Your API key is removed/);
    expect(text).toMatch(/Done: the bot has forgotten you/);
    expect(text).toMatch(/You have no handles yet/);
    expect(env.api.handleState('alice')).toMatchObject({ active: false });
    expectNoSecrets(run);
  });

  it('runs the admin verbs and turns the channel announcement off', async () => {
    const run = await env.run([
      'key set', key,
      'admin notify #ops', 'admin key-events on', 'admin onboarding on Welcome to Acme!', 'admin announce maybe',
      'admin announce off', 'create quiet.one', 'admin announce on', 'admin notify off',
    ]);
    const r = replies(run).slice(1);
    expect(r[0]).toMatch(/Admin notifications now go to #ops/);
    expect(r[1]).toMatch(/Key events are reported to admins/);
    expect(r[2]).toMatch(/Onboarding is on[\s\S]*Welcome text: Welcome to Acme!/);
    expect(r[3]).toMatch(/Say on or off/);
    expect(r[4]).toMatch(/no longer announced/);
    expect(r[5]).toMatch(/^\[private\] ✅ You claimed `quiet\.one`/);
    expect(run.stdout).not.toMatch(/\[channel\].*quiet\.one/);
    expect(r[7]).toMatch(/Admin notifications are off/);
  });

  it('speaks Brazilian Portuguese when LANG says so: replies, buttons, the confirmation, dates in local time', async () => {
    const ptKey = env.api.newKey('carla@private.example');
    const run = await env.run([`key set ${ptKey}`, 'create carla', 'list', 'delete carla', '1', 's', 'delete carla'], {
      user: 'carla', env: { LANG: 'pt_BR.UTF-8', TZ: 'America/Sao_Paulo' },
    });
    const r = replies(run);
    expect(r[0]).toMatch(/^\[private\] ✅ Sua chave de API está vinculada\n\[private\] {3}O serviço de e-mail aceitou a chave terminada em `…/);
    expect(r[1]).toMatch(/^\[channel\] ✅ 🎉 @carla registrou `carla`/);
    expect(r[2]).toMatch(/^\[private\] ✅ Você registrou `carla`/);
    // Local time (São Paulo), day first, and how long ago, in Portuguese.
    expect(r[3]).toMatch(/^\[private\] ℹ️ Seus handles\n\[private\] {3}• `carla` — registrado, \d{1,2} de [a-z]{3}\. de \d{4}, \d{2}:\d{2} \((agora|há \d+ segundos?)\)/);
    expect(r[4]).toMatch(/^\[private\] ℹ️ Excluir `carla`\?[\s\S]*→ \[1\] Excluir carla {2}\(digite 1; vamos pedir confirmação\)/);
    expect(run.stdout).toContain('Excluir `carla` de vez? Não dá para desfazer. [s/N]');
    expect(r[5]).toMatch(/^\[private\] ✅ `carla` foi excluído/);
    expect(r[6]).toMatch(/^\[private\] ℹ️ Você já excluiu `carla`/);
    expect(run.stdout + run.stderr).not.toContain(ptKey);
  });

  it('stops with exit code 2 and every problem listed when the configuration is wrong', async () => {
    const run = await runConsoleProcess(['help'], { MAIL_API_URL: 'not a url', COOLDOWN_SECONDS: '-1', PATH: process.env.PATH ?? '' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/MAIL_API_URL/);
    expect(run.stderr).toMatch(/COOLDOWN_SECONDS/);
    expect(run.stdout).toBe('');
  });
});
