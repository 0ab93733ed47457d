import { describe, expect, it } from 'vitest';
import { formatSeconds, parseKeepAlive, SERVER_KEEPALIVE_DEFAULTS, SERVER_KEEPALIVE_SECONDS, serverDefault } from '../../src/engine/keepalive.js';

describe('parseKeepAlive', () => {
  it('reads plain seconds and durations with units', () => {
    expect(parseKeepAlive('5')).toEqual({ ok: true, seconds: 5 });
    expect(parseKeepAlive('75s')).toEqual({ ok: true, seconds: 75 });
    expect(parseKeepAlive(' 4.5s ')).toEqual({ ok: true, seconds: 4.5 });
    expect(parseKeepAlive('65000ms')).toEqual({ ok: true, seconds: 65 });
    expect(parseKeepAlive('2m')).toEqual({ ok: true, seconds: 120 });
    expect(parseKeepAlive('2MIN')).toEqual({ ok: true, seconds: 120 });
  });

  it('refuses numbers that are not a sane keep-alive: 400 nines (Infinity), 1e309, negative, zero, more than a day', () => {
    for (const value of ['9'.repeat(400), '1e309', '-5', '0', '0s', '86401', '1441m']) expect(parseKeepAlive(value).ok, value).toBe(false);
    expect(parseKeepAlive('86400s')).toEqual({ ok: true, seconds: 86_400 });
  });

  it('reads server names and aliases case-insensitively', () => {
    const node = parseKeepAlive('NodeJS');
    expect(node.ok && node.seconds).toBe(5);
    expect(node.ok && node.server?.name).toBe('nodejs');
    const express = parseKeepAlive('express');
    expect(express.ok && express.server?.name).toBe('nodejs');
    const gunicorn = parseKeepAlive('Gunicorn');
    expect(gunicorn.ok && gunicorn.seconds).toBe(2);
    const rails = parseKeepAlive('rails');
    expect(rails.ok && rails.server?.name).toBe('puma');
    expect(rails.ok && rails.seconds).toBe(65);
    const oldPuma = parseKeepAlive('Puma6');
    expect(oldPuma.ok && oldPuma.seconds).toBe(20);
    const go = parseKeepAlive('go');
    expect(go.ok && go.seconds).toBe(Number.POSITIVE_INFINITY);
  });

  it('rejects what it cannot understand, saying what it accepts', () => {
    const bad = parseKeepAlive('5 minutes');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.reason).toContain('"5 minutes" is neither a duration (5, 5s, 65000ms, 2m) nor a known server (nodejs, gunicorn');
    const zero = parseKeepAlive('0s');
    expect(!zero.ok && zero.reason).toBe('"0s" is not a positive duration');
    expect(parseKeepAlive('haproxy').ok).toBe(false);
    expect(parseKeepAlive('').ok).toBe(false);
  });
});

describe('server defaults table', () => {
  it('holds the documented defaults', () => {
    const seconds = Object.fromEntries(SERVER_KEEPALIVE_DEFAULTS.map((s) => [s.name, s.seconds]));
    expect(seconds).toEqual({
      nodejs: 5,
      gunicorn: 2,
      uvicorn: 5,
      waitress: 120,
      puma: 65,
      puma6: 20,
      tomcat: 20,
      jetty: 30,
      kestrel: 130,
      nginx: 75,
      apache: 5,
      envoy: 3600,
      go: Number.POSITIVE_INFINITY,
    });
  });

  it('cites a documentation URL for every entry and has no duplicate names', () => {
    const names = SERVER_KEEPALIVE_DEFAULTS.flatMap((s) => [s.name, ...s.aliases].map((n) => n.toLowerCase()));
    expect(new Set(names).size).toBe(names.length);
    for (const server of SERVER_KEEPALIVE_DEFAULTS) expect(server.docUrl).toMatch(/^https:\/\/[^ ]+$/);
  });

  it('gives a concrete fix per server', () => {
    expect(serverDefault('node')?.fix(65)).toBe('set server.keepAliveTimeout = 65000 and server.headersTimeout = 66000 in Node.js');
    expect(serverDefault('GUNICORN')?.fix(65)).toBe('run gunicorn with --keep-alive 65');
    expect(serverDefault('tomcat')?.fix(65)).toContain('keepAliveTimeout="65000"');
  });

  it('exposes every name and alias with its seconds for the config file', () => {
    expect(SERVER_KEEPALIVE_SECONDS['express']).toBe(5);
    expect(SERVER_KEEPALIVE_SECONDS['httpd']).toBe(5);
    expect(SERVER_KEEPALIVE_SECONDS['kestrel']).toBe(130);
    expect(SERVER_KEEPALIVE_SECONDS['haproxy']).toBeUndefined();
  });

  it('formats seconds for messages', () => {
    expect(formatSeconds(5)).toBe('5 s');
    expect(formatSeconds(Number.POSITIVE_INFINITY)).toBe('no idle timeout');
  });
});
