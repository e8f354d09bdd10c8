/**
 * The commands' words. English is written in each command's own definition (`commands/<verb>.ts`),
 * so this table is empty; another locale translates every command here (see shared.ts).
 */
import type { CommandTranslations } from '../shared.js';

export const commands: CommandTranslations = {};
