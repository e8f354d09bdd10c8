/**
 * Every command, in the order help lists them. Adapters, the help text, the Slack manifest
 * and the Discord registration all read this list: adding a command is one file plus one line.
 */
import type { Command } from '../src/core/types.js';
import { adminAnnounce, adminKeyEvents, adminNotify, adminNotifyOff, adminOnboarding } from './admin.js';
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
];
