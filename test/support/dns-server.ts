/**
 * A real UDP DNS server on 127.0.0.1 for probe tests (dns-packet on node:dgram).
 * It answers the names it is given with A/AAAA records (following CNAMEs in the
 * answer, as a recursive resolver does), SERVFAIL for names listed as failing, stays
 * silent for names listed as hanging, and NXDOMAIN for everything else.
 */
import { createSocket, type Socket } from 'node:dgram';
import dnsPacket, { type Answer, type Packet } from 'dns-packet';

export interface DnsZone {
  a?: Record<string, string[]>;
  aaaa?: Record<string, string[]>;
  cname?: Record<string, string>;
  servfail?: string[];
  /** Names the server never answers (a DNS timeout). */
  silent?: string[];
  ttl?: number;
}

export interface TestDnsServer {
  address: string; // 127.0.0.1:PORT, as --dns-server takes it
  port: number;
  zone: DnsZone;
  /** How many queries each name received (lower-cased). */
  queries: Map<string, number>;
  close(): Promise<void>;
}

const RCODES = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3 } as const;

const lower = (name: string) => name.toLowerCase().replace(/\.$/, '');

function lowerKeys<T>(record: Record<string, T> | undefined): Map<string, T> {
  return new Map(Object.entries(record ?? {}).map(([key, value]) => [lower(key), value]));
}

function answer(zone: DnsZone, question: { name: string; type: string }): { rcode: 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL'; answers: Answer[] } {
  const a = lowerKeys(zone.a);
  const aaaa = lowerKeys(zone.aaaa);
  const cname = lowerKeys(zone.cname);
  const ttl = zone.ttl ?? 60;
  if ((zone.servfail ?? []).map(lower).includes(lower(question.name))) return { rcode: 'SERVFAIL', answers: [] };
  const answers: Answer[] = [];
  let name = lower(question.name);
  for (let depth = 0; depth < 10; depth++) {
    const target = cname.get(name);
    if (!target) break;
    answers.push({ type: 'CNAME', name, ttl, data: target });
    if (question.type === 'CNAME') return { rcode: 'NOERROR', answers };
    name = lower(target);
  }
  const known = a.has(name) || aaaa.has(name);
  if (!known && answers.length === 0) return { rcode: 'NXDOMAIN', answers: [] };
  if (question.type === 'A') for (const ip of a.get(name) ?? []) answers.push({ type: 'A', name, ttl, data: ip });
  if (question.type === 'AAAA') for (const ip of aaaa.get(name) ?? []) answers.push({ type: 'AAAA', name, ttl, data: ip });
  return { rcode: known || answers.length ? 'NOERROR' : 'NXDOMAIN', answers };
}

export async function startDnsServer(zone: DnsZone): Promise<TestDnsServer> {
  const socket: Socket = createSocket('udp4');
  const queries = new Map<string, number>();
  socket.on('message', (message, remote) => {
    let query: Packet;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return; // not DNS: ignore, as a real server would
    }
    const question = query.questions?.[0];
    if (!question) return;
    queries.set(lower(question.name), (queries.get(lower(question.name)) ?? 0) + 1);
    if ((zone.silent ?? []).map(lower).includes(lower(question.name))) return;
    const { rcode, answers } = answer(zone, question);
    const response = dnsPacket.encode({
      type: 'response',
      id: query.id,
      // dns-packet encodes the response code only through the low four bits of the flags.
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | dnsPacket.AUTHORITATIVE_ANSWER | RCODES[rcode],
      questions: [question],
      answers,
    });
    socket.send(response, remote.port, remote.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve());
  });
  const { port } = socket.address();
  return {
    address: `127.0.0.1:${port}`,
    port,
    zone,
    queries,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}
