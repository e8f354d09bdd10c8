/**
 * The catalogue explains every outcome: what happened, why, what to do next. No reply ever
 * carries a raw service code, an HTTP status or an API key, and a channel reply never
 * carries the owner's e-mail.
 */
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { catalogue } from '../../src/core/messages/index.js';
import { plainText } from '../../src/core/text.js';
import type { Reply } from '../../src/core/types.js';
import type { CommonFailure, HandleProblem } from '../../src/mail-api/outcomes.js';

const m = catalogue('en');
const requestId = 'hb-test123';
const RAW_CODES = [
  'alias_taken', 'invalid_params', 'invalid_or_expired_api_key', 'invalid_api_key_format', 'missing_api_key', 'internal_error',
  'temporarily_unavailable', 'handle_not_found', 'rate_limited', 'too_many_requests', 'managed_domain_not_allowed', 'Unauthorized',
  'Conflict', '(409)', ' 409', ' 401', ' 403', ' 429', ' 500', ' 503', 'undefined', '[object Object]', 'NaN',
];

function text(reply: Reply): string {
  return [reply.title, ...(reply.body ?? []), ...(reply.fields ?? []).map((f) => f.value)].map((t) => plainText(t)).join('\n')
    + (reply.fields ?? []).map((f) => f.label).join(' ');
}

function expectClean(reply: Reply) {
  const all = text(reply);
  for (const code of RAW_CODES) expect(all, `${code} in: ${all}`).not.toContain(code);
  expect(all).not.toMatch(/[0-9a-f]{64}/);
  expect(reply.title.length).toBeGreaterThan(0);
}

const failures: CommonFailure[] = [
  { kind: 'key_missing', requestId },
  { kind: 'key_malformed', requestId },
  { kind: 'key_rejected', requestId },
  { kind: 'banned', requestId, ban: { kind: 'name', value: 'admin' } },
  { kind: 'banned', requestId, ban: { kind: 'email', value: 'x@y.z', reason: 'spam' } },
  { kind: 'banned', requestId, ban: { kind: 'domain', value: 'y.z' } },
  { kind: 'banned', requestId, ban: { kind: 'ip', value: '1.2.3.4' } },
  { kind: 'banned', requestId, ban: { kind: 'unknown' } },
  { kind: 'rate_limited', requestId, retryAfterSeconds: 42, scope: 'key' },
  { kind: 'rate_limited', requestId, retryAfterSeconds: 1, scope: 'origin' },
  { kind: 'rate_limited', requestId, retryAfterSeconds: 600, scope: 'unknown' },
  { kind: 'service_error', requestId, status: 500 },
  { kind: 'service_unavailable', requestId },
  { kind: 'timeout', requestId, outcomeUnknown: true },
  { kind: 'timeout', requestId, outcomeUnknown: false },
  { kind: 'unreachable', requestId },
  { kind: 'unexpected_response', requestId, status: 418 },
];

