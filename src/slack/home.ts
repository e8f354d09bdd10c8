/**
 * App Home: the person's own page with the bot. It shows their link status (the key's
 * fingerprint, never the key), their recent handles (unconfirmed ones marked), and buttons to
 * link, replace or remove the key, ask the service for a key, and claim a handle. It is
 * published when the Home tab opens and again after anything done from it, with the result
 * shown at the top (a press in App Home has no response_url to answer on). It is drawn in the
 * person's language (users.info, cached with their other details).
 */
import type { types, webApi } from '@slack/bolt';
import type { HomeKeyState, HomeState } from '../core/home.js';
import { catalogue, type Catalogue } from '../core/messages/index.js';
import type { EnginePort } from '../core/port.js';
import { plainText } from '../core/text.js';
import type { Action, Reply } from '../core/types.js';
import type { Logger } from '../ops/logger.js';
import { actorIdentity, lookUpActor, type SlackActor } from './invocation.js';
import { renderButton, renderReplyBlocks, richTextSection, SLACK_LIMITS, truncate } from './render.js';
import type { UserDirectory } from './user-directory.js';

function plain(text: string, max: number): types.PlainTextElement {
  return { type: 'plain_text', text: truncate(text, max), emoji: true };
}

function heading(text: string): types.RichTextBlock {
  return { type: 'rich_text', elements: [richTextSection([text], { bold: true })] };
}

function buttons(messages: Catalogue, blockId: string, actions: Action[], first: number): types.ActionsBlock {
  return { type: 'actions', block_id: blockId, elements: actions.map((action, i) => renderButton(action, first + i, messages.slackText)) };
}

function keyLines(messages: Catalogue, key: HomeKeyState) {
  switch (key.status) {
    case 'linked':
      return messages.homeKeyLinked(key.record);
    case 'unreadable':
      return messages.homeKeyUnreadable(key.reason);
    case 'none':
    case 'unknown':
      return messages.homeKeyNone();
  }
}

function keyActions(messages: Catalogue, key: HomeKeyState): Action[] {
  const { link, replace, remove, request } = messages.homeActions;
  return key.status === 'linked' ? [replace, remove, request] : [link, request];
}

/** The Home tab for one person, in their language. Pure. */
export function homeView(state: HomeState, messages: Catalogue = catalogue(undefined)): types.HomeView {
  const blocks: types.KnownBlock[] = [{ type: 'header', text: plain(messages.slackHomeText.title, 150) }];
  for (const reply of state.notice ?? []) blocks.push(...renderReplyBlocks(reply, { withoutActions: true }));
  if ((state.notice ?? []).length > 0) blocks.push({ type: 'divider' });

  blocks.push({ type: 'section', text: plain(messages.slackHomeText.intro, SLACK_LIMITS.sectionText) });
  blocks.push(heading(messages.slackHomeText.keyHeading));
  blocks.push({ type: 'rich_text', elements: keyLines(messages, state.key).map((line) => richTextSection(line, undefined, messages.slackText)) });
  const forKey = keyActions(messages, state.key);
  blocks.push(buttons(messages, 'hb_home_key', forKey, 0));

  blocks.push({ type: 'divider' }, heading(messages.slackHomeText.handlesHeading));
  const lines = state.history.length > 0 ? state.history.map(messages.homeHandleLine) : [messages.homeNoHandles()];
  blocks.push({ type: 'rich_text', elements: lines.map((line) => richTextSection(line, undefined, messages.slackText)) });
  blocks.push(buttons(messages, 'hb_home_claim', [messages.homeActions.claim], forKey.length));
  blocks.push({ type: 'context', elements: [plain(messages.slackHomeText.footer, SLACK_LIMITS.contextText)] });
  // Slack's limit for a Home tab is 100 blocks.
  return { type: 'home', blocks: blocks.slice(0, 100) };
}

/** Publishes the Home tab for `userId`, with `notice` (the answer to what was just done) on top. */
export async function publishHome(
  deps: { engine: Pick<EnginePort, 'home'>; log: Logger; users: UserDirectory },
  client: Pick<webApi.WebClient, 'views' | 'users'>,
  actor: SlackActor,
  requestId: string,
  notice: Reply[] = [],
): Promise<void> {
  const { locale } = await lookUpActor(deps.users, client, actor);
  const state = await deps.engine.home(actorIdentity(actor), requestId, locale);
  const view = homeView({ ...state, notice: [...notice, ...(state.notice ?? [])] }, catalogue(locale));
  try {
    await client.views.publish({ user_id: actor.userId, view });
  } catch (error) {
    deps.log.warn({ err: error, requestId, notice: notice.map((r) => plainText(r.title)) }, 'views.publish failed');
  }
}
