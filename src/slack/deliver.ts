/**
 * Delivering replies through a response_url (Bolt's `respond`): works in DMs and in private
 * channels the bot is not in. Private replies are ephemeral, channel replies in_channel, in
 * the order the engine gave them (the announcement, then the private detail). A response_url
 * that fails (expired, 404, 500) is logged and never thrown: there is nobody left to tell.
 */
import type { Responder } from './response-url.js';
import type { Reply } from '../core/types.js';
import type { Logger } from '../ops/logger.js';
import { renderSlackReply } from './render.js';

export type DeliverOptions = {
  /** Replace the ephemeral message the pressed button sat in with the first private reply. */
  replaceOriginal?: boolean;
};

export async function deliverReplies(respond: Responder | undefined, replies: Reply[], log: Logger, options: DeliverOptions = {}): Promise<void> {
  if (!respond) {
    if (replies.length > 0) log.warn({ replies: replies.length }, 'no response_url to answer on; replies dropped');
    return;
  }
  let replaceLeft = options.replaceOriginal === true;
  for (const reply of replies) {
    const replace = replaceLeft && reply.visibility === 'private';
    if (replace) replaceLeft = false;
    const message = {
      ...renderSlackReply(reply),
      response_type: reply.visibility === 'channel' ? ('in_channel' as const) : ('ephemeral' as const),
      replace_original: replace,
    };
    try {
      const response: unknown = await respond(message);
      // Bolt's own respond hands back a fetch Response: consume it so the connection is freed.
      if (response instanceof Response) await response.arrayBuffer().catch(() => undefined);
    } catch (error) {
      log.warn({ err: error, visibility: reply.visibility }, 'could not deliver a reply through response_url');
    }
  }
}
