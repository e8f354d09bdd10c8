/** Replies about claiming, deleting and listing handles. */
import type { Identity } from '../../../domain/identity.js';
import type { HistoryEntry } from '../../../store/types.js';
import type { Reply, Text } from '../../types.js';
import { claimAction } from './actions.js';
import { channelReply, cmd, listOf, privateReply, seconds } from './common.js';

function addresses(handle: string, domains: string[]): Text {
  return listOf(domains, (d) => [{ code: `${handle}@${d}` }]);
}

/** The channel announcement: never the owner's e-mail. */
export function claimedAnnouncement(who: Identity, handle: string, domains: string[]): Reply {
  return channelReply('success', ['🎉 ', { mention: who }, ' claimed ', { code: handle }],
    domains.length > 0 ? [['Mail to ', ...addresses(handle, domains), ' now reaches them.']] : []);
}

/** The private detail for the person who claimed. */
export function claimedDetail(handle: string, goto: string, domains: string[]): Reply {
  return privateReply('success', ['You claimed ', { code: handle }], {
    body: [
      domains.length > 0
        ? ['Mail to ', ...addresses(handle, domains), ' is forwarded to ', { code: goto }, '.']
        : ['Mail to ', { code: `${handle}@…` }, ' on every domain of the service is forwarded to ', { code: goto }, '.'],
      ['The handle is yours for good; see your handles with ', cmd('list'), '.'],
    ],
  });
}

export function takenReply(handle: string, alternatives: string[], maybeOurs: boolean): Reply {
  const body: Text[] = [
    ['A handle can be claimed only once, ever: deleting one keeps it reserved, so nobody (its owner included) can claim it again.'],
  ];
  if (maybeOurs) {
    body.push(['Your own earlier attempt to claim it was never confirmed (the service did not answer in time, or the bot stopped before it did), so it is probably yours: mail to it would already reach you.']);
  }
  if (alternatives.length > 0) body.push(['Some free-looking alternatives: pick one below (you will be asked to confirm).']);
  return privateReply('user_error', [{ code: handle }, ' is already taken'], {
    body,
    actions: alternatives.map(claimAction),
  });
}

export function alreadyYoursReply(handle: string): Reply {
  return privateReply('info', ['You already own ', { code: handle }], {
    body: [['You claimed it earlier with this key, so mail to it already reaches you. See all yours with ', cmd('list'), '.']],
  });
}

export function deletedStaysReservedReply(handle: string): Reply {
  return privateReply('user_error', ['You deleted ', { code: handle }, ' earlier'], {
    body: [['A deleted handle stays reserved forever, so it can’t be claimed again — not even by you. Pick a new name with ', cmd('create <name>'), '.']],
  });
}

export function createOutcomeUnknownReply(handle: string, requestId: string): Reply {
  return privateReply('service_error', ['The mail service did not confirm your claim of ', { code: handle }], {
    body: [
      ['It did not answer in time, so the handle may or may not be yours now. The bot did not retry, because a claim can’t be safely repeated.'],
      [cmd('list'), ' shows it as unconfirmed. If you try again and it says the handle is taken, it is most likely yours already.'],
    ],
    requestId,
  });
}

/** More creates and deletes are waiting their turn than one person may queue: this one was not run. */
export function busyReply(retryAfterSeconds: number, cooldownSeconds: number): Reply {
  return privateReply('user_error', ['You have several commands waiting already'], {
    body: [[
      `Creates and deletes run one every ${seconds(cooldownSeconds)} per person, and yours are queued up, so this one was not run. `,
      `Try it again in ${seconds(retryAfterSeconds)}.`,
    ]],
  });
}

/** `known`: this person's history shows the handle; when it does not, it may have been claimed elsewhere. */
export function confirmDeleteReply(handle: string, known: boolean): Reply {
  const notSeen: Text[] = known ? [] : [[
    'The bot has no record of you claiming it: if you claimed it elsewhere with your key, it is deleted all the same; if it is not yours, the mail service will refuse.',
  ]];
  return privateReply('info', ['Delete ', { code: handle }, '?'], {
    body: [...notSeen, ['Mail to it will stop being forwarded. A deleted handle stays reserved forever: nobody, you included, can claim it again.']],
    actions: [
      {
        verb: 'delete',
        args: { name: handle, confirmed: 'yes' },
        label: `Delete ${handle}`,
        style: 'danger',
        confirm: ['Delete ', { code: handle }, ' for good? This cannot be undone.'],
      },
    ],
  });
}

export function deletedReply(handle: string): Reply {
  return privateReply('success', ['Deleted ', { code: handle }], {
    body: [['Mail to it is no longer forwarded. The handle stays reserved: it can’t be claimed again.']],
  });
}

/** The person's history says it was deleted already: answered at once, without asking the service. */
export function alreadyDeletedReply(handle: string): Reply {
  return privateReply('info', ['You already deleted ', { code: handle }], {
    body: [['There is nothing left to do: mail to it is no longer forwarded. It stays reserved, so nobody (you included) can claim it again. See yours with ', cmd('list'), '.']],
  });
}

export function deleteNotFoundReply(handle: string, requestId: string): Reply {
  return privateReply('user_error', ['There is no handle ', { code: handle }, ' to delete'], {
    body: [['The mail service has no active handle by that name. Check the spelling, or see yours with ', cmd('list'), '.']],
    requestId,
  });
}

export function deleteForbiddenReply(handle: string, requestId: string): Reply {
  return privateReply('user_error', [{ code: handle }, ' is not yours to delete'], {
    body: [['It belongs to someone else’s API key, so the mail service refused. You can delete only handles claimed with your own key.']],
    requestId,
  });
}

const STATUS_WORDS: Record<HistoryEntry['status'], string> = {
  claimed: 'claimed',
  deleted: 'deleted',
  unconfirmed: 'unconfirmed: the service did not answer in time, it may be yours',
  pending: 'may be yours — the bot stopped before the service answered; check with the service',
};

export function listReply(entries: HistoryEntry[]): Reply {
  if (entries.length === 0) {
    return privateReply('info', ['You have no handles yet'], {
      body: [['Claim one with ', cmd('create <name>'), '. Handles you claim through this bot are listed here.']],
    });
  }
  return privateReply('info', ['Your handles'], {
    body: [
      ...entries.map((e): Text => ['• ', { code: e.handle }, ` — ${STATUS_WORDS[e.status]}, `, { time: Math.floor(e.at / 1000) }]),
      ['Only handles claimed through this bot are listed.'],
    ],
  });
}

export function domainsReply(domains: string[], stale: boolean): Reply {
  return privateReply('info', [`The mail service manages ${domains.length} domain${domains.length === 1 ? '' : 's'}`], {
    body: [
      listOf(domains, (d) => [{ code: d }]),
      ['A handle you claim receives mail on every one of them.'],
      ...(stale ? [['(The service did not answer just now; this is the list it gave a little earlier.)']] : []),
    ],
  });
}
