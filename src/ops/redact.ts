/**
 * Secret scrubbing for anything that leaves the process as text (logs, error messages).
 * Field-name redaction (pino `redact`) catches secrets in known places; this catches
 * them anywhere else: inside a URL, an error message, a stack trace, a header dump.
 */

const SECRET_PATTERNS: RegExp[] = [
  // Mail-service API keys are 64 hex characters; a mistyped paste may be a little shorter or
  // longer, so any long run of hex goes (a 40-character commit hash is left alone).
  /[0-9a-f]{48,}/gi,
  // Slack tokens (bot, user, app-level, refresh, config).
  /\bxox[abposer]-[A-Za-z0-9-]{8,}/g,
  /\bxapp-[A-Za-z0-9-]{8,}/g,
  // Discord bot tokens: three base64url parts separated by dots.
  /\b[A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,40}\b/g,
];

export const REDACTED = '[Redacted]';

/** Field names whose values are always secret, wherever they appear. */
export const SECRET_FIELD_NAMES = [
  'apiKey', 'api_key', 'key', 'x-api-key', 'X-API-Key', 'token', 'botToken', 'appToken', 'signingSecret',
  'secret', 'password', 'authorization', 'Authorization', 'x-bot-auth-token', 'X-Bot-Auth-Token', 'cookie',
  'HANDLE_BOT_SECRET', 'HANDLE_BOT_SECRET_PREVIOUS', 'SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET',
  'DISCORD_TOKEN', 'MAIL_API_BOT_TOKEN', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET', 'clientSecret', 'client_secret', 'stateSecret',
  'refreshToken', 'refresh_token', 'access_token',
];
const secretFieldSet = new Set(SECRET_FIELD_NAMES.map((n) => n.toLowerCase()));

/** Extra literal secrets known at run time (configured tokens, the sealing secret), scrubbed too. */
const knownSecrets = new Set<string>();
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 8) knownSecrets.add(value);
}

export function scrubSecrets(text: string): string {
  let out = text;
  for (const secret of knownSecrets) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  for (const pattern of SECRET_PATTERNS) out = out.replace(pattern, REDACTED);
  return out;
}

/** Deep copy of a log object with secret fields replaced and every string scrubbed. */
export function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubSecrets(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, depth + 1));
  if (value instanceof Error) return scrubValue(errorToObject(value), depth + 1);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = secretFieldSet.has(k.toLowerCase()) && v !== undefined ? REDACTED : scrubValue(v, depth + 1);
  }
  return out;
}

function errorToObject(error: Error): Record<string, unknown> {
  const out: Record<string, unknown> = { type: error.name, message: error.message, stack: error.stack };
  for (const [k, v] of Object.entries(error)) out[k] = v;
  if (error.cause !== undefined) out.cause = error.cause;
  return out;
}
