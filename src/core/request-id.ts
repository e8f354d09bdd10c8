import { randomBytes } from 'node:crypto';

/**
 * One id per chat invocation. It is sent to the mail service as X-Request-Id (the service
 * echoes it and logs it), written in our logs, and shown to the user on service errors, so
 * a support conversation can tie all three together. Short enough to read out loud.
 */
export function newRequestId(): string {
  return `hb-${randomBytes(6).toString('base64url')}`;
}
