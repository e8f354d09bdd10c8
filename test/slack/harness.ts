/**
 * One running Slack front door for a test: the fake Slack (Web API, response_url, Socket
 * Mode), the fake mail API, a real SQLite store in a temp dir, the real runtime and the real
 * Bolt app on 127.0.0.1, the log captured line by line. Helpers send what Slack sends and
 * read back what Bolt sent. Nothing sleeps: everything waits on recorded traffic.
 */
import type { ApiKey } from '../../src/domain/api-key.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { slackIdentity } from '../../src/domain/identity.js';
import { loadConfig } from '../../src/ops/config.js';
import { createLogger } from '../../src/ops/logger.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { startSlack, type SlackHandle, type StartSlackOptions } from '../../src/slack/app.js';
import { startFakeMailApi, type FakeMailApi, type FakeMailApiOptions } from '../fakes/mail-api.js';
import {
  blockActionsPayload, eventCallback, functionExecutedEvent, interactiveForm, newTriggerId, signedPost, slashCommandForm,
  slashCommandPayload, startFakeSlack, viewSubmissionPayload, type EventCallbackOptions, type FakeSlack, type FakeSlackChannel,
  type FakeSlackUser, type JsonObject, type SignedPostResult, type SlackAck, type SlackCall, type SlackResponseUrlPost,
} from '../fakes/slack.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const BOT_TOKEN = 'xoxb-test-bot-token-0123456789';
export const APP_TOKEN = 'xapp-test-app-token-0123456789';
export const TEAM = 'T0TEST';
export const GENERAL = 'C0GENERAL';
export const OWNER_EMAIL = 'alice.owner@example.com';

export const USERS: FakeSlackUser[] = [
  { id: 'UALICE', name: 'alice', real_name: 'Alice Example', display_name: 'alice' },
  { id: 'UBOB', name: 'bob', real_name: 'Bob Example', display_name: 'bob' },
  { id: 'UADMIN', name: 'ada', real_name: 'Ada Admin', display_name: 'ada', is_admin: true },
];

export const CHANNELS: FakeSlackChannel[] = [
  { id: GENERAL, name: 'general', is_member: true },
  { id: 'C0RANDOM', name: 'random', is_member: false },
  { id: 'G0SECRET', name: 'secret', is_private: true, is_member: false },
];

export type HarnessOptions = {
  mode?: 'http' | 'socket';
  /** Extra seeded Slack users (on top of USERS). */
  users?: FakeSlackUser[];
  /** Extra environment for loadConfig (e.g. COOLDOWN_SECONDS). */
  env?: Record<string, string>;
  mail?: FakeMailApiOptions;
  slack?: Omit<StartSlackOptions, 'port' | 'host'>;
  /** Start a second front door on the same store and fakes (replicas). */
  shareWith?: SlackHarness;
};

/** What a command or press produced on the wire. */
export type Sent = {
  responseUrl: string;
  triggerId: string;
  /** HTTP mode: Bolt's answer to the POST. */
  http?: SignedPostResult;
  /** Socket Mode: the ack frame. */
  ack?: SlackAck;
  /** Epoch ms when the ack (HTTP response or ack frame) was received. */
  ackedAt: number;
};

