/**
 * Sample arguments for every message of the catalogue, shared by the locale tests: each
 * function id gets the calls that reach its branches, with distinctive values (a handle, a
 * request id, an address, numbers) so that a test can check that every locale shows them.
 * The type below requires an entry for every function id: a message added to the English
 * catalogue without samples does not type-check, and the error names it.
 */
import { commands } from '../../commands/index.js';
import { addToBurst, startBurst, type Catalogue, type ScopedEvent } from '../../src/core/messages/index.js';
import type { NotifierEvent } from '../../src/core/notifier.js';
import type { Reply, Settings } from '../../src/core/types.js';
import type { CommonFailure, HandleProblem } from '../../src/mail-api/outcomes.js';
import type { HistoryEntry, KeyRecordView } from '../../src/store/types.js';

type FunctionId = { [K in keyof Catalogue]: Catalogue[K] extends (...args: never[]) => unknown ? K : never }[keyof Catalogue];
type Samples = { [K in FunctionId]: Parameters<Catalogue[K]>[] };

export const HANDLE = 'qz7handle';
export const REQUEST_ID = 'hb-PH123';
export const EMAIL = 'ph@sample.example';
export const CHANNEL = 'CPH42';
export const WHO = 'slack:T1:UPH9';
export const AT = 1_700_000_000;

const settings: Settings = { announce: true, onboarding: true, keyEvents: true, notifyChannel: CHANNEL, welcomeText: 'Hi PH', language: 'pt-BR' };
const quiet: Settings = { announce: false, onboarding: false, keyEvents: false };
const record: KeyRecordView = { fingerprint: '…ph12', linkedAt: AT * 1000, verifiedAt: (AT + 100) * 1000, verifyResult: 'rejected', ownerEmail: EMAIL };
const fresh: KeyRecordView = { fingerprint: '…ph34', linkedAt: AT * 1000 };
const history: HistoryEntry[] = [
  { handle: HANDLE, status: 'claimed', at: AT * 1000 },
  { handle: 'qz7gone', status: 'deleted', at: AT * 1000 },
  { handle: 'qz7maybe', status: 'unconfirmed', at: AT * 1000 },
];

export const FAILURES: CommonFailure[] = [
  { kind: 'key_missing', requestId: REQUEST_ID },
  { kind: 'key_rejected', requestId: REQUEST_ID },
  { kind: 'banned', requestId: REQUEST_ID, ban: { kind: 'name', value: 'admin', reason: 'kept for staff' } },
  { kind: 'banned', requestId: REQUEST_ID, ban: { kind: 'email', value: 'x@y.z', reason: 'spam' } },
  { kind: 'banned', requestId: REQUEST_ID, ban: { kind: 'domain', value: 'y.z' } },
  { kind: 'banned', requestId: REQUEST_ID, ban: { kind: 'ip', value: '1.2.3.4' } },
  { kind: 'rate_limited', requestId: REQUEST_ID, retryAfterSeconds: 37, scope: 'key' },
  { kind: 'rate_limited', requestId: REQUEST_ID, retryAfterSeconds: 1, scope: 'origin' },
  { kind: 'rate_limited', requestId: REQUEST_ID, retryAfterSeconds: 600, scope: 'unknown' },
  { kind: 'service_error', requestId: REQUEST_ID, status: 500 },
  { kind: 'service_unavailable', requestId: REQUEST_ID },
  { kind: 'timeout', requestId: REQUEST_ID, outcomeUnknown: true },
  { kind: 'timeout', requestId: REQUEST_ID, outcomeUnknown: false },
  { kind: 'unreachable', requestId: REQUEST_ID },
  { kind: 'unexpected_response', requestId: REQUEST_ID, status: 418 },
];
const faults = FAILURES.filter((f): f is Extract<CommonFailure, { kind: 'service_error' | 'service_unavailable' | 'timeout' | 'unreachable' | 'unexpected_response' }> =>
  ['service_error', 'service_unavailable', 'timeout', 'unreachable', 'unexpected_response'].includes(f.kind));

const PROBLEMS: HandleProblem[] = [
  { code: 'empty' }, { code: 'too_long', length: 4242 }, { code: 'space' }, { code: 'at_sign' }, { code: 'non_ascii', char: 'ø' },
  { code: 'leading_dot' }, { code: 'trailing_dot' }, { code: 'double_dot' }, { code: 'forbidden_char', char: '(' },
];

const EVENTS: NotifierEvent[] = [
  { type: 'handle_claimed', scope: 'slack:T1', who: WHO, handle: HANDLE },
  { type: 'handle_deleted', scope: 'slack:T1', who: WHO, handle: HANDLE },
  { type: 'owner_banned', scope: 'slack:T1', who: WHO, banKind: 'email' },
  { type: 'owner_banned', scope: 'slack:T1', who: WHO, banKind: 'unknown' },
  { type: 'service_down', failures: 4242 },
  { type: 'service_recovered' },
  { type: 'key_linked', scope: 'slack:T1', who: WHO },
  { type: 'key_removed', scope: 'slack:T1', who: WHO },
  { type: 'welcome_undeliverable', scope: 'slack:T1', who: WHO },
];

