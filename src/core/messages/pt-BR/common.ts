/** Small builders the Brazilian Portuguese catalogue's modules share (not messages themselves). */
import type { Reply, Text } from '../../types.js';
import type { Locale } from '../locales.js';

export { cmd } from '../shared.js';

/** Every reply says which locale it is written in, so that a front door's own words around it match. */
const LOCALE: Locale = 'pt-BR';

export function privateReply(tone: Reply['tone'], title: Text, rest: Omit<Reply, 'visibility' | 'tone' | 'title' | 'locale'> = {}): Reply {
  return { visibility: 'private', tone, title, ...rest, locale: LOCALE };
}

/** What the channel sees (a claim's announcement, an admin notice). */
export function channelReply(tone: Reply['tone'], title: Text, body: Text[] = []): Reply {
  return { visibility: 'channel', tone, title, body, locale: LOCALE };
}

export function seconds(n: number): string {
  if (n < 60) return n === 1 ? '1 segundo' : `${n} segundos`;
  const minutes = Math.ceil(n / 60);
  return minutes === 1 ? '1 minuto' : `${minutes} minutos`;
}

/** "a, b e c" */
export function listOf<T>(items: readonly T[], render: (item: T) => Text): Text {
  const out: Text = [];
  items.forEach((item, i) => {
    if (i > 0) out.push(i === items.length - 1 ? ' e ' : ', ');
    out.push(...render(item));
  });
  return out;
}

/** "a, b e c", or "a, b, c e mais 4" when only some of `total` items are shown. */
export function listWithMore<T>(shown: readonly T[], total: number, render: (item: T) => Text): Text {
  const hidden = total - shown.length;
  if (hidden <= 0) return listOf(shown, render);
  const out: Text = [];
  shown.forEach((item, i) => {
    if (i > 0) out.push(', ');
    out.push(...render(item));
  });
  out.push(` e mais ${hidden}`);
  return out;
}
