/**
 * The "Add to Slack" web pages, drawn from the catalogue's words (core/messages/<locale>/install.ts)
 * in the visitor's browser language (Accept-Language). Every word and URL is HTML-escaped.
 *
 * Bolt renders the install page from the authorize URL alone (`renderHtmlForInstallPath(url)`),
 * without the request: `withPageLocale` runs each installer request inside an AsyncLocalStorage
 * holding its language, which that renderer then reads.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { catalogue, localeFromTag, type InstallFailure, type InstallPageWords, type Locale } from '../core/messages/index.js';

const pageLocale = new AsyncLocalStorage<Locale | undefined>();

/** The first language of Accept-Language that has a catalogue. */
export function browserLocale(req: IncomingMessage): Locale | undefined {
  const header = req.headers['accept-language'];
  const tags = (typeof header === 'string' ? header : '').split(',').map((part) => part.split(';')[0]?.trim());
  for (const tag of tags) {
    const locale = localeFromTag(tag);
    if (locale) return locale;
  }
  return undefined;
}

/** Runs an HTTP listener with the request's language available to the install page renderer. */
export function withPageLocale(listener: RequestListener): RequestListener {
  return (req, res) => {
    pageLocale.run(browserLocale(req), () => { listener(req, res); });
  };
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function page(words: InstallPageWords, locale: Locale | undefined, href?: string): string {
  const button = words.button && href ? `<p><a class="button" href="${escapeHtml(href)}">${escapeHtml(words.button)}</a></p>` : '';
  return `<!doctype html>
<html lang="${escapeHtml(locale ?? 'en')}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(words.title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5}
.button{display:inline-block;padding:.6rem 1.2rem;border-radius:.4rem;background:#4a154b;color:#fff;text-decoration:none}</style>
</head><body><h1>${escapeHtml(words.heading)}</h1>
${words.lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n')}
${button}
</body></html>`;
}

/** The install page: Bolt's `renderHtmlForInstallPath`, with Slack's authorize URL behind the button. */
export function renderInstallPage(authorizeUrl: string): string {
  const locale = pageLocale.getStore();
  return page(catalogue(locale).installPage(), locale, authorizeUrl);
}

function send(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

/** Where Slack sends the installer back after a successful install: what to do next. */
export function sendInstalledPage(req: IncomingMessage, res: ServerResponse, workspace: string): void {
  const locale = browserLocale(req);
  send(res, 200, page(catalogue(locale).installedPage(workspace), locale));
}

/** A failed install: why, and a way back to the install page. */
export function sendInstallFailedPage(req: IncomingMessage, res: ServerResponse, reason: InstallFailure, installPath: string): void {
  const locale = browserLocale(req);
  send(res, reason === 'failed' ? 500 : 400, page(catalogue(locale).installFailedPage(reason), locale, installPath));
}