export type SlackHarness = {
  slack: FakeSlack;
  mail: FakeMailApi;
  runtime: Runtime;
  front: SlackHandle;
  mode: 'http' | 'socket';
  endpoint: string;
  dataDir: string;
  logLines: string[];
  identity(userId: string): string;
  /** Link a key straight in the store (the modal flow has its own tests). */
  linkKey(userId: string, key?: string, email?: string): Promise<string>;
  /** `/handle <text>` as Slack sends it. */
  command(text: string, options?: { user?: string; channel?: string; responseUrl?: string; triggerId?: string; envelopeId?: string; retryAttempt?: number }): Promise<Sent>;
  /** Resolves once `count` messages were POSTed to the response_url; returns them in order. */
  replies(responseUrl: string, count?: number): Promise<SlackResponseUrlPost[]>;
  /** Press a button Bolt rendered (from a recorded message). */
  press(button: JsonObject, options?: { user?: string; channel?: string; ephemeral?: boolean; actionTs?: string; envelopeId?: string }): Promise<Sent>;
  /** Submit the latest key modal opened/updated for `user`, typing `value` into its input. */
  submitKey(value: string, options?: { user?: string; triggerId?: string; envelopeId?: string }): Promise<{ http?: SignedPostResult; ack?: SlackAck; view: JsonObject }>;
  /** The latest modal Bolt showed (views.open or views.update). */
  latestView(): JsonObject | undefined;
  /** Submit the latest modal, typing `value` into its (single) input. */
  submitLatest(value: string, options?: { user?: string; envelopeId?: string }): Promise<{ http?: SignedPostResult; ack?: SlackAck; view: JsonObject }>;
  /** An Events API delivery (`event_callback` around `event`), as Slack sends it. */
  event(event: JsonObject, options?: EventCallbackOptions & { retryNum?: number }): Promise<{ body: JsonObject; http?: SignedPostResult; ack?: SlackAck }>;
  /** A Workflow Builder run of the claim step: the `function_executed` event with these inputs. */
  runStep(inputs: JsonObject, options?: { botAccessToken?: string; callbackId?: string }): Promise<{ executionId: string; http?: SignedPostResult; ack?: SlackAck }>;
  /** The step's functions.completeSuccess or functions.completeError call for one run. */
  stepEnd(executionId: string): Promise<SlackCall>;
  /** Opens the Home tab as `user` would; resolves with the view published for them. */
  openHome(user?: string): Promise<JsonObject>;
  /** The latest Home tab published for `user`. */
  latestHome(user?: string): JsonObject | undefined;
  /** Press a button of a published Home tab (no response_url there). */
  pressInHome(button: JsonObject, options?: { user?: string }): Promise<Pick<Sent, 'triggerId' | 'http' | 'ack' | 'ackedAt'>>;
  /** Messages the bot posted into `user`'s DM. */
  dmsTo(user: string): JsonObject[];
  /** The notifications posted to `channel`, in order (chat.postMessage). */
  postsTo(channel: string): SlackCall[];
  close(): Promise<void>;
};

