/** The demo (`handle-bot demo`): a welcome that offers the demo key, and the mark on every reply. */
import type { Reply } from '../../types.js';
import { cmd, privateReply } from './common.js';

/** Put before every reply's title in the demo, so no one mistakes it for the real service. */
export const demoMark = '(demo) ';

export function demoWelcomeReply(options: { apiKey: string; domains: string[]; takenHandle: string }): Reply {
  return privateReply('info', ['This is a demo: the mail service is a stand-in running inside this process'], {
    body: [
      ['Nothing you do here reaches the real mail service, and everything is forgotten when you leave. Its domains: ', ...options.domains.flatMap((d, i) => [...(i > 0 ? [', '] : []), { code: d }]), '.'],
      ['1. Link the demo API key: type ', cmd('key set'), ' and paste ', { code: options.apiKey }, '.'],
      ['2. Claim a handle: ', cmd('create <name>'), '. ', { code: options.takenHandle }, ' is already taken, to see what that looks like.'],
      ['3. Then ', cmd('list'), ', ', cmd('delete <name>'), ', ', cmd('help'), ', or ', { code: 'quit' }, ' to leave.'],
    ],
  });
}