describe('the message catalogue', () => {
  it.each(failures.map((f) => [`${f.kind}${'ban' in f ? `/${f.ban.kind}` : ''}${'scope' in f ? `/${f.scope}` : ''}`, f] as const))(
    'explains %s privately, with a next step and no raw code',
    (_label, failure) => {
      const reply = m.explainFailure(failure, ['claiming ', { code: 'alice' }]);
      expect(reply.visibility).toBe('private');
      expectClean(reply);
      expect(text(reply)).toMatch(/try|link|contact|operator|ask|different|wait|quote/i);
    },
  );

  it('tells a key problem from a ban from an outage', () => {
    expect(text(m.explainFailure(failures[2]!, []))).toMatch(/refused your API key/);
    expect(text(m.explainFailure(failures[3]!, []))).toMatch(/reserved by the mail service/);
    expect(text(m.explainFailure(failures[4]!, []))).toMatch(/blocked your account.*every handle request/s);
    expect(text(m.explainFailure(failures[8]!, []))).toMatch(/Try again in 42 seconds/);
    expect(text(m.explainFailure(failures[10]!, []))).toMatch(/Try again in 10 minutes/);
    expect(m.explainFailure(failures[11]!, []).requestId).toBe(requestId);
  });

  const problems: HandleProblem[] = [
    { code: 'empty' }, { code: 'too_long', length: 70 }, { code: 'space' }, { code: 'at_sign' }, { code: 'non_ascii', char: 'é' },
    { code: 'leading_dot' }, { code: 'trailing_dot' }, { code: 'double_dot' }, { code: 'forbidden_char', char: '(' },
  ];
  it.each(problems.map((p) => [p.code, p] as const))('explains the invalid handle reason %s with the rule', (_code, problem) => {
    const reply = m.invalidHandleReply({ handle: 'x y', problem, suggestion: 'x.y' });
    expectClean(reply);
    expect(text(reply)).toContain('1–64 characters');
    expect(reply.actions?.[0]).toMatchObject({ verb: 'create', args: { name: 'x.y' } });
    expect(reply.actions?.[0]?.confirm).toBeDefined();
  });

  it('announces a claim in the channel without the owner e-mail, and gives it privately', () => {
    const announcement = m.claimedAnnouncement('slack:T1:U1', 'alice', ['example.test', 'example2.test']);
    const detail = m.claimedDetail('alice', 'owner@private.example', ['example.test', 'example2.test']);
    expect(announcement.visibility).toBe('channel');
    expect(text(announcement)).toContain('alice@example.test');
    expect(text(announcement)).toContain('alice@example2.test');
    expect(text(announcement)).not.toContain('owner@private.example');
    expect(detail.visibility).toBe('private');
    expect(text(detail)).toContain('owner@private.example');
  });

  it('offers confirmed alternatives for a taken handle and says it is reserved forever', () => {
    const reply = m.takenReply('alice', ['alice.smith', 'asmith'], true);
    expectClean(reply);
    expect(text(reply)).toMatch(/only once, ever/);
    expect(text(reply)).toMatch(/probably yours/);
    expect(reply.actions?.map((a) => a.args.name)).toEqual(['alice.smith', 'asmith']);
    expect(reply.actions?.every((a) => a.confirm)).toBe(true);
  });

  it('keeps every other reply clean too', () => {
    const settings = { announce: true, onboarding: false, keyEvents: false };
    const record = { fingerprint: '…ab12', linkedAt: 1_700_000_000_000, verifiedAt: 1_700_000_100_000 };
    const replies: Reply[] = [
      m.storageUnavailableReply(requestId), m.internalErrorReply(requestId), m.noKeyLinkedReply(), m.unreadableKeyReply('tampered'),
      m.unreadableKeyReply('unknown_secret'), m.malformedKeyReply({ code: 'wrong_length', length: 12 }), m.malformedKeyReply({ code: 'not_hex' }),
      m.createOutcomeUnknownReply('alice', requestId), m.busyReply(12, 5), m.confirmDeleteReply('alice', true), m.confirmDeleteReply('alice', false), m.alreadyDeletedReply('alice'), m.deletedReply('alice'),
      m.deleteNotFoundReply('alice', requestId), m.deleteForbiddenReply('alice', requestId), m.listReply([]),
      m.listReply([{ handle: 'a', status: 'claimed', at: 1 }, { handle: 'b', status: 'unconfirmed', at: 2 }]),
      m.domainsReply(['example.test'], true), m.keyLinkedReply(record, false), m.keyStatusReply(record, 'ok'),
      m.keyStatusReply(record, 'rejected'), m.keyStatusReply(record, 'unknown'), m.keyRemovedReply(true), m.keyRemovedReply(false),
      m.credentialsSentReply('me@example.com', 30), m.credentialsCooldownReply('me@example.com'), m.managedDomainReply('example.test'),
      m.invalidEmailReply(), m.credentialsRateLimitedReply(1800, requestId), m.keyNotAcceptedReply(requestId), m.forgetConfirmReply(),
      m.forgottenReply(), m.notAdminReply(), m.needsScopeReply(), m.notifyChannelSetReply('C1', settings), m.notifyOffReply(settings),
      m.announceReply(false, settings), m.onboardingReply(true, { ...settings, welcomeText: 'Hi!' }), m.keyEventsReply(true, settings),
      m.helpReply(commands, true), m.unknownCommandReply('frob', commands, false),
      ...commands.map((c) => m.helpForCommand(c)),
    ];
    for (const reply of replies) expectClean(reply);
    expect(text(m.helpReply(commands, false))).not.toContain('admin notify');
    expect(text(m.helpReply(commands, true))).toContain('admin notify');
  });
});