export async function startSlackHarness(options: HarnessOptions = {}): Promise<SlackHarness> {
  const mode = options.mode ?? 'http';
  const shared = options.shareWith;
  const slack = shared?.slack ?? (await startFakeSlack({
    users: [...USERS, ...(options.users ?? [])],
    // Copies: the fake marks a channel joined in place.
    channels: CHANNELS.map((c) => ({ ...c })),
  }));
  const mail = shared?.mail ?? (await startFakeMailApi({ rateLimits: false, ...options.mail }));
  const dataDir = shared?.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'hb-slack-'));
  const logLines: string[] = [];
  const log = createLogger({ level: 'debug', destination: { write: (line: string) => { logLines.push(line); } } });

  const config = loadConfig({
    MAIL_API_URL: mail.url,
    MAIL_API_TIMEOUT_MS: '5000',
    STORE_URL: `sqlite://${path.join(dataDir, 'handle-bot.sqlite')}`,
    DATA_DIR: dataDir,
    COOLDOWN_SECONDS: '0',
    // These tests exercise the service's own limits on key requests: the bot's per-person one is off.
    KEY_REQUEST_INTERVAL_SECONDS: '0',
    KEY_REQUESTS_PER_DAY: '0',
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: slack.url,
    ...(mode === 'socket' ? { SLACK_APP_TOKEN: APP_TOKEN } : { SLACK_SIGNING_SECRET: SIGNING_SECRET }),
    LOG_LEVEL: 'debug',
    ...options.env,
  });
  const runtime = await createRuntime(config, { log });
  const front = await startSlack(runtime.frontDoor, { port: 0, host: '127.0.0.1', retries: 0, ...options.slack });
  const endpoint = mode === 'http' ? `http://127.0.0.1:${String(front.port)}/slack/events` : '';

  const identity = (userId: string) => slackIdentity(TEAM, userId);

  async function deliver(
    kind: 'slash_commands' | 'interactive' | 'events_api', payload: JsonObject, form: URLSearchParams | JsonObject, envelopeId?: string, retryAttempt?: number,
  ): Promise<Pick<Sent, 'http' | 'ack' | 'ackedAt'>> {
    if (mode === 'http') {
      const retry = retryAttempt ? { headers: { 'x-slack-retry-num': String(retryAttempt), 'x-slack-retry-reason': 'http_timeout' } } : {};
      const http = await signedPost(endpoint, SIGNING_SECRET, form, retry);
      return { http, ackedAt: Date.now() };
    }
    const id = slack.sendEnvelope(kind, payload, { ...(envelopeId ? { envelopeId } : {}), ...(retryAttempt ? { retryAttempt, retryReason: 'timeout' } : {}) });
    const ack = await slack.waitForAck(id);
    return { ack, ackedAt: ack.at };
  }

  let closed = false;
  const harness: SlackHarness = {
    slack, mail, runtime, front, mode, endpoint, dataDir, logLines, identity,

    async linkKey(userId, key, email = OWNER_EMAIL) {
      const value = key ?? mail.newKey(email);
      if (key) mail.addKey(key, email);
      await runtime.store.setKey(identity(userId), value as ApiKey, { verifiedAt: Date.now(), verifyResult: 'ok' });
      return value;
    },

    async command(text, opts = {}) {
      const responseUrl = opts.responseUrl ?? slack.newResponseUrl();
      const triggerId = opts.triggerId ?? newTriggerId();
      const input = { user_id: opts.user ?? 'UALICE', channel_id: opts.channel ?? GENERAL, text, response_url: responseUrl, trigger_id: triggerId };
      const sent = await deliver('slash_commands', slashCommandPayload(input), slashCommandForm(input), opts.envelopeId, opts.retryAttempt);
      return { responseUrl, triggerId, ...sent };
    },

    async replies(responseUrl, count = 1) {
      await slack.waitFor(() => slack.responsesTo(responseUrl).length >= count);
      return slack.responsesTo(responseUrl);
    },

    async press(button, opts = {}) {
      const responseUrl = slack.newResponseUrl();
      const payload = blockActionsPayload({
        user_id: opts.user ?? 'UALICE',
        channel_id: opts.channel ?? GENERAL,
        action_id: button.action_id,
        value: button.value,
        response_url: responseUrl,
        ...(opts.actionTs ? { action: { action_ts: opts.actionTs } } : {}),
      });
      payload.container.is_ephemeral = opts.ephemeral ?? true;
      const sent = await deliver('interactive', payload, interactiveForm(payload), opts.envelopeId);
      return { responseUrl, triggerId: payload.trigger_id, ...sent };
    },

    latestView() {
      const calls = slack.calls.filter((c) => (c.method === 'views.open' || c.method === 'views.update') && c.response.ok);
      const last = calls.at(-1);
      return last ? { ...last.body.view, id: last.response.view.id } : undefined;
    },

    async submitKey(value, opts = {}) {
      const view = harness.latestView();
      if (!view) throw new Error('no modal is open');
      const input = (view.blocks as JsonObject[]).find((b) => b.type === 'input');
      if (!input) throw new Error('the latest modal has no input');
      const payload = viewSubmissionPayload({
        user_id: opts.user ?? 'UALICE',
        callback_id: view.callback_id,
        private_metadata: view.private_metadata,
        view_id: view.id,
        values: { [input.block_id]: { [input.element.action_id]: value } },
        ...(opts.triggerId ? { trigger_id: opts.triggerId } : {}),
      });
      const sent = await deliver('interactive', payload, interactiveForm(payload), opts.envelopeId);
      return { ...(sent.http ? { http: sent.http } : {}), ...(sent.ack ? { ack: sent.ack } : {}), view };
    },

    async submitLatest(value, opts = {}) {
      const view = harness.latestView();
      if (!view) throw new Error('no modal is open');
      const input = (view.blocks as JsonObject[]).find((b) => b.type === 'input');
      if (!input) throw new Error('the latest modal has no input');
      const element = input.element as JsonObject;
      const typed = element.type === 'plain_text_input' ? value : { type: element.type, value };
      const payload = viewSubmissionPayload({
        user_id: opts.user ?? 'UALICE',
        callback_id: view.callback_id,
        private_metadata: view.private_metadata,
        view_id: view.id,
        values: { [input.block_id]: { [element.action_id]: typed } },
      });
      const sent = await deliver('interactive', payload, interactiveForm(payload), opts.envelopeId);
      return { ...(sent.http ? { http: sent.http } : {}), ...(sent.ack ? { ack: sent.ack } : {}), view };
    },

    async event(event, opts = {}) {
      const { retryNum, ...callbackOptions } = opts;
      const body = eventCallback(event, callbackOptions);
      const sent = await deliver('events_api', body, body, undefined, retryNum);
      return { body, ...(sent.http ? { http: sent.http } : {}), ...(sent.ack ? { ack: sent.ack } : {}) };
    },

    async runStep(inputs, opts = {}) {
      const event = functionExecutedEvent({ callback_id: opts.callbackId ?? 'claim_handle', inputs, ...(opts.botAccessToken ? { bot_access_token: opts.botAccessToken } : {}) });
      const sent = await harness.event(event);
      return { executionId: String(event.function_execution_id), ...(sent.http ? { http: sent.http } : {}), ...(sent.ack ? { ack: sent.ack } : {}) };
    },

    async stepEnd(executionId) {
      const call = await slack.waitFor((t): t is SlackCall =>
        t.kind === 'call' && (t.method === 'functions.completeSuccess' || t.method === 'functions.completeError') && t.body.function_execution_id === executionId);
      return call;
    },

    async openHome(user = 'UALICE') {
      const before = slack.callsTo('views.publish').length;
      await harness.event({ type: 'app_home_opened', user, channel: `D${user.slice(1)}`, tab: 'home', event_ts: String(Date.now() / 1000) });
      const call = await slack.waitForCall('views.publish', (c) => c.body.user_id === user && slack.callsTo('views.publish').indexOf(c) >= before);
      return call.body.view;
    },

    latestHome(user = 'UALICE') {
      return slack.callsTo('views.publish').filter((c) => c.body.user_id === user).at(-1)?.body.view;
    },

    async pressInHome(button, opts = {}) {
      const user = opts.user ?? 'UALICE';
      const home = harness.latestHome(user);
      const payload = blockActionsPayload({
        user_id: user,
        action_id: button.action_id,
        value: button.value,
        view: { id: 'VHOME', type: 'home', callback_id: '', blocks: home?.blocks ?? [], private_metadata: '', state: { values: {} } },
      });
      const sent = await deliver('interactive', payload, interactiveForm(payload));
      return { triggerId: payload.trigger_id, ...sent };
    },

    dmsTo(user) {
      const dm = `D${user.replace(/^[UW]/, '')}`;
      return slack.callsTo('chat.postMessage').filter((c) => c.response.ok && c.response.channel === dm).map((c) => c.body);
    },

    postsTo(channel) {
      return slack.callsTo('chat.postMessage').filter((c) => c.body.channel === channel);
    },

    async close() {
      if (closed) return;
      closed = true;
      await front.stop();
      if (!shared) await slack.close();
      await runtime.close();
      if (!shared) {
        await mail.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
  return harness;
}

// ---------------------------------------------------------------------------------------------
// Reading what Bolt sent
// ---------------------------------------------------------------------------------------------

/** The visible text of Block Kit blocks: rich text flattened (mentions as @U…, channels as #C…), one line per section. */
export function blocksText(blocks: JsonObject[] | undefined): string {
  const lines: string[] = [];
  for (const block of blocks ?? []) {
    if (block.type === 'rich_text') {
      for (const section of block.elements as JsonObject[]) lines.push((section.elements as JsonObject[]).map(elementText).join(''));
    } else if (block.type === 'context') {
      lines.push((block.elements as JsonObject[]).map((e) => e.text).join(' '));
    } else if (block.type === 'section') {
      lines.push(block.text?.text ?? '');
    } else if (block.type === 'actions') {
      lines.push((block.elements as JsonObject[]).map((e) => `[${String(e.text.text)}]`).join(' '));
    }
  }
  return lines.join('\n');
}

function elementText(element: JsonObject): string {
  switch (element.type) {
    case 'text':
      return element.text;
    case 'user':
      return `@${String(element.user_id)}`;
    case 'channel':
      return `#${String(element.channel_id)}`;
    case 'date':
      return element.fallback ?? String(element.timestamp);
    case 'link':
      return element.text ?? element.url;
    default:
      return `<${String(element.type)}>`;
  }
}

/** Every button in a message or view. */
export function buttonsOf(message: JsonObject): JsonObject[] {
  return ((message.blocks ?? []) as JsonObject[]).filter((b) => b.type === 'actions').flatMap((b) => b.elements as JsonObject[]);
}

/** Every rich_text `text` element (to check styles), flattened. */
export function textElements(blocks: JsonObject[] | undefined): JsonObject[] {
  return (blocks ?? [])
    .filter((b) => b.type === 'rich_text')
    .flatMap((b) => (b.elements as JsonObject[]).flatMap((s) => s.elements as JsonObject[]))
    .filter((e) => e.type === 'text');
}
