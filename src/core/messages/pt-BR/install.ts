/** As páginas do "Adicionar ao Slack" (en/install.ts é a referência). */
import type { InstallFailure, InstallPageWords } from '../en/install.js';

export function installPage(): InstallPageWords {
  return {
    title: 'Adicionar o handle-bot ao Slack',
    heading: 'Adicione o handle-bot ao seu workspace do Slack',
    lines: [
      'Com o handle-bot, cada membro reserva um endereço de e-mail no serviço de encaminhamento a partir de qualquer canal, com a própria chave de API.',
      'O Slack vai mostrar o que o bot pode fazer e pedir que você escolha o workspace. Para instalar, é preciso ter permissão para adicionar apps nele.',
    ],
    button: 'Adicionar ao Slack',
  };
}

export function installedPage(workspace: string): InstallPageWords {
  return {
    title: 'O handle-bot foi instalado',
    heading: `O handle-bot já está em ${workspace}`,
    lines: [
      'Próximo passo: digite /handle help em qualquer canal para ver o que ele faz.',
      'Cada membro vincula a própria chave de API com /handle key set e depois reserva um endereço com /handle create <nome>.',
      'Os administradores escolhem onde o bot avisa sobre novos endereços e quedas do serviço com /handle admin notify #canal.',
    ],
  };
}

export function installFailedPage(reason: InstallFailure): InstallPageWords {
  const why: Record<InstallFailure, string> = {
    cancelled: 'A instalação foi cancelada no Slack; nada foi instalado.',
    expired: 'Este link de instalação expirou ou foi aberto em outro navegador. Comece de novo pela página de instalação, em um só navegador, em até 10 minutos.',
    failed: 'O Slack não confirmou a instalação; nada foi instalado. Tente de novo em um minuto; se continuar falhando, avise quem mantém este bot.',
  };
  return { title: 'O handle-bot não foi instalado', heading: 'O handle-bot não foi instalado', lines: [why[reason]], button: 'Começar de novo' };
}
