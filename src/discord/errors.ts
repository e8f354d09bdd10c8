/**
 * Errors from discord.js as log-safe objects. A DiscordAPIError carries the request URL, and
 * an interaction's URL contains its token (a credential for 15 minutes): the token is cut out.
 */
const TOKEN_IN_PATH = /(\/(?:webhooks\/\d+|interactions\/\d+))\/[^/?\s]+/g;

export function withoutInteractionTokens(text: string): string {
  return text.replace(TOKEN_IN_PATH, '$1/:token');
}

export function describeDiscordError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: withoutInteractionTokens(String(error)) };
  const fields = error as Error & { code?: unknown; status?: unknown; method?: unknown; url?: unknown };
  return {
    type: error.name,
    message: withoutInteractionTokens(error.message),
    ...(fields.code !== undefined ? { code: fields.code } : {}),
    ...(typeof fields.status === 'number' ? { status: fields.status } : {}),
    ...(typeof fields.method === 'string' ? { method: fields.method } : {}),
    ...(typeof fields.url === 'string' ? { route: withoutInteractionTokens(new URL(fields.url, 'http://x').pathname) } : {}),
    ...(error.stack ? { stack: withoutInteractionTokens(error.stack) } : {}),
  };
}
