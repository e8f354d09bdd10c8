/**
 * Every command, in the order help lists them. The front doors, the help text, the Slack
 * manifest and the Discord registration all read this list. Adding a command is one file here,
 * one line in this list, its words in the catalogue (src/core/messages; a form's words in
 * forms.ts), and the regenerated commands/slack-manifest.json: see CONTRIBUTING.md.
 */
import type { Command } from '../src/core/types.js';
import { adminAnnounce, adminKeyEvents, adminLanguage, adminNotify, adminNotifyOff, adminOnboarding } from './admin.js';
import create from './create.js';
import deleteHandle from './delete.js';
import domains from './domains.js';
import forget from './forget.js';
import { helpCommand } from './help.js';
import { keyRemove, keyRequest, keySet, keyStatus } from './key.js';
import list from './list.js';

export const commands: Command[] = [
  create,
  deleteHandle,
  list,
  domains,
  keySet,
  keyStatus,
  keyRemove,
  keyRequest,
  forget,
  helpCommand(() => commands),
  adminNotify,
  adminNotifyOff,
  adminAnnounce,
  adminOnboarding,
  adminKeyEvents,
  adminLanguage,
];
