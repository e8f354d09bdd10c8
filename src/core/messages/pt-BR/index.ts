/** Placeholder while the Portuguese catalogue is written: English. */
import { en } from '../en/index.js';

export const ptBR = en;
