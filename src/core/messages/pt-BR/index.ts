/**
 * The Brazilian Portuguese catalogue: the English one's ids and parameters (`satisfies
 * Catalogue` checks both), written for a chat user in Brazil — você, short, the same friendly
 * precision as the English. Technical tokens (`/handle …`, handle names, option names) stay as typed.
 */
import type { Catalogue } from '../locales.js';
import * as actions from './actions.js';
import * as admin from './admin.js';
import * as commandWords from './commands.js';
import * as consoleWords from './console.js';
import * as demo from './demo.js';
import * as discord from './discord.js';
import * as failures from './failures.js';
import * as forms from './forms.js';
import * as handleProblems from './handle-problems.js';
import * as handles from './handles.js';
import * as help from './help.js';
import * as install from './install.js';
import * as intents from './intents.js';
import * as keys from './keys.js';
import * as notifications from './notifications.js';
import * as onboarding from './onboarding.js';
import * as slack from './slack.js';

export const ptBR = {
  ...actions, ...admin, ...consoleWords, ...demo, ...discord, ...failures, ...forms, ...handleProblems, ...handles, ...help, ...install, ...keys,
  ...notifications, ...onboarding, ...slack, ...commandWords, ...intents,
} satisfies Catalogue;
