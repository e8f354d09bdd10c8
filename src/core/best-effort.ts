import type { Ctx } from './types.js';

/**
 * Bookkeeping after the mail service already acted (history, owner e-mail, verification
 * time): a store failure here must not turn a successful claim or delete into an error for
 * the user, so it is logged and the reply goes on.
 */
export async function recordBestEffort(ctx: Ctx, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    ctx.log.warn({ err: error }, 'could not record the result in the store');
  }
}
