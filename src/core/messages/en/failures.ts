/**
 * Failures any mail-service call or store access can meet, explained: what happened, why,
 * and what to do next. No raw service codes or HTTP statuses reach the user; the request id
 * is shown where the service's operators might need it.
 */
import type { ApiKeyProblem } from '../../../domain/api-key.js';
import type {
  Banned, RateLimited, ServiceError, ServiceUnavailable, Timeout, UnexpectedResponse, Unreachable,
} from '../../../mail-api/outcomes.js';
import type { Reply, Text } from '../../types.js';
import { linkKeyAction } from './actions.js';
import { explainFailureWith } from '../shared.js';
import { cmd, privateReply, seconds } from './common.js';

export type ServiceFault = ServiceError | ServiceUnavailable | Timeout | Unreachable | UnexpectedResponse;

/** What a command was doing when the service failed: each completes "…while <doing>". */
export const activities = {
  claiming: (handle: string): Text => ['claiming ', { code: handle }],
  deleting: (handle: string): Text => ['deleting ', { code: handle }],
  fetchingDomains: (): Text => ['fetching its domains'],
  checkingKey: (): Text => ['checking your key'],
  requestingKey: (): Text => ['asking for your key'],
};

/** `doing` completes "…while <doing>": one of `activities`. */
export const explainFailure = explainFailureWith({ keyRejectedReply, bannedReply, rateLimitedReply, serviceFaultReply });

export function keyRejectedReply(requestId?: string): Reply {
  return privateReply('user_error', ['The mail service refused your API key'], {
    body: [
      ['It may have expired or been revoked, or it was never valid: the service does not say which. Nothing was changed.'],
      ['Link a new key with ', cmd('key set'), '. No key yet? Ask for one with ', cmd('key request <your e-mail>'), '.'],
    ],
    actions: [linkKeyAction],
    ...(requestId ? { requestId } : {}),
  });
}

export function bannedReply(outcome: Banned): Reply {
  // A reason that only repeats the error code says nothing.
  const reason: Text[] = outcome.ban.reason && outcome.ban.reason.toLowerCase() !== 'banned' ? [['Reason given by the service: ', outcome.ban.reason]] : [];
  switch (outcome.ban.kind) {
    case 'name':
      return privateReply('user_error', ['This handle is reserved by the mail service'], {
        body: [['The service keeps some names for itself, so nobody can claim this one. Try a different name.'], ...reason],
        requestId: outcome.requestId,
      });
    case 'email':
    case 'domain':
      return privateReply('user_error', ['The mail service has blocked your account'], {
        body: [
          [`The service has banned your account’s ${outcome.ban.kind === 'email' ? 'e-mail address' : 'e-mail domain'}, so every handle request with this key will be refused.`],
          ...reason,
          ['Only the mail service’s operators can lift this: contact them and quote the request id below. The bot’s admins have been told.'],
        ],
        requestId: outcome.requestId,
      });
    default:
      return privateReply('service_error', ['The mail service is refusing requests from this bot'], {
        body: [
          ['The service has blocked the network address the bot calls from, so nobody can claim handles through it right now.'],
          ...reason,
          ['This is for the bot’s operator to sort out with the service; the bot’s admins have been told.'],
        ],
        requestId: outcome.requestId,
      });
  }
}

export function rateLimitedReply(outcome: RateLimited): Reply {
  const who: Text =
    outcome.scope === 'key'
      ? ['Your API key made too many requests in the last minute, so the mail service paused it briefly.']
      : outcome.scope === 'origin'
        ? ['The mail service received too many requests from this bot in the last minute and paused it briefly: this is not your fault.']
        : ['The mail service asked the bot to slow down.'];
  return privateReply('user_error', ['Too many requests: please wait a moment'], {
    body: [who, ['Nothing was changed. Try again in ', seconds(outcome.retryAfterSeconds), '.']],
    requestId: outcome.requestId,
  });
}

