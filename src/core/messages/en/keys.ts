/** Replies about the caller's API key and the service's key request. */
import type { KeyRecordView } from '../../../store/types.js';
import type { Reply, Text } from '../../types.js';
import { linkKeyAction } from './actions.js';
import { cmd, privateReply, seconds } from './common.js';

export function keyLinkedReply(record: KeyRecordView, replaced: boolean): Reply {
  return privateReply('success', [replaced ? 'Your new API key is linked' : 'Your API key is linked'], {
    body: [
      ['The mail service accepted the key ending in ', { code: record.fingerprint }, '. It is stored encrypted and will never be shown again.'],
      ['Claim a handle with ', cmd('create <name>'), '.'],
    ],
  });
}

export function keyStatusReply(record: KeyRecordView, live: 'ok' | 'rejected' | 'unknown'): Reply {
  const fields: { label: string; value: Text }[] = [
    { label: 'Key', value: [{ code: record.fingerprint }] },
    { label: 'Linked', value: [{ time: Math.floor(record.linkedAt / 1000) }] },
  ];
  const status: Text =
    live === 'ok'
      ? ['The mail service accepts it right now.']
      : live === 'rejected'
        ? ['The mail service refuses it now (expired, revoked or unknown). Link a new one with ', cmd('key set'), '.']
        : ['The bot could not check it with the mail service just now; it was last accepted ', ...(record.verifiedAt ? [{ time: Math.floor(record.verifiedAt / 1000) }] : ['when you linked it']), '.'];
  return privateReply(live === 'rejected' ? 'user_error' : 'info', ['Your API key is linked'], {
    fields,
    body: [status],
    ...(live === 'rejected' ? { actions: [linkKeyAction] } : {}),
  });
}

export function keyRemovedReply(wasLinked: boolean): Reply {
  return wasLinked
    ? privateReply('success', ['Your API key is removed'], {
        body: [['The bot no longer holds it. Your handles stay yours. Link a key again any time with ', cmd('key set'), '.']],
      })
    : privateReply('info', ['You had no API key linked'], { body: [['Nothing to remove.']] });
}

export function keySetPromptReply(): Reply {
  return privateReply('info', ['Link your API key'], {
    body: [['Use ', cmd('key set'), ': the bot asks for the key privately so it never shows up in a channel.']],
    actions: [linkKeyAction],
  });
}

export function credentialsSentReply(email: string, ttlMinutes?: number): Reply {
  return privateReply('success', ['Check your inbox'], {
    body: [
      ['The mail service sent a confirmation link to ', { code: email }, ttlMinutes ? ` (valid for ${ttlMinutes} minutes)` : '', '. Once you confirm, it e-mails you your new API key.'],
      ['Then link it here with ', cmd('key set'), '. Nothing arrived? Check your spam folder.'],
    ],
    actions: [linkKeyAction],
  });
}

export function credentialsCooldownReply(email: string, nextAllowedAt?: string): Reply {
  const next = nextAllowedAt ? Date.parse(nextAllowedAt) : NaN;
  return privateReply('info', ['A confirmation e-mail was sent moments ago'], {
    body: [
      ['The service already e-mailed ', { code: email }, ' a minute ago: check your inbox and spam folder.'],
      Number.isNaN(next) ? ['You can ask again in a minute.'] : ['You can ask again ', { time: Math.floor(next / 1000), relative: true }, '.'],
    ],
  });
}

/**
 * The person's own limit on key requests was reached. `retryAfterSeconds`: the short spacing
 * applies (ask again then); absent: the day's requests are used up.
 */
export function keyRequestLimitReply(retryAfterSeconds: number | undefined, limits: { intervalSeconds: number; perDay: number }): Reply {
  return privateReply('info', ['You asked for a key a moment ago'], {
    body: [
      ['The service e-mails keys from a quota everyone here shares, so each person can ask once every ', seconds(limits.intervalSeconds), ` and ${limits.perDay} times a day.`],
      retryAfterSeconds === undefined
        ? ['You have used today’s requests: check your inbox and spam folder for the e-mails already sent, or ask again tomorrow.']
        : ['Check your inbox and spam folder for the one already sent; you can ask again in ', seconds(retryAfterSeconds), '.'],
    ],
  });
}

export function managedDomainReply(domain?: string): Reply {
  return privateReply('user_error', ['Use your own e-mail address'], {
    body: [
      [
        ...(domain ? [{ code: domain }, ' is'] : ['That address is']),
        ' on one of the mail service’s own domains, which can’t receive its key e-mails. Ask with the address you normally use.',
      ],
    ],
  });
}

export function invalidEmailReply(hint?: string): Reply {
  return privateReply('user_error', ['That does not look like an e-mail address'], {
    body: [['The service needs a full address such as ', { code: 'you@example.com' }, '.', hint ? ` (${hint})` : ''], ['Try ', cmd('key request <your e-mail>'), ' again.']],
  });
}

export function credentialsRateLimitedReply(retryAfterSeconds: number, requestId: string): Reply {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return privateReply('user_error', ['Too many key requests for now'], {
    body: [
      ['The mail service allows only a few key requests per hour (3 per address, and a few more from this bot), to protect inboxes from spam.'],
      [`Please try again in about ${minutes} minute${minutes === 1 ? '' : 's'}. If you already received a confirmation e-mail, you can use it.`],
    ],
    requestId,
  });
}

export function keyNotAcceptedReply(requestId: string): Reply {
  return privateReply('user_error', ['The mail service does not accept this key'], {
    body: [
      ['It is expired, revoked or unknown (the service does not say which), so it was not saved.'],
      ['Check that you copied the newest key the service e-mailed you, or ask for a new one with ', cmd('key request <your e-mail>'), '.'],
    ],
    actions: [linkKeyAction],
    requestId,
  });
}

export function forgetConfirmReply(): Reply {
  return privateReply('info', ['Forget everything the bot holds about you?'], {
    body: [['This removes your linked API key and your handle history from the bot. Your handles themselves stay yours at the mail service.']],
    actions: [{ verb: 'forget', args: { confirmed: 'yes' }, label: 'Forget me', style: 'danger', confirm: ['Remove your key and history from the bot? This cannot be undone.'] }],
  });
}

export function forgottenReply(): Reply {
  return privateReply('success', ['Done: the bot has forgotten you'], {
    body: [['Your API key and handle history are removed. Your handles stay yours at the mail service. Come back any time with ', cmd('key set'), '.']],
  });
}
