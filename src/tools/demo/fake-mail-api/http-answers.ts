/** Reading requests and writing answers the way the service's framework does. */
import type http from 'node:http';
import { MAX_BODY_BYTES, type Answer } from './types.js';

export async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) break;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Like express.json(): only JSON content types are parsed; anything else leaves an empty body. */
export function parseBody(contentType: string | undefined, raw: string): { body: unknown; unparseable: boolean } {
  if (!contentType?.toLowerCase().includes('application/json')) return { body: {}, unparseable: false };
  if (raw.trim() === '') return { body: {}, unparseable: false };
  try {
    return { body: JSON.parse(raw) as unknown, unparseable: false };
  } catch {
    return { body: undefined, unparseable: true };
  }
}

export function writeAnswer(res: http.ServerResponse, answer: Answer, requestId: string): void {
  if (res.destroyed) return; // the client gave up; the work was still done
  const isJson = answer.json !== undefined;
  const text = isJson ? JSON.stringify(answer.json) : (answer.text ?? '');
  res.writeHead(answer.status, {
    'content-type': isJson ? 'application/json; charset=utf-8' : (answer.contentType ?? 'text/html; charset=utf-8'),
    'content-length': Buffer.byteLength(text),
    'x-request-id': requestId,
    ...answer.headers,
  });
  res.end(text);
}

export function htmlErrorPage(status: 500 | 502): string {
  return status === 502
    ? '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n'
    : '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>Error</title></head>\n<body><pre>Internal Server Error</pre></body>\n</html>\n';
}
