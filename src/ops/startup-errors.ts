/**
 * Start-up failures in words an operator can act on: which service could not be reached at
 * which configured URL, or which credential it refused — instead of "fetch failed". Errors are
 * recognised by shape (Slack's web-api codes, Node's network error codes), so this module needs
 * neither Bolt nor discord.js.
 */
import type { Config } from './config.js';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UND_ERR_CONNECT_TIMEOUT']);

type Loose = { code?: unknown; original?: unknown; cause?: unknown; data?: unknown; port?: unknown; message?: unknown };

/** The first network error code in an error's chain (original, cause), if any. */
function networkCode(error: unknown): { code: string; port?: number } | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current !== null && typeof current === 'object'; depth += 1) {
    const { code, port, original, cause } = current as Loose;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return typeof port === 'number' ? { code, port } : { code };
    current = original ?? cause;
  }
  return undefined;
}

function portOf(url: string): number {
  const parsed = new URL(url);
  return parsed.port ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
}

/** The innermost message of an error's chain ("bad port", "getaddrinfo ENOTFOUND …"), for errors without a known code. */
function innermostMessage(error: unknown): string {
  let message = String(error);
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current !== null && typeof current === 'object'; depth += 1) {
    const loose = current as Loose;
    if (typeof loose.message === 'string') message = loose.message;
    current = loose.original ?? loose.cause;
  }
  return message;
}

export function explainStartupError(error: unknown, config: Config): string {
  const { code, data, message } = (error ?? {}) as Loose;
  const text = typeof message === 'string' ? message : String(error);
  if (code === 'slack_webapi_request_error') {
    const network = networkCode(error);
    return `could not reach Slack at SLACK_API_URL (${config.SLACK_API_URL}): ${network?.code ?? innermostMessage(error)}. Check the URL and this host's network access to it.`;
  }
  if (code === 'slack_webapi_platform_error') {
    const slackError = (data as { error?: unknown } | undefined)?.error;
    if (slackError === 'invalid_auth' || slackError === 'not_authed' || slackError === 'account_inactive' || slackError === 'token_revoked') {
      return `Slack refused SLACK_BOT_TOKEN (${slackError}): copy the Bot User OAuth Token (xoxb-…) again from OAuth & Permissions.`;
    }
    return `Slack answered ${String(slackError)} during start-up (${text}). \`handle-bot doctor\` checks the token, scopes and Socket Mode token.`;
  }
  const network = networkCode(error);
  if (network && config.DISCORD_TOKEN && (network.port === undefined || network.port === portOf(config.DISCORD_API_URL))) {
    return `could not reach Discord at DISCORD_API_URL (${config.DISCORD_API_URL}): ${network.code}. Check the URL and this host's network access to it.`;
  }
  return text;
}