function burst(type: 'handle_claimed' | 'key_linked', size: number) {
  const event = (i: number): ScopedEvent => (type === 'handle_claimed'
    ? { type, scope: 'slack:T1', who: `slack:T1:U${i}`, handle: `h${i}` }
    : { type, scope: 'slack:T1', who: `slack:T1:U${i}` });
  const b = startBurst(event(0));
  const seen = new Set<string>();
  for (let i = 0; i < size; i++) addToBurst(b, event(i), seen);
  return b;
}

const reply: Reply = { visibility: 'private', tone: 'user_error', title: ['Title PH'], body: [['First line PH']], requestId: REQUEST_ID };
const command = (verb: string) => commands.find((c) => c.verb.join(' ') === verb)!;

export const SAMPLES: Samples = {
  claimAction: [[HANDLE]],
  announceReply: [[true, settings], [false, quiet]],
  invalidLanguageReply: [[]],
  invalidOnOffReply: [['admin announce']],
  keyEventsReply: [[true, settings], [true, quiet], [false, quiet]],
  languageReply: [['auto', quiet], ['pt-BR', settings], ['en', settings]],
  needsScopeReply: [[]],
  notAdminReply: [[]],
  notifyChannelRefusedReply: [[CHANNEL, ['Fix PH']]],
  notifyChannelSetReply: [[CHANNEL, settings]],
  notifyOffReply: [[quiet]],
  onboardingReply: [[true, settings, ['Warning PH']], [false, quiet]],
  settingsSummary: [[settings], [quiet]],
  demoWelcomeReply: [[{ apiKey: 'ph'.repeat(32), domains: ['ph.example', 'ph2.example'], takenHandle: HANDLE }]],
  discordCancelledReply: [[]],
  discordChannelNotTextFix: [[CHANNEL]],
  discordChannelPermissionsFix: [[CHANNEL, ['SendMessages']], [CHANNEL, []]],
  discordConfirmReply: [[{ label: 'Label PH' }, ['Question PH']], [{ label: 'Label PH' }, undefined]],
  discordMembersIntentWarning: [[]],
  discordStaleButtonReply: [[]],
  discordUserInstallNote: [[]],
  requestIdFooter: [[REQUEST_ID]],
  bannedReply: FAILURES.flatMap((f) => (f.kind === 'banned' ? [[f]] : [])),
  describeKeyProblem: [[{ code: 'empty' }], [{ code: 'inner_space' }], [{ code: 'wrong_length', length: 4242 }], [{ code: 'not_hex' }]],
  explainFailure: FAILURES.map((f) => [f, ['doing PH']]),
  internalErrorReply: [[REQUEST_ID]],
  keyRejectedReply: [[REQUEST_ID], []],
  malformedKeyReply: [[{ code: 'wrong_length', length: 4242 }], [{ code: 'not_hex' }]],
  noKeyLinkedReply: [[]],
  rateLimitedReply: FAILURES.flatMap((f) => (f.kind === 'rate_limited' ? [[f]] : [])),
  restartingReply: [[]],
  recoveredNotice: [['/handle create PH']],
  recoveryAbandonedReply: [['/handle create PH']],
  serviceFaultReply: faults.map((f) => [f, ['doing PH']]),
  storageUnavailableReply: [[REQUEST_ID]],
  unreadableKeyReply: [['tampered'], ['unknown_secret']],
  invalidEmailInlineError: [[]],
  invalidHandleInlineError: PROBLEMS.map((p) => [p, 'qz7suggest']),
  malformedKeyInlineError: [[{ code: 'wrong_length', length: 4242 }]],
  restartingText: [[]],
  describeHandleProblem: PROBLEMS.map((p) => [p]),
  keyAsHandleReply: [[]],
  keyRequestLimitReply: [[420, { intervalSeconds: 600, perDay: 3 }], [undefined, { intervalSeconds: 600, perDay: 3 }]],
  keyAsHandleInlineError: [[]],
  invalidHandleReply: [
    ...PROBLEMS.map((problem) => [{ handle: HANDLE, problem, suggestion: 'qz7suggest' }] as [Parameters<Catalogue['invalidHandleReply']>[0]]),
    [{ handle: HANDLE, reason: 'Reason PH', hint: 'Hint PH' }],
  ],
  alreadyDeletedReply: [[HANDLE]],
  alreadyYoursReply: [[HANDLE]],
  busyReply: [[37, 5], [1, 1]],
  claimedAnnouncement: [[WHO, HANDLE, ['d1.example', 'd2.example']], [WHO, HANDLE, []]],
  claimedDetail: [[HANDLE, EMAIL, ['d1.example', 'd2.example']], [HANDLE, EMAIL, []]],
  confirmDeleteReply: [[HANDLE, true], [HANDLE, false]],
  createOutcomeUnknownReply: [[HANDLE, REQUEST_ID]],
  deleteForbiddenReply: [[HANDLE, REQUEST_ID]],
  deleteNotFoundReply: [[HANDLE, REQUEST_ID]],
  deletedReply: [[HANDLE]],
  deletedStaysReservedReply: [[HANDLE]],
  domainsReply: [[['d1.example', 'd2.example'], true], [['d1.example'], false]],
  listReply: [[history], [[]]],
  takenReply: [[HANDLE, ['qz7alt1', 'qz7alt2'], true], [HANDLE, [], false]],
  argumentTooLongReply: [[command('admin onboarding'), 'welcome', 4242]],
  helpForCommand: commands.map((c) => [c]),
  helpReply: [[commands, true], [commands, false]],
  missingArgumentReply: [[command('create'), 'name'], [command('admin notify'), 'channel'], [command('help'), 'command']],
  unknownCommandReply: [['frob PH', commands, false]],
  credentialsCooldownReply: [[EMAIL, new Date((AT + 45) * 1000).toISOString()], [EMAIL]],
  credentialsRateLimitedReply: [[1800, REQUEST_ID], [30, REQUEST_ID]],
  credentialsSentReply: [[EMAIL, 4242], [EMAIL]],
  forgetConfirmReply: [[]],
  forgottenReply: [[]],
  invalidEmailReply: [['Hint PH'], []],
  keyLinkedReply: [[record, true], [fresh, false]],
  keyNotAcceptedReply: [[REQUEST_ID]],
  keyRemovedReply: [[true], [false]],
  keySetPromptReply: [[]],
  keyStatusReply: [[record, 'ok'], [record, 'rejected'], [record, 'unknown'], [fresh, 'unknown']],
  managedDomainReply: [['d1.example'], []],
  burstReply: [[burst('handle_claimed', 14), 60], [burst('key_linked', 2), 30], [burst('handle_claimed', 3), 1], [burst('key_linked', 2), 300]],
  notificationReply: EVENTS.map((e) => [e]),
  welcomeReply: [['Dana Scully', 'Welcome text PH'], ['', undefined]],
  channelArchivedFix: [[]],
  channelCheckFailedFix: [[]],
  channelJoinFailedFix: [[WHO], [undefined]],
  channelNotVisibleFix: [[WHO], [undefined]],
  channelPrivateFix: [[WHO], [undefined]],
  channelScopeMissingFix: [['groups:read', WHO], [undefined, undefined]],
  installPage: [[]],
  installedPage: [['Workspace PH']],
  installFailedPage: [['cancelled'], ['expired'], ['failed']],
  homeHandleLine: history.map((e) => [e]),
  homeKeyLinked: [[record], [fresh]],
  homeKeyNone: [[]],
  homeKeyUnreadable: [['tampered'], ['unknown_secret']],
  homeNoHandles: [[]],
  slackKeyTypedNotice: [[]],
  stepFailedError: [[reply]],
  stepInternalError: [[REQUEST_ID]],
  stepNeedsKeyReply: [[]],
  stepNoInteractorError: [[]],
  stepNoKeyError: [[true], [false]],
  stepTimeoutError: [[HANDLE]],
};

