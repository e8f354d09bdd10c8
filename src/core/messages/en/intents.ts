/**
 * A command the bot acknowledged and then lost its process while running (core/intents.ts):
 * another replica, or the bot restarted, answers it — and says so, because the person may have
 * waited, and a create may have reached the service before the stop.
 */
import type { Reply, Text } from '../../types.js';
import { privateReply } from './common.js';

/** The first line of a recovered answer. `command`: what the person typed, e.g. `/handle create alice`. */
export function recoveredNotice(command: string): Text {
  return ['The bot restarted while handling ', { code: command }, '; here is the answer:'];
}

/** A command that could not be finished after the bot restarted (too old to answer, or failing every time). */
export function recoveryAbandonedReply(command: string): Reply {
  return privateReply('service_error', ['The bot restarted while handling ', { code: command }, ' and could not finish it'], {
    body: [['It may have gone through before the restart: check with ', { code: '/handle list' }, ' or ', { code: '/handle key status' }, ', then run it again if it is still needed.']],
  });
}
