/**
 * The commands' words in Brazilian Portuguese: each command's description, its usage with the
 * placeholders translated (the verb and option names stay as typed), and each option's
 * description. Discord shows them in its picker (within 100 characters), help lists them.
 */
import type { CommandTranslations } from '../shared.js';

export const commands: CommandTranslations = {
  'create': {
    description: 'Registre um handle de e-mail com a sua chave vinculada',
    usage: 'create <nome>',
    options: { name: 'o handle: letras, dígitos e . _ - + …' },
  },
  'delete': {
    description: 'Exclua um dos seus handles (ele continua reservado para sempre)',
    usage: 'delete <nome>',
    options: { name: 'o handle a excluir' },
  },
  'list': { description: 'Mostre os handles que você registrou pelo bot' },
  'domains': { description: 'Mostre os domínios em que todo handle recebe e-mails' },
  'key set': {
    description: 'Vincule sua chave de API do serviço de e-mail (pedida em particular)',
    options: { key: 'sua chave de API do serviço de e-mail' },
  },
  'key status': { description: 'Verifique a chave de API que você vinculou' },
  'key remove': { description: 'Remova sua chave de API do bot' },
  'key request': {
    description: 'Peça ao serviço de e-mail que mande uma nova chave de API para você',
    usage: 'key request <seu e-mail>',
    options: { email: 'o seu próprio endereço de e-mail' },
  },
  'forget': { description: 'Remova sua chave e seu histórico de handles do bot' },
  'help': {
    description: 'Mostre o que o bot sabe fazer',
    usage: 'help [comando]',
    options: { command: 'um comando para explicar, por exemplo create' },
  },
  'admin notify': {
    description: 'Envie as notificações aos admins (handles novos, banimentos, quedas) para um canal',
    usage: 'admin notify <#canal|off>',
    options: { channel: 'o canal das notificações aos admins' },
  },
  'admin notify-off': { description: 'Pare as notificações aos admins' },
  'admin announce': {
    description: 'Anuncie handles novos no canal (ligado por padrão)',
    options: { enabled: 'anunciar os registros no canal' },
  },
  'admin onboarding': {
    description: 'Dê boas-vindas a quem chega com uma mensagem direta (com o seu texto, se quiser)',
    usage: 'admin onboarding <on|off> [texto de boas-vindas]',
    options: { enabled: 'dar boas-vindas a quem chega', welcome: 'o seu próprio texto de boas-vindas' },
  },
  'admin key-events': {
    description: 'Avise o canal dos admins quando alguém vincular ou remover uma chave',
    options: { enabled: 'informar os eventos de chave' },
  },
  'admin language': {
    description: 'O idioma das publicações do bot aqui (anúncios, notificações, boas-vindas)',
    options: { language: 'auto segue a plataforma; as respostas privadas vêm sempre no idioma de cada um' },
  },
};