/** Arguments for the functions inside constants (a form's "working…", the console's words), by path. */
export const NESTED_SAMPLES: Readonly<Record<string, unknown[]>> = {
  'forms.key_set.working': [{}],
  'forms.key_request.working': [{}],
  'forms.claim.working': [{ name: HANDLE }],
  'consoleText.greeting': ['console:ph-user'],
  'consoleText.isYes': ['yes'],
  'consoleText.action': [7, 'Label PH', true],
  'consoleText.requestId': [REQUEST_ID],
  'activities.claiming': [HANDLE],
  'activities.deleting': [HANDLE],
  'activities.fetchingDomains': [],
  'activities.checkingKey': [],
  'activities.requestingKey': [],
};

/** Every message of a catalogue called with every sample: `[id, output]`, output being whatever it returns. */
export function everyOutput(messages: Catalogue): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [id, calls] of Object.entries(SAMPLES) as [FunctionId, unknown[][]][]) {
    const fn = messages[id] as (...args: unknown[]) => unknown;
    calls.forEach((args, i) => out.push([`${id}#${i}`, fn(...args)]));
  }
  return out;
}

/** Every Reply among the outputs (the ones a front door renders). */
export function everyReply(messages: Catalogue): [string, Reply][] {
  return everyOutput(messages).filter((entry): entry is [string, Reply] => {
    const value = entry[1];
    return typeof value === 'object' && value !== null && 'visibility' in value && 'title' in value;
  });
}
