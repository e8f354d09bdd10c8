/**
 * The Discord fake, proven against the real discord.js 14 with minimal inline bots (not the product's code).
 */
import { once } from 'node:events';
import {
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  type Interaction,
  MessageFlags,
  ModalBuilder,
  PermissionFlagsBits,
  Routes,
  SlashCommandBuilder,
  TextInputStyle,
} from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { type DiscordGatewayFrame, type FakeDiscord, type FakeDiscordOptions, PERMISSIONS, option, startFakeDiscord } from './discord.js';

const GUILD = '1200000000000000001';
const GENERAL = '1200000000000000002';
const ALICE = '1300000000000000001';
const BOB = '1300000000000000002';
const ADMIN_ROLE = '1200000000000000009';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function fakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const fake = await startFakeDiscord({
    token: 'fake.bot.token',
    users: [{ id: ALICE, username: 'alice' }, { id: BOB, username: 'bob', dmClosed: true }],
    guilds: [{
      id: GUILD,
      name: 'Test Server',
      roles: [{ id: ADMIN_ROLE, name: 'admins', permissions: PERMISSIONS.ManageGuild }],
      channels: [{ id: GENERAL, name: 'general' }],
      members: [{ user: ALICE, roles: [ADMIN_ROLE] }],
      ownerId: '1300000000000000099',
    }],
    ...options,
  });
  cleanups.push(() => fake.close());
  return fake;
}

function newClient(fake: FakeDiscord, intents: number[] = [GatewayIntentBits.Guilds]): Client {
  const client = new Client({ intents, rest: { api: fake.apiUrl, retries: 0, timeout: 3000 }, waitGuildTimeout: 1000 });
  cleanups.push(() => client.destroy());
  return client;
}

async function loggedIn(fake: FakeDiscord, intents?: number[]): Promise<Client<true>> {
  const client = newClient(fake, intents);
  const ready = once(client, Events.ClientReady);
  await client.login('fake.bot.token');
  await ready;
  return client as Client<true>;
}

/** Run `handler` for every interaction; its failures fail the test through the returned list. */
function onInteraction(client: Client, handler: (i: Interaction) => Promise<void>): Error[] {
  const errors: Error[] = [];
  client.on(Events.InteractionCreate, (i) => {
    handler(i).catch((error: unknown) => errors.push(error instanceof Error ? error : new Error(String(error))));
  });
  return errors;
}

describe('fake Discord gateway', () => {
  it('logs discord.js in: HELLO, IDENTIFY (intents recorded), READY, GUILD_CREATE, heartbeat ACKs', async () => {
    const fake = await fakeDiscord({ heartbeatIntervalMs: 60 });
    const client = await loggedIn(fake, [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers, GatewayIntentBits.DirectMessages]);
    expect(fake.identify?.intents).toBe(1 | 2 | 4096);
    expect(client.user.id).toBe(fake.applicationId);
    expect(client.application.id).toBe(fake.applicationId);
    const guild = client.guilds.cache.get(GUILD);
    expect(guild?.name).toBe('Test Server');
    expect(guild?.roles.everyone.id).toBe(GUILD);
    expect(guild?.channels.cache.get(GENERAL)?.name).toBe('general');
    expect(guild?.members.me?.roles.cache.some((r) => r.managed)).toBe(true);
    expect(guild?.members.cache.get(ALICE)?.permissions.has(PermissionFlagsBits.ManageGuild)).toBe(true);
    // Heartbeats are answered with op 11, so discord.js measures a ping instead of declaring a zombie.
    await fake.waitFor((t) => t.kind === 'gateway' && t.direction === 'out' && t.op === 11);
    await fake.waitFor((t) => t.kind === 'gateway' && t.direction === 'in' && t.op === 1 && fake.traffic.filter((x) => x.kind === 'gateway' && x.op === 11).length >= 2);
    expect(fake.traffic.some((t) => t.kind === 'gateway-close')).toBe(false);
  });

  it('refuses privileged intents with close code 4014 when the portal switch is off', async () => {
    const fake = await fakeDiscord({ privilegedIntentsAllowed: false });
    const client = newClient(fake, [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers]);
    const shardError = once(client, Events.ShardError);
    await expect(client.login('fake.bot.token')).rejects.toThrow(/disallowed intents/i);
    expect(((await shardError)[0] as Error).message).toMatch(/disallowed intents/i);
    expect(await fake.waitFor((t) => t.kind === 'gateway-close')).toMatchObject({ code: 4014 });
  });

  it('sends GUILD_MEMBER_ADD only with the GuildMembers intent', async () => {
    const without = await fakeDiscord();
    await loggedIn(without, [GatewayIntentBits.Guilds]);
    expect(without.joinMember(GUILD, { user: { id: '1300000000000000005', username: 'carol' } })).toBeNull();

    const fake = await fakeDiscord();
    const client = await loggedIn(fake, [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers]);
    const joined = once(client, Events.GuildMemberAdd);
    expect(fake.joinMember(GUILD, { user: { id: '1300000000000000005', username: 'carol' } })).toBeGreaterThan(0);
    const [member] = (await joined) as [{ id: string; guild: { id: string } }];
    expect(member.id).toBe('1300000000000000005');
    expect(member.guild.id).toBe(GUILD);
  });

  it('resumes after RECONNECT and replays what was dispatched meanwhile', async () => {
    const fake = await fakeDiscord();
    const client = await loggedIn(fake, [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers]);
    const sessionId = fake.sessionId;
    fake.requestReconnect();
    expect(await fake.waitFor((t) => t.kind === 'gateway-close')).toMatchObject({ code: 4200 });
    // Dispatched while the client is away: buffered, replayed after its RESUME.
    const joined = once(client, Events.GuildMemberAdd);
    fake.joinMember(GUILD, { user: { id: '1300000000000000006', username: 'dave' } });
    await fake.waitFor((t): t is DiscordGatewayFrame => t.kind === 'gateway' && t.t === 'RESUMED');
    expect(fake.traffic.find((t) => t.kind === 'gateway' && t.direction === 'in' && t.op === 6)).toMatchObject({ d: { session_id: sessionId } });
    expect(((await joined) as [{ id: string }])[0].id).toBe('1300000000000000006');
    expect(fake.connected).toBe(true);
  });
});

