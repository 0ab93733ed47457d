/**
 * The probe's response-head reader on chunkings a socket can deliver: the limits hold
 * however the peer's bytes are split into 'data' events.
 */
import type { Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MAX_HEAD_BYTES, readResponseHead } from '../../src/probe/http-head.js';

/** A stream standing in for the socket, so one test decides exactly how the bytes arrive. */
function deliver(...chunks: string[]) {
  const stream = new PassThrough();
  const head = readResponseHead(stream as unknown as Socket);
  for (const chunk of chunks) stream.write(chunk);
  return head;
}

const HINT = 'HTTP/1.1 103 Early Hints\r\nlink: </a.css>; rel=preload\r\n\r\n';

describe('readResponseHead', () => {
  it('counts interim heads that arrive in one chunk larger than the head limit', async () => {
    const flood = HINT.repeat(Math.ceil((2 * MAX_HEAD_BYTES) / HINT.length));
    await expect(deliver(flood)).rejects.toMatchObject({ code: 'TOO_MANY_INTERIM_RESPONSES' });
  });

  it('reads a final head that ends within the limit even when the body follows in the same chunk', async () => {
    const head = await deliver(`${HINT}HTTP/1.1 200 OK\r\ncontent-length: 40000\r\n\r\n${'b'.repeat(40_000)}`);
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('40000');
  });

  it('stops at the limit when one head never ends, however it is chunked', async () => {
    const line = `x-filler: ${'v'.repeat(1000)}\r\n`;
    await expect(deliver(`HTTP/1.1 200 OK\r\n${line.repeat(40)}`)).rejects.toMatchObject({ code: 'HEAD_TOO_LARGE' });
    await expect(deliver('HTTP/1.1 200 OK\r\n', ...Array<string>(40).fill(line))).rejects.toMatchObject({ code: 'HEAD_TOO_LARGE' });
  });

  it('accepts a head of exactly the limit', async () => {
    const start = 'HTTP/1.1 200 OK\r\nx-pad: ';
    const head = `${start}${'p'.repeat(MAX_HEAD_BYTES - start.length - 4)}\r\n\r\n`;
    expect(head.length).toBe(MAX_HEAD_BYTES);
    await expect(deliver(head, 'body')).resolves.toMatchObject({ status: 200 });
  });
});
