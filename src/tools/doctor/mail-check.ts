/**
 * The doctor's check of the mail service: reachable, and `GET /api/domains` answers a list of
 * domains. A base URL that already ends in /api (every route adds /api itself) is named as such,
 * since it otherwise only shows as "an answer the bot does not understand" on every command.
 */
import type { Config } from '../../ops/config.js';
import { excerpt, httpCall, networkReason, ok, problem, type Check } from './check.js';

const NAME = 'Mail service';

/** The URL without a trailing /api, when it has one. */
export function withoutApiSuffix(base: string): string | undefined {
  const url = new URL(base);
  const trimmed = url.pathname.replace(/\/+$/, '');
  if (!/\/api$/i.test(trimmed)) return undefined;
  url.pathname = trimmed.slice(0, -'/api'.length) || '/';
  return url.toString().replace(/\/$/, '');
}

function domainsUrl(base: string): string {
  return `${base.replace(/\/+$/, '')}/api/domains`;
}

function isDomainList(json: unknown): json is string[] {
  return Array.isArray(json) && json.every((d) => typeof d === 'string');
}

export async function mailCheck(config: Pick<Config, 'MAIL_API_URL'>): Promise<Check> {
  const base = config.MAIL_API_URL;
  const suggestion = withoutApiSuffix(base);
  if (suggestion !== undefined) {
    const fixed = await httpCall(domainsUrl(suggestion));
    const works = fixed.kind === 'answer' && fixed.status === 200 && isDomainList(fixed.json);
    return problem(NAME, `MAIL_API_URL ends in /api (${base}), so every call would go to …/api/api/…`,
      `set MAIL_API_URL=${suggestion}${works ? ' (it answers GET /api/domains correctly there)' : ''}: the bot adds /api to every route itself`);
  }
  const target = domainsUrl(base);
  let result;
  try {
    result = await httpCall(target);
  } catch (error) {
    result = { kind: 'failed' as const, reason: networkReason(error) };
  }
  if (result.kind === 'failed') {
    return problem(NAME, `could not reach ${base} (${result.reason})`, 'check MAIL_API_URL, the network and any proxy between this host and the service');
  }
  if (result.status === 200 && isDomainList(result.json)) {
    const list = result.json.slice(0, 5).join(', ') + (result.json.length > 5 ? ', …' : '');
    return ok(NAME, `${base} answers GET /api/domains with ${result.json.length} domain(s): ${list}`);
  }
  const what = result.json === undefined ? `not JSON ("${excerpt(result.text)}")` : 'JSON that is not a list of domains';
  return problem(NAME, `${target} answered ${result.status} with ${what}`,
    'MAIL_API_URL must be the service\'s base URL (e.g. https://mail.haltman.io), without /api or any other path');
}