export function serviceFaultReply(outcome: ServiceFault, doing: Text): Reply {
  const base = { requestId: outcome.requestId };
  switch (outcome.kind) {
    case 'unreachable':
      return privateReply('service_error', ['The bot could not reach the mail service'], {
        body: [
          ['No connection could be made while ', ...doing, ', so nothing was changed. The service may be down, or the bot’s network is.'],
          ['Try again in a few minutes.'],
        ],
        ...base,
      });
    case 'timeout':
      return privateReply('service_error', ['The mail service did not answer in time'], {
        body: [
          outcome.outcomeUnknown
            ? ['The request may or may not have been carried out while ', ...doing, '.']
            : ['Nothing was changed while ', ...doing, '.'],
          ['Try again in a minute.'],
        ],
        ...base,
      });
    case 'service_unavailable':
      return privateReply('service_error', ['The mail service is busy right now'], {
        body: [['It could not handle the request while ', ...doing, ', so nothing was changed. Try again in a few seconds.']],
        ...base,
      });
    case 'service_error':
      return privateReply('service_error', ['The mail service had an internal problem'], {
        body: [
          ['It failed while ', ...doing, ', so nothing was changed.'],
          ['Try again in a minute. If it keeps happening, tell the mail service’s operators and quote the request id below.'],
        ],
        ...base,
      });
    case 'unexpected_response':
      return privateReply('service_error', ['The mail service gave an answer the bot does not understand'], {
        body: [
          ['It happened while ', ...doing, '. The bot’s operator can find the details in the logs under the request id below.'],
          ['Try again in a minute.'],
        ],
        ...base,
      });
  }
}

export function storageUnavailableReply(requestId: string): Reply {
  return privateReply('service_error', ['The bot cannot reach its own storage right now'], {
    body: [
      ['Your key and settings are safe, but the bot can’t read or save them at the moment, so nothing was done.'],
      ['Try again in a minute. If it keeps happening, tell the bot’s operator and quote the request id below.'],
    ],
    requestId,
  });
}

export function internalErrorReply(requestId: string): Reply {
  return privateReply('service_error', ['Sorry, something went wrong inside the bot'], {
    body: [['Your request was not completed. Try again; if it keeps happening, tell the bot’s operator and quote the request id below.']],
    requestId,
  });
}

export function noKeyLinkedReply(): Reply {
  return privateReply('user_error', ['You have not linked an API key yet'], {
    body: [
      ['The bot claims handles with your own mail-service API key, so it needs yours first.'],
      ['Link it with ', cmd('key set'), ' (it is stored encrypted and never shown again). No key yet? Ask for one with ', cmd('key request <your e-mail>'), '.'],
    ],
    actions: [linkKeyAction],
  });
}

export function unreadableKeyReply(reason: 'tampered' | 'unknown_secret'): Reply {
  return privateReply('user_error', ['Your linked API key cannot be opened'], {
    body: [
      reason === 'unknown_secret'
        ? ['The bot’s encryption secret has changed since you linked it, so the stored key can’t be decrypted.']
        : ['The stored record is damaged, so the bot refuses to use it.'],
      ['Link your key again with ', cmd('key set'), '.'],
    ],
    actions: [linkKeyAction],
  });
}

export function describeKeyProblem(problem: ApiKeyProblem): Text {
  switch (problem.code) {
    case 'empty':
      return ['nothing was entered'];
    case 'inner_space':
      return ['it contains a space or line break in the middle'];
    case 'wrong_length':
      return [`it has ${problem.length} characters, and an API key has exactly 64`];
    case 'not_hex':
      return ['it contains characters other than 0–9 and a–f'];
  }
}

export function malformedKeyReply(problem: ApiKeyProblem): Reply {
  return privateReply('user_error', ['That does not look like an API key'], {
    body: [
      ['It wasn’t saved because ', ...describeKeyProblem(problem), '. Keys from the mail service are 64 characters of 0–9 and a–f.'],
      ['Copy the whole key from the e-mail the service sent you and try ', cmd('key set'), ' again.'],
    ],
    actions: [linkKeyAction],
  });
}

/** A command that arrives while the process is shutting down (a new one is usually starting). */
export function restartingReply(): Reply {
  return privateReply('service_error', ['The bot is restarting'], {
    body: [['Nothing was done. Please run your command again in a few seconds.']],
  });
}