describe('fake Discord interactions', () => {
  it('chat input: deferReply → callback 5, editReply → PATCH @original, followUp → POST ?wait=true', async () => {
    const fake = await fakeDiscord();
    const client = await loggedIn(fake);
    const errors = onInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.deferReply({ flags: MessageFlags.Ephemeral });
      const name = i.options.getString('name', true);
      await i.editReply(`created ${name} (${i.options.getSubcommand()}, admin=${String(i.memberPermissions?.has(PermissionFlagsBits.ManageGuild))})`);
      await i.followUp({ content: 'announcement', flags: MessageFlags.SuppressNotifications });
    });
    const id = fake.sendInteraction(fake.chatInputInteraction({ subcommand: 'create', options: { name: 'alice' }, user: ALICE, guildId: GUILD, channelId: GENERAL }));
    const follow = await fake.waitForWebhook((w) => w.interactionId === id && w.method === 'POST');
    expect(errors).toEqual([]);
    expect(fake.callbacksFor(id)).toMatchObject([{ type: 5, data: { flags: 64 }, status: 204 }]);
    const [edit, followUp] = fake.webhooksFor(id);
    expect(edit).toMatchObject({ method: 'PATCH', messageId: '@original', body: { content: 'created alice (create, admin=true)' }, status: 200 });
    expect(followUp).toBe(follow);
    expect(follow).toMatchObject({ query: { wait: 'true' }, body: { content: 'announcement' }, status: 200 });
    // Interaction routes carry no Authorization header.
    expect(fake.requests.find((r) => r.path.startsWith('/interactions/'))?.headers.authorization).toBeUndefined();
  });

  it('subcommand groups, typed options and resolved channels reach the option resolver; DMs carry `user`', async () => {
    const fake = await fakeDiscord();
    const client = await loggedIn(fake);
    const seen: string[] = [];
    const errors = onInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) return;
      const channel = i.options.getChannel('channel', false);
      seen.push(`${i.commandName} ${i.options.getSubcommandGroup(false) ?? '-'} ${i.options.getSubcommand()} ${String(i.options.getBoolean('enabled', false))} ${channel?.id ?? '-'} dm=${String(!i.inGuild())} by=${i.user.id}`);
      await i.reply({ content: 'ok', flags: MessageFlags.Ephemeral, withResponse: true });
    });
    const a = fake.sendInteraction(fake.chatInputInteraction({ name: 'handle-admin', group: 'notify', subcommand: 'set', options: { channel: option.channel(GENERAL), enabled: true }, user: ALICE, guildId: GUILD }));
    const b = fake.sendInteraction(fake.chatInputInteraction({ subcommand: 'list', user: ALICE }));
    await fake.waitForCallback(a);
    await fake.waitForCallback(b);
    expect(errors).toEqual([]);
    expect(seen.sort()).toEqual([
      `handle - list null - dm=true by=${ALICE}`,
      `handle-admin notify set true ${GENERAL} dm=false by=${ALICE}`,
    ]);
    expect(fake.callbacksFor(a)[0]).toMatchObject({ type: 4, withResponse: true, status: 200 });
  });

  it('modal flow: showModal → callback 9; the modal submit is read with fields.getTextInputValue; a second ack is refused', async () => {
    const fake = await fakeDiscord();
    const client = await loggedIn(fake);
    const values: string[] = [];
    const errors = onInteraction(client, async (i) => {
      if (i.isChatInputCommand()) {
        // discord.js 14.28 deprecates action rows in modals: a Label (type 18) wraps each input.
        const modal = new ModalBuilder().setCustomId('key_set').setTitle('Link your key').addLabelComponents(
          (label) => label.setLabel('API key').setTextInputComponent((input) => input.setCustomId('key').setStyle(TextInputStyle.Short)),
        );
        await i.showModal(modal);
        // discord.js itself refuses a second reply, so ask the fake directly: it answers like Discord.
        await i.client.rest.post(Routes.interactionCallback(i.id, i.token), { body: { type: 5 }, auth: false })
          .catch((error: unknown) => { values.push(`second ack: ${String((error as DiscordAPIError).code)}`); });
      } else if (i.isModalSubmit()) {
        values.push(i.fields.getTextInputValue('key'));
        await i.reply({ content: 'saved', flags: MessageFlags.Ephemeral });
      }
    });
    const command = fake.sendInteraction(fake.chatInputInteraction({ group: 'key', subcommand: 'set', user: ALICE, guildId: GUILD }));
    const shown = await fake.waitForCallback(command);
    expect(shown).toMatchObject({ type: 9, data: { custom_id: 'key_set', title: 'Link your key', components: [{ type: 18, label: 'API key', component: { type: 4, custom_id: 'key' } }] } });
    await fake.waitFor((t) => t.kind === 'request' && t.status === 400);

    const labelsPayload = fake.modalSubmitInteraction({ custom_id: 'key_set', fields: { key: 'k-labels' }, user: ALICE });
    expect(labelsPayload.data.components).toMatchObject([{ type: 18, component: { type: 4, custom_id: 'key', value: 'k-labels' } }]);
    const labels = fake.sendInteraction(labelsPayload);
    const rows = fake.sendInteraction(fake.modalSubmitInteraction({ custom_id: 'key_set', fields: { key: 'k-rows' }, labels: false, user: ALICE, guildId: GUILD }));
    expect(await fake.waitForCallback(rows)).toMatchObject({ type: 4, data: { content: 'saved', flags: 64 } });
    await fake.waitForCallback(labels);
    expect(errors).toEqual([]);
    expect(values.sort()).toEqual(['k-labels', 'k-rows', 'second ack: 40060']);
  });

  it('button: update → callback 7; autocomplete: respond → callback 8 with choices', async () => {
    const fake = await fakeDiscord();
    const client = await loggedIn(fake);
    const errors = onInteraction(client, async (i) => {
      if (i.isButton()) {
        await i.update({ content: `confirmed ${i.customId}`, components: [] });
      } else if (i.isAutocomplete()) {
        const typed = i.options.getFocused();
        await i.respond([`${typed}1`, `${typed}2`].map((name) => ({ name, value: name })));
      }
    });
    const button = fake.sendInteraction(fake.buttonInteraction({ custom_id: 'delete:alice', user: ALICE, guildId: GUILD }));
    expect(await fake.waitForCallback(button)).toMatchObject({ type: 7, data: { content: 'confirmed delete:alice', components: [] } });
    const auto = fake.sendInteraction(fake.autocompleteInteraction({ subcommand: 'delete', options: { name: 'al' }, focused: 'name', user: ALICE, guildId: GUILD }));
    expect(await fake.waitForCallback(auto)).toMatchObject({ type: 8, data: { choices: [{ name: 'al1', value: 'al1' }, { name: 'al2', value: 'al2' }] } });
    expect(errors).toEqual([]);
  });
});

