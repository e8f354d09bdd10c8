/**
 * The forms a command's inputs can arrive in, one entry per form id (see en/forms.ts). Titles
 * and buttons stay within 24 characters (Slack); labels within 45 and `hintShort` within 100
 * (Discord).
 */
import type { ApiKeyProblem } from '../../../domain/api-key.js';
import type { HandleProblem } from '../../../domain/handle.js';
import { plainText } from '../../text.js';
import { formsById } from '../shared.js';
import { describeKeyProblem, restartingReply } from './failures.js';
import { describeHandleProblem, HANDLE_RULE } from './handle-problems.js';

/** Buttons every form shares. */
export const formButtons = { retry: 'Tentar de novo', cancel: 'Cancelar', close: 'Fechar' };

export const forms = formsById({
  key_set: {
    title: 'Vincular chave de API',
    submit: 'Vincular chave',
    intro: 'Sua chave fica em sigilo: só o bot a vê, ela nunca aparece em um canal, e você pode removê-la quando quiser com /handle key remove.',
    working: () => 'Verificando sua chave com o serviço de e-mail…',
    fields: {
      key: {
        label: 'Chave de API',
        placeholder: 'Cole a chave de 64 caracteres',
        hint: 'A chave que o serviço de e-mail mandou para você: 64 caracteres de 0–9 e a–f. Ela é verificada com o serviço, guardada criptografada e nunca mais é mostrada.',
        hintShort: 'Do e-mail do serviço. Verificada, guardada criptografada e nunca mais mostrada.',
      },
    },
  },
  key_request: {
    title: 'Pedir uma chave de API',
    submit: 'Enviar',
    intro: 'Seu endereço vai só para o serviço de e-mail. Ele aceita 3 pedidos por hora para o mesmo endereço, então olhe o spam antes de pedir de novo.',
    working: () => 'Pedindo ao serviço de e-mail que mande uma mensagem para você…',
    fields: {
      email: {
        label: 'Seu endereço de e-mail',
        placeholder: 'voce@exemplo.com',
        hint: 'O serviço de e-mail manda um link de confirmação para cá, e depois a sua chave. Use o seu próprio endereço, não um dos domínios do serviço.',
        hintShort: 'O serviço manda aqui um link de confirmação e depois a sua chave. Use o seu próprio endereço.',
      },
    },
  },
  claim: {
    title: 'Registrar um handle',
    submit: 'Registrar',
    intro: 'Os e-mails para o seu handle, em todos os domínios do serviço, chegam à sua caixa de entrada. O handle fica seu para sempre: não dá para renomeá-lo e, mesmo se você o excluir, ninguém (nem você) poderá registrá-lo de novo.',
    working: (values) => `Registrando ${values.name ?? ''} com a sua chave de API…`,
    fields: {
      name: {
        label: 'Handle', placeholder: 'por exemplo, alice', hint: HANDLE_RULE,
        hintShort: "1–64 de a–z, 0–9 e ! # $ % & ' * + / = ? ^ _ ` { | } ~ - ; pontos simples entre as partes",
      },
    },
  },
});

/** Under the key input (plain text; never echoes what was typed). */
export function malformedKeyInlineError(problem: ApiKeyProblem): string {
  const why = plainText(describeKeyProblem(problem));
  return `Isso não parece uma chave de API: ${why}. As chaves têm 64 caracteres de 0–9 e a–f.`;
}

/** Under an e-mail input when what was typed cannot be an address (plain text). */
export function invalidEmailInlineError(): string {
  return 'Isso não parece um endereço de e-mail: ele precisa de um nome, um @ e um domínio, como voce@exemplo.com.';
}

/** Under a handle input: the precise reason from the handle rule, and a corrected suggestion. */
export function invalidHandleInlineError(problem: HandleProblem, suggestion?: string): string {
  const why = plainText(['Não dá para usá-lo porque ', ...describeHandleProblem(problem), '.']);
  return suggestion ? `${why} Você quis dizer ${suggestion}?` : why;
}

/** The answer while the bot restarts, as one plain line (under a form input, a Workflow step error). */
export function restartingText(): string {
  const restarting = restartingReply();
  return plainText([...restarting.title, '. ', ...(restarting.body?.[0] ?? [])]);
}
