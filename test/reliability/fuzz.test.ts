/**
 * Property-based fuzzing (fast-check, fixed seed) through the real Bolt HTTP receiver, every
 * request signed as Slack signs it:
 * - command text: `/handle <anything>` — verbs people type, followed by arbitrary Unicode;
 * - modal values: every form's input with arbitrary text;
 * - raw payloads: arbitrary JSON as `payload=` (interactive), as a JSON body (events), and
 *   arbitrary slash-command form fields.
 * Properties: every request is answered with an HTTP status below 500; nothing escapes to the
 * process (no unhandled rejection or exception); no reply is the internal-error apology; and the
 * bot still answers an ordinary command at the end. FUZZ_RUNS sets the runs per property (CI: 60).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedPost, slashCommandForm, viewSubmissionPayload, type JsonObject } from '../fakes/slack.js';
import { blocksText, GENERAL, SIGNING_SECRET, startSlackHarness, type SlackHarness } from '../slack/harness.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const SEED = Number(process.env.FUZZ_SEED ?? 18);
/** A long run (FUZZ_RUNS=1000) needs longer than the CI one. */
const TIMEOUT_MS = Math.max(60_000, RUNS * 600);
const APOLOGY = 'something went wrong inside the bot';

const counts = { inputs: 0, crashes: 0, internalErrors: 0, http5xx: 0 };
const escaped: unknown[] = [];
const onEscape = (error: unknown) => { counts.crashes += 1; escaped.push(error); };

let h: SlackHarness;
beforeAll(async () => {
  process.on('unhandledRejection', onEscape);
  process.on('uncaughtException', onEscape);
  h = await startSlackHarness();
  await h.linkKey('UALICE');
});
afterAll(async () => {
  process.off('unhandledRejection', onEscape);
  process.off('uncaughtException', onEscape);
  counts.internalErrors = JSON.stringify(h.slack.traffic).split(APOLOGY).length - 1;
  console.log(`[fuzz] ${JSON.stringify({ seed: SEED, runsPerProperty: RUNS, ...counts })}`);
  await h.close();
});

const VERBS = ['', 'create ', 'delete ', 'list ', 'domains ', 'key set ', 'key status ', 'key remove ', 'key request ', 'help ', 'admin announce ', 'admin notify ', 'admin onboarding on ', 'admin language ', 'forget '];
const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ maxLength: 80 }), fc.constantFrom('`*x*`', '\u202Eevil', 'a\u0000b', '<!channel>', '&amp;', 'a'.repeat(300), 'f'.repeat(64)));
const params = { seed: SEED, numRuns: RUNS, endOnFailure: true } as const;

async function post(body: string | URLSearchParams | JsonObject, contentType?: string): Promise<void> {
  counts.inputs += 1;
  const sent = await signedPost(h.endpoint, SIGNING_SECRET, body, contentType ? { contentType } : {});
  if (sent.status >= 500) counts.http5xx += 1;
  expect(sent.status).toBeLessThan(500);
  await h.front.whenIdle();
}

describe('fuzzing through the signed HTTP receiver', () => {
  it('command text: every /handle line is acked and answered, never with the apology', async () => {
    await fc.assert(fc.asyncProperty(fc.constantFrom(...VERBS), text, async (verb, rest) => {
      const line = `${verb}${rest}`.replace(/^key set .*/s, 'key set'); // a typed key opens a form instead; covered by the modal property
      await post(slashCommandForm({ user_id: 'UALICE', channel_id: GENERAL, text: line, response_url: h.slack.newResponseUrl() }));
    }), params);
  }, TIMEOUT_MS);

  it('modal values: every form input with arbitrary text is checked, acked, answered', async () => {
    const forms = [
      { callback: 'hb_claim', block: 'handle_0', action: 'handle' },
      { callback: 'hb_key_set', block: 'api_key_0', action: 'api_key' },
      { callback: 'hb_key_request', block: 'email_0', action: 'email' },
    ];
    await fc.assert(fc.asyncProperty(fc.constantFrom(...forms), text, fc.option(fc.string({ maxLength: 40 })), async (form, value, metadata) => {
      await post(viewSubmissionPayload({
        user_id: 'UALICE', callback_id: form.callback, private_metadata: metadata ?? '', values: { [form.block]: { [form.action]: value } },
      }));
    }), params);
  }, TIMEOUT_MS);

  // Bolt holds a request no listener acknowledges for 3 s before its 404, so raw payloads go in concurrent batches.
  it('raw payloads: arbitrary JSON as an interactive payload, an event body, or slash-command fields', async () => {
    const json = fc.jsonValue({ maxDepth: 3 });
    const shaped = fc.record({
      type: fc.constantFrom('block_actions', 'view_submission', 'view_closed', 'shortcut', 'block_suggestion', 'event_callback', 'url_verification', 'x'),
      team: fc.option(json), user: fc.option(json), view: fc.option(json), actions: fc.option(json), event: fc.option(json), channel: fc.option(json),
    }, { requiredKeys: ['type'] });
    const one = fc.tuple(fc.oneof(json, shaped), fc.constantFrom('payload', 'json', 'form'));
    await fc.assert(fc.asyncProperty(fc.array(one, { minLength: 1, maxLength: 30 }), async (batch) => {
      await Promise.all(batch.map(async ([value, as]) => {
        if (as === 'payload') await post(new URLSearchParams({ payload: JSON.stringify(value) }));
        else if (as === 'json') await post(JSON.stringify(value), 'application/json');
        else {
          const fields = typeof value === 'object' && value !== null && !Array.isArray(value) ? value : { text: value };
          await post(new URLSearchParams(Object.entries(fields).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)])));
        }
      }));
    }), { ...params, numRuns: Math.max(3, Math.ceil(RUNS / 15)) });
  }, TIMEOUT_MS);

  it('what the fuzzing found: a signed body whose event, actions or channel Bolt cannot read is refused 400 before Bolt (it answered 500)', async () => {
    for (const body of [
      new URLSearchParams({ payload: JSON.stringify({ type: 'block_actions', actions: null, user: { id: 'UALICE' } }) }),
      new URLSearchParams({ payload: JSON.stringify({ type: 'block_suggestion', channel: null }) }),
      JSON.stringify({ type: 'event_callback', event: null }),
      JSON.stringify({ type: 'event_callback', event: 'x' }),
    ]) {
      const sent = await signedPost(h.endpoint, SIGNING_SECRET, body, typeof body === 'string' ? { contentType: 'application/json' } : {});
      expect(sent.status).toBe(400);
    }
  });

  it('afterwards: nothing escaped, no apology was sent, and an ordinary command is answered', async () => {
    const sent = await h.command('help', { user: 'UALICE' });
    expect(sent.http?.status).toBe(200);
    expect(blocksText((await h.replies(sent.responseUrl))[0]!.body.blocks)).toContain('/handle create');
    expect(escaped).toEqual([]);
    expect(JSON.stringify(h.slack.traffic)).not.toContain(APOLOGY);
  });
});
