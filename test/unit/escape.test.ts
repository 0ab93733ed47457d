/**
 * Hostile text from AWS or a snapshot (ESC sequences, bidi overrides, Markdown and HTML
 * syntax, @mentions) is shown, never obeyed, in every output format.
 */
import { describe, expect, it } from 'vitest';
import { CLEAR_AND_RETITLE, RIGHT_TO_LEFT_OVERRIDE } from '../support/hostile-text.js';
import { PassThrough } from 'node:stream';
import { stderrProgress } from '../../src/cli/progress.js';
import { escapeHtml, escapeMarkdown, markdownCode } from '../../src/report/escape.js';
import { classifyError } from '../../src/aws/scope-run.js';
import { escapeControlCharacters, redactUrlCredentials } from '../../src/text-safety.js';


describe('escapeControlCharacters', () => {
  it('shows ESC sequences, C1 controls and DEL as visible escapes', () => {
    expect(escapeControlCharacters(`lb-${CLEAR_AND_RETITLE}`)).toBe('lb-\\x1b[2J\\x1b]0;pwned\\x07');
    expect(escapeControlCharacters('a\u009bb\u007fc\u0000')).toBe('a\\x9bb\\x7fc\\x00');
  });

  it('shows every bidi control and line separator by its code point', () => {
    expect(escapeControlCharacters(RIGHT_TO_LEFT_OVERRIDE)).toBe('invoice\\u202egpj.exe');
    const bidi = ['\u202A', '\u202B', '\u202C', '\u202D', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C', '\u2028', '\u2029'];
    expect(bidi.map(escapeControlCharacters)).toEqual(['\\u202a', '\\u202b', '\\u202c', '\\u202d', '\\u2066', '\\u2067', '\\u2068', '\\u2069', '\\u200e', '\\u200f', '\\u061c', '\\u2028', '\\u2029']);
  });

  it('keeps text one line: CR, LF and tab become \\r \\n \\t', () => {
    expect(escapeControlCharacters('ok\rFAKE\nline\tx')).toBe('ok\\rFAKE\\nline\\tx');
  });

  it('leaves ordinary text (accents, CJK, emoji, punctuation) alone and is idempotent', () => {
    const plain = 'café-東京 🔴 arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/web/1 C:\\path';
    expect(escapeControlCharacters(plain)).toBe(plain);
    const once = escapeControlCharacters(CLEAR_AND_RETITLE + RIGHT_TO_LEFT_OVERRIDE);
    expect(escapeControlCharacters(once)).toBe(once);
  });
});

describe('escapeMarkdown', () => {
  it('keeps a table cell one cell: pipes escaped, newlines shown', () => {
    expect(escapeMarkdown('a|b\nc')).toBe('a\\|b\\\\nc');
  });

  it('turns links, images, code, emphasis and HTML into literal text', () => {
    expect(escapeMarkdown('[click](https://evil.example) ![x](https://evil.example/t.png)')).toBe(
      '\\[click\\]\\(https://evil.example\\) \\!\\[x\\]\\(https://evil.example/t.png\\)',
    );
    expect(escapeMarkdown('`code` *bold* _it_ ~~gone~~')).toBe('\\`code\\` \\*bold\\* \\_it\\_ \\~\\~gone\\~\\~');
    expect(escapeMarkdown('<img src=x onerror=alert(1)> &#8238;')).toBe('&lt;img src=x onerror=alert\\(1\\)&gt; &amp;#8238;');
  });

  it('stops GitHub @mentions of users and teams', () => {
    expect(escapeMarkdown('ping @octocat and @org/team, not me@example.com')).toBe('ping @&#8203;octocat and @&#8203;org/team, not me@&#8203;example.com');
  });

  it('never starts a heading, a list or a quote', () => {
    expect(escapeMarkdown('# Approved')).toBe('\\# Approved');
    expect(escapeMarkdown('- item')).toBe('\\- item');
    expect(escapeMarkdown('1. item')).toBe('1\\. item');
    expect(escapeMarkdown('10.0.1.7:443')).toBe('10.0.1.7:443');
    expect(escapeMarkdown('> quote')).toBe('&gt; quote');
    // A lone CR would end the line in a renderer: shown instead, so "# pwned" stays inside the text.
    expect(escapeMarkdown('name\r# pwned')).toBe('name\\\\r# pwned');
  });

  it('shows control and bidi characters', () => {
    expect(escapeMarkdown(`x${CLEAR_AND_RETITLE}`)).toBe('x\\\\x1b\\[2J\\\\x1b\\]0;pwned\\\\x07');
    expect(escapeMarkdown(RIGHT_TO_LEFT_OVERRIDE)).toBe('invoice\\\\u202egpj.exe');
  });
});

describe('markdownCode', () => {
  it('fences around backticks and escapes pipes for table cells', () => {
    expect(markdownCode('web')).toBe('`web`');
    expect(markdownCode('a`b')).toBe('``a`b``');
    expect(markdownCode('`edge`')).toBe('`` `edge` ``');
    expect(markdownCode('a|b')).toBe('`a\\|b`');
    expect(markdownCode('')).toBe('`  `');
  });

  it('shows control and bidi characters', () => {
    expect(markdownCode(`lb${CLEAR_AND_RETITLE}\u202E`)).toBe('`lb\\x1b[2J\\x1b]0;pwned\\x07\\u202e`');
  });
});

describe('escapeHtml', () => {
  it('escapes markup and quotes, and shows control and bidi characters', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'q'`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;');
    expect(escapeHtml(`a${CLEAR_AND_RETITLE}${RIGHT_TO_LEFT_OVERRIDE}`)).toBe('a\\x1b[2J\\x1b]0;pwned\\x07invoice\\u202egpj.exe');
  });
});

describe('progress on stderr', () => {
  it('escapes steps, warnings and debug lines (they carry LB names and AWS errors)', () => {
    const stream = new PassThrough();
    const progress = stderrProgress({ debug: true, stream });
    progress.step(`us-east-1: lb ${CLEAR_AND_RETITLE}`);
    progress.warn(`not checked: ${RIGHT_TO_LEFT_OVERRIDE}`);
    progress.debug('line\rover');
    expect(String(stream.read())).toBe(
      'lbcheck: us-east-1: lb \\x1b[2J\\x1b]0;pwned\\x07\nlbcheck: warning: not checked: invoice\\u202egpj.exe\nlbcheck: debug: line\\rover\n',
    );
  });
});

describe('redactUrlCredentials', () => {
  it('redacts userinfo and query values of every URL in the text, and leaves the rest as it is', () => {
    expect(redactUrlCredentials('cannot reach AWS at https://admin:hunter2@proxy.example:8443/aws (AWS_ENDPOINT_URL)')).toBe(
      'cannot reach AWS at https://***@proxy.example:8443/aws (AWS_ENDPOINT_URL)',
    );
    expect(redactUrlCredentials('GET https://b.s3.amazonaws.com/k?X-Amz-Credential=AKIA%2F1&X-Amz-Signature=abc123&flag#top: 403')).toBe(
      'GET https://b.s3.amazonaws.com/k?X-Amz-Credential=***&X-Amz-Signature=***&flag#top: 403',
    );
    expect(redactUrlCredentials('got "ftp://u:p@h", and "http://127.0.0.1:5000"')).toBe('got "ftp://***@h", and "http://127.0.0.1:5000"');
    expect(redactUrlCredentials('no URL here: user:pass@host, a?b=c')).toBe('no URL here: user:pass@host, a?b=c');
    // A URL read as a file path: Node's ENOENT names it with one slash.
    expect(redactUrlCredentials("ENOENT: no such file or directory, open 'https:/admin:hunter2@proxy.example/x.json'")).toBe(
      "ENOENT: no such file or directory, open 'https:/***@proxy.example/x.json'",
    );
  });

  it('is applied to the reason of every failed AWS call (what notChecked and the error lines say)', () => {
    const error = Object.assign(new Error('proxy refused https://me:secret@proxy.example/?token=t0ps3cret'), { name: 'ProxyError', $metadata: { httpStatusCode: 407 } });
    expect(classifyError(error)).toEqual({ kind: 'service', reason: 'ProxyError: proxy refused https://***@proxy.example/?token=***' });
  });

  it('is applied to every progress, warning and debug line on stderr', () => {
    const stream = new PassThrough();
    let written = '';
    stream.on('data', (chunk: Buffer) => (written += chunk.toString()));
    const progress = stderrProgress({ stream, debug: true });
    progress.step('AWS at http://u:pw@127.0.0.1:5000/?sig=1');
    progress.warn('see https://x.example/?X-Amz-Signature=2');
    progress.debug('GET https://u:pw@x.example/');
    expect(written).toBe('lbcheck: AWS at http://***@127.0.0.1:5000/?sig=***\nlbcheck: warning: see https://x.example/?X-Amz-Signature=***\nlbcheck: debug: GET https://***@x.example/\n');
  });
});
