/** Small builders the English catalogue's modules share (not messages themselves). */
import { replyBuilders } from '../shared.js';

export { cmd } from '../shared.js';

export const { privateReply, channelReply, listOf, listWithMore } = replyBuilders('en', { and: ' and ', more: (hidden) => ` and ${hidden} more` });

export function seconds(n: number): string {
  if (n < 60) return n === 1 ? '1 second' : `${n} seconds`;
  const minutes = Math.ceil(n / 60);
  return minutes === 1 ? 'a minute' : `${minutes} minutes`;
}
