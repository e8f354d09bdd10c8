/**
 * A platform-neutral Reply → what a Discord message carries: one embed (a colour per tone,
 * title, body, fields, the request id in the footer), buttons for its actions, and
 * allowedMentions that can ping only the users the reply names, never @everyone or a role.
 * Pure: no I/O, no client. Discord's limits are respected here, so a long reply is cut, not
 * refused by the API.
 */
import {
  type APIActionRowComponent, type APIButtonComponentWithCustomId, type APIEmbed, type APIEmbedField,
  ButtonStyle, ComponentType,
} from 'discord.js';
import { catalogue, type Locale } from '../core/messages/index.js';
import type { Action, Reply, Text, Tone } from '../core/types.js';
import { actionButtonId, CANCEL_ID, confirmButtonId } from './custom-ids.js';
import { mentionedUserIds, renderText, renderWithin, truncatePlain } from './markdown.js';

/** https://discord.com/developers/docs/resources/message#embed-object-embed-limits and component limits. */
export const LIMITS = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  embedTotal: 6000,
  buttonsPerRow: 5,
  rows: 5,
  buttonLabel: 80,
} as const;

export const TONE_COLOURS: Record<Tone, number> = {
  success: 0x57f287,
  info: 0x5865f2,
  user_error: 0xfee75c,
  service_error: 0xed4245,
};

export type DiscordAllowedMentions = { parse: []; users: string[] };
export type DiscordMessage = {
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponentWithCustomId>[];
  allowedMentions: DiscordAllowedMentions;
};

const BLANK = '\u200b'; // Discord refuses empty field values

export function renderDiscordReply(reply: Reply): DiscordMessage {
  const buttons = (reply.actions ?? []).flatMap((action) => {
    const id = actionButtonId(action);
    return id ? [button(id, action.label, action.style)] : [];
  });
  return {
    embeds: [renderEmbed(reply)],
    components: rows(buttons),
    allowedMentions: allowedMentionsFor(reply),
  };
}

/** The confirmation step for an irreversible action: its question, then Confirm (labelled as the action) and Cancel, in the presser's locale. */
export function renderConfirmation(action: Action, confirm: Text | undefined, locale?: Locale): DiscordMessage {
  const id = confirmButtonId(action);
  const messages = catalogue(locale);
  const reply = messages.discordConfirmReply(action, confirm);
  return {
    embeds: [renderEmbed(reply)],
    components: rows([
      ...(id ? [button(id, action.label, action.style ?? 'primary')] : []),
      button(CANCEL_ID, messages.discordCancelLabel, undefined),
    ]),
    allowedMentions: allowedMentionsFor(reply),
  };
}

/** The ids of this reply's ask-first buttons and the question each asks (for the confirmation step). */
export function confirmationsOf(reply: Reply): { buttonId: string; confirm: Text }[] {
  return (reply.actions ?? []).flatMap((action) => {
    const buttonId = action.confirm ? actionButtonId(action) : undefined;
    return buttonId && action.confirm ? [{ buttonId, confirm: action.confirm }] : [];
  });
}

/** Mentions, channels and timestamps do not render in an embed title; only in its description. */
function needsDescription(text: Text): boolean {
  return text.some((segment) => typeof segment !== 'string' && ('mention' in segment || 'channel' in segment || 'time' in segment));
}

function renderEmbed(reply: Reply): APIEmbed {
  // Such a title becomes the description's first line, in bold.
  const titleInBody = needsDescription(reply.title);
  const title = titleInBody ? '' : renderText(reply.title, LIMITS.title);
  const footer = reply.requestId ? truncatePlain(catalogue(reply.locale).requestIdFooter(reply.requestId), LIMITS.footer) : undefined;
  const fields: APIEmbedField[] = (reply.fields ?? []).slice(0, LIMITS.fields).map((field) => {
    const value = renderText(field.value, LIMITS.fieldValue) || BLANK;
    return { name: renderText([field.label], LIMITS.fieldName) || BLANK, value, inline: value.length <= 40 };
  });
  const lead = titleInBody ? `**${renderText(reply.title, LIMITS.title - 4)}**` : '';
  // The whole embed must stay within 6000 characters: fields give way first, then the body.
  const fixed = title.length + lead.length + (footer?.length ?? 0);
  const size = (list: APIEmbedField[]) => list.reduce((n, f) => n + f.name.length + f.value.length, 0);
  while (fields.length > 0 && fixed + size(fields) > LIMITS.embedTotal - 200) fields.pop();
  const room = Math.min(LIMITS.description, LIMITS.embedTotal - fixed - size(fields) + lead.length);
  const description = renderParagraphs(reply.body ?? [], room, lead);

  return {
    color: TONE_COLOURS[reply.tone],
    ...(title ? { title } : {}),
    ...(description ? { description } : {}),
    ...(fields.length > 0 ? { fields } : {}),
    ...(footer ? { footer: { text: footer } } : {}),
  };
}

/** Body paragraphs, one per line, after an already rendered `lead` line. */
function renderParagraphs(paragraphs: Text[], limit: number, lead = ''): string {
  let out = lead;
  for (const paragraph of paragraphs) {
    const separator = out === '' ? '' : '\n';
    const room = limit - out.length - separator.length;
    if (room <= 1) break;
    const { rendered, cut } = renderWithin(paragraph, room);
    out += separator + rendered;
    if (cut) break;
  }
  return out;
}

function button(customId: string, label: string, style: Action['style']): APIButtonComponentWithCustomId {
  return {
    type: ComponentType.Button,
    custom_id: customId,
    label: truncatePlain(label, LIMITS.buttonLabel),
    style: style === 'primary' ? ButtonStyle.Primary : style === 'danger' ? ButtonStyle.Danger : ButtonStyle.Secondary,
  };
}

function rows(buttons: APIButtonComponentWithCustomId[]): APIActionRowComponent<APIButtonComponentWithCustomId>[] {
  const out: APIActionRowComponent<APIButtonComponentWithCustomId>[] = [];
  for (let i = 0; i < buttons.length && out.length < LIMITS.rows; i += LIMITS.buttonsPerRow) {
    out.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + LIMITS.buttonsPerRow) });
  }
  return out;
}

function allowedMentionsFor(reply: Reply): DiscordAllowedMentions {
  const texts: Text[] = [reply.title, ...(reply.body ?? []), ...(reply.fields ?? []).map((f) => f.value)];
  const users = [...new Set(texts.flatMap(mentionedUserIds))].slice(0, 100);
  return { parse: [], users };
}