describe('fake Discord REST', () => {
  it('DMs: open a DM channel and send; a user with closed DMs gives 403 code 50007', async () => {
    const fake = await fakeDiscord();
    const client = await loggedIn(fake);
    const sent = await client.users.send(ALICE, 'welcome');
    expect(sent.content).toBe('welcome');
    expect(fake.dmsTo(ALICE)).toMatchObject([{ content: 'welcome' }]);
    const dmRequests = fake.requests.filter((r) => r.method === 'POST');
    expect(dmRequests.map((r) => r.path)).toEqual(['/users/@me/channels', `/channels/${sent.channelId}/messages`]);
    expect(dmRequests[0]?.headers.authorization).toBe('Bot fake.bot.token');

    const refused = await client.users.send(BOB, 'welcome').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DiscordAPIError);
    expect(refused).toMatchObject({ code: 50007, status: 403 });
  });

  it('stores commands from PUT and returns them with ids on GET (global and per guild)', async () => {
    const fake = await fakeDiscord();
    const client = await loggedIn(fake);
    const handle = new SlashCommandBuilder().setName('handle').setDescription('Claim a handle')
      .addSubcommand((s) => s.setName('create').setDescription('Claim').addStringOption((o) => o.setName('name').setDescription('the handle').setRequired(true).setMaxLength(64)));
    const admin = new SlashCommandBuilder().setName('handle-admin').setDescription('Admin').setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
      .addSubcommand((s) => s.setName('notify-off').setDescription('Stop notifications'));
    const set = await client.application.commands.set([handle.toJSON(), admin.toJSON()]);
    expect([...set.values()].map((c) => c.name).sort()).toEqual(['handle', 'handle-admin']);
    const put = fake.requests.find((r) => r.method === 'PUT');
    expect(put?.path).toBe(`/applications/${fake.applicationId}/commands`);
    const firstIds = fake.commands().map((c) => c.id as string);

    await client.application.commands.set([handle.toJSON(), admin.toJSON()]);
    expect(fake.commands().map((c) => c.id)).toEqual(firstIds); // same name → same id, as on Discord
    const fetched = await client.application.commands.fetch();
    expect(fetched.get(firstIds[1] ?? '')?.defaultMemberPermissions?.has(PermissionFlagsBits.ManageGuild)).toBe(true);

    await client.application.commands.set([handle.toJSON()], GUILD);
    expect(fake.commands(GUILD)).toMatchObject([{ name: 'handle', guild_id: GUILD }]);
    expect((await client.guilds.cache.get(GUILD)?.commands.fetch())?.size).toBe(1);
    // The interaction builder reuses the registered id.
    expect(fake.chatInputInteraction({ user: ALICE, guildId: GUILD, subcommand: 'create', options: { name: 'x' } }).data.id).toBe(fake.commands(GUILD)[0]?.id);
  });

  it('simulates a per-route 429 (discord.js waits and retries) and injected failures', async () => {
    const fake = await fakeDiscord();
    const client = await loggedIn(fake);
    const limited = once(client.rest, 'rateLimited');
    fake.rateLimitNext('POST /channels/:id/messages', { retryAfter: 0.05 });
    const channel = client.channels.cache.get(GENERAL);
    if (!channel?.isSendable()) throw new Error('general is not sendable');
    await channel.send('after the limit');
    expect(((await limited) as [{ retryAfter: number }])[0].retryAfter).toBeGreaterThanOrEqual(50);
    expect(fake.requests.filter((r) => r.path === `/channels/${GENERAL}/messages`).map((r) => r.status)).toEqual([429, 200]);

    fake.failNext('POST /channels/*', 403, { message: 'Missing Access', code: 50001 });
    await expect(channel.send('nope')).rejects.toMatchObject({ code: 50001, status: 403 });
    expect((await channel.send('fine')).content).toBe('fine');
  });

  it('optionally simulates the global limit on bot-authenticated routes', async () => {
    const fake = await fakeDiscord({ globalRateLimitPerSecond: 2 });
    const client = await loggedIn(fake);
    const limited = once(client.rest, 'rateLimited');
    await Promise.all([ALICE, ALICE, ALICE].map((id) => client.users.fetch(id, { force: true })));
    expect(((await limited) as [{ global: boolean }])[0].global).toBe(true);
    const statuses = fake.requests.filter((r) => r.path.startsWith('/users/')).map((r) => r.status);
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(3);
  });
});
