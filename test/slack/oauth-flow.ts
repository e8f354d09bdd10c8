/**
 * Installing the app into a fake workspace the way a person does, through Bolt's real OAuth
 * flow: open `/slack/install` (the "Add to Slack" page sets the state cookie), follow its button
 * to the fake Slack's consent screen (which picks `team`), and bring the redirect back to
 * `/slack/oauth_redirect` with the cookie. Returns each page as the browser saw it.
 */
import type { FakeSlack } from '../fakes/slack.js';

export type InstallRun = { installPage: string; status: number; finalPage: string; authorizeUrl: string };

function unescapeHtml(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** `base`: where the installer pages are served (the HTTP server in HTTP mode, the installer port in Socket Mode). */
export async function installThroughOAuth(slack: FakeSlack, base: string, teamId: string, options: { language?: string; deny?: boolean; cookie?: boolean } = {}): Promise<InstallRun> {
  slack.oauth.redirectUrl = `${base}/slack/oauth_redirect`;
  const headers = { 'accept-language': options.language ?? 'en-US,en;q=0.8' };
  const install = await fetch(`${base}/slack/install`, { headers });
  const installPage = await install.text();
  const cookie = (install.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const href = /href="([^"]+)"/.exec(installPage)?.[1];
  if (install.status !== 200 || !href) throw new Error(`no "Add to Slack" button: ${String(install.status)} ${installPage}`);
  const authorizeUrl = unescapeHtml(href);
  const consent = new URL(authorizeUrl);
  consent.searchParams.set('team', teamId);
  if (options.deny) consent.searchParams.set('deny', '1');
  const back = await fetch(consent, { redirect: 'manual' });
  const location = back.headers.get('location');
  if (back.status !== 302 || !location) throw new Error(`the consent screen did not redirect: ${String(back.status)}`);
  const done = await fetch(location, { headers: { ...headers, ...(options.cookie === false ? {} : { cookie }) } });
  return { installPage, status: done.status, finalPage: await done.text(), authorizeUrl };
}
