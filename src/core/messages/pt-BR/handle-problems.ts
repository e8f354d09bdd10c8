/** Why a handle is not valid, in plain words, with the rule and a corrected suggestion. */
import type { HandleProblem } from '../../../mail-api/outcomes.js';
import { showInvisible } from '../../text.js';
import type { Reply, Text } from '../../types.js';
import { claimAction } from './actions.js';
import { cmd, privateReply } from './common.js';

export const HANDLE_RULE: string =
  "Um handle tem de 1 a 64 caracteres: letras minúsculas de a–z, dígitos e ! # $ % & ' * + / = ? ^ _ ` { | } ~ - , com pontos simples entre as partes (sem ponto no início nem no fim, e sem dois pontos seguidos).";

export function describeHandleProblem(problem: HandleProblem): Text {
  switch (problem.code) {
    case 'empty':
      return ['ele está vazio'];
    case 'too_long':
      return [`ele tem ${problem.length} caracteres, e o limite é 64`];
    case 'space':
      return ['ele tem um espaço'];
    case 'at_sign':
      return ['ele tem ', { code: '@' }, ': digite só a parte antes do @ (o bot adiciona todos os domínios para você)'];
    case 'non_ascii':
      return [`ele tem ${/\p{L}/u.test(problem.char) ? 'a letra' : 'o caractere'} fora do ASCII `, { code: showInvisible(problem.char) }];
    case 'leading_dot':
      return ['ele começa com um ponto'];
    case 'trailing_dot':
      return ['ele termina com um ponto'];
    case 'double_dot':
      return ['ele tem dois pontos seguidos'];
    case 'forbidden_char':
      return ['ele tem ', { code: showInvisible(problem.char) }, ', que não é permitido em um handle de e-mail'];
  }
}

export function invalidHandleReply(input: {
  handle: string;
  problem?: HandleProblem;
  reason?: string;
  hint?: string;
  suggestion?: string;
}): Reply {
  const why: Text = input.problem
    ? ['Não dá para usá-lo porque ', ...describeHandleProblem(input.problem), '.']
    : ['O serviço de e-mail o recusou', input.reason ? `: ${input.reason}` : '', '.'];
  const body: Text[] = [why];
  if (input.hint) body.push(['Dica do serviço: ', input.hint]);
  body.push([HANDLE_RULE]);
  if (input.suggestion) body.push(['Você quis dizer ', { code: input.suggestion }, '?']);
  return privateReply('user_error', [{ code: showInvisible(input.handle) || ' ' }, ' não é um handle válido'], {
    body,
    ...(input.suggestion ? { actions: [claimAction(input.suggestion)] } : {}),
  });
}

/** Um nome com o formato de uma chave de API: recusado sem repeti-lo, e a chave talvez precise ser trocada. */
export function keyAsHandleReply(): Reply {
  return privateReply('user_error', ['Esse nome parece uma chave de API, então não foi usado'], {
    body: [
      ['64 letras de a–f e dígitos é exatamente o formato de uma chave de API do serviço de e-mail. O bot não enviou esse nome ao serviço, não publicou e não registrou nada, então nada foi reservado.'],
      ['Se for a sua chave (ou de outra pessoa), considere que ela vazou: peça uma nova com ', cmd('key request <seu e-mail>'), ' e vincule com ', cmd('key set'), '.'],
      ['Para reservar um handle, escolha um nome legível, como ', { code: 'dana.scully' }, '.'],
    ],
  });
}

/** O mesmo, embaixo de um campo de formulário. */
export function keyAsHandleInlineError(): string {
  return 'Isso parece uma chave de API, então não foi usado. Se for a sua chave, troque-a: /handle key request e depois /handle key set.';
}
