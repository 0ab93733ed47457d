/**
 * `npm run bench`: lbcheck's speed as ratios against a baseline measured in the same
 * run on the same machine, never as absolute times (those depend on the machine).
 *
 *   startup   `lbcheck --version` vs a bare `node -e ""`         (the CLI must not load the SDK to parse flags)
 *   engine    all rules over N load balancers vs JSON round trip  (rules must stay linear, cheaper than reading the snapshot)
 *   scaling   engine time at 4N vs N, divided by 4                 (1.0 is linear; 4.0 would be quadratic)
 *   collect   collector against moto at --concurrency 8 vs 1      (bounded concurrency must pay off)
 *   probe     30 addresses, a third of them hanging, vs 1 timeout (the whole probe takes about one timeout)
 *
 * Each measurement is the median of several runs. Nothing here asserts: it prints.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingClient } from '@aws-sdk/client-elastic-load-balancing';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { collectInventory } from '../src/aws/collect.js';
import { runEngine } from '../src/engine/runner.js';
import type { Inventory } from '../src/inventory/model.js';
import { parseDnsServer } from '../src/probe/dns.js';
import { probeTargets } from '../src/probe/probe.js';
import { rules } from '../rules/index.js';
import { startDnsServer } from '../test/support/dns-server.js';
import { closeAll, sharedFreePort, startHangingListeners, startHttpServer } from '../test/support/net-servers.js';
import { inventoryOf, syntheticScope } from './bench/synthetic.js';
import { Scenario } from '../test/support/scenario.js';

const FAKE_CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'bench' };

const rows: { name: string; ratio: number; detail: string }[] = [];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function timeMedian(runs: number, fn: () => unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

function report(name: string, measured: number, baseline: number, detail: string): void {
  const ratio = measured / baseline;
  rows.push({ name, ratio, detail });
  process.stdout.write(`${name.padEnd(9)} ${ratio.toFixed(2).padStart(7)}x   ${detail}\n`);
}

// ---------------------------------------------------------------- startup

async function benchStartup(): Promise<void> {
  const run = (args: string[]) => () => {
    const result = spawnSync(process.execPath, args, { stdio: 'ignore' });
    if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}`);
  };
  const baseline = await timeMedian(11, run(['-e', '']));
  const measured = await timeMedian(11, run(['dist/cli.js', '--version']));
  report('startup', measured, baseline, `lbcheck --version ${measured.toFixed(0)} ms vs node -e "" ${baseline.toFixed(0)} ms`);
}

// ---------------------------------------------------------------- engine

async function benchEngine(): Promise<void> {
  const small = inventoryOf(syntheticScope(250));
  const large = inventoryOf(syntheticScope(1000));
  const engine = (inventory: Inventory) => () => runEngine({ inventory, rules });
  const roundTrip = (inventory: Inventory) => () => JSON.parse(JSON.stringify(inventory)) as unknown;
  engine(small)(); // warm up the JIT
  const smallTime = await timeMedian(5, engine(small));
  const largeTime = await timeMedian(5, engine(large));
  const largeRoundTrip = await timeMedian(5, roundTrip(large));
  const findings = runEngine({ inventory: large, rules }).findings.length;
  report('engine', largeTime, largeRoundTrip, `${rules.length} rules over 1000 ALBs ${largeTime.toFixed(0)} ms (${findings} findings) vs JSON round trip ${largeRoundTrip.toFixed(0)} ms`);
  report('scaling', largeTime / 4, smallTime, `1000 ALBs ${largeTime.toFixed(0)} ms vs 250 ALBs ${smallTime.toFixed(0)} ms, per load balancer`);
}

// ---------------------------------------------------------------- collector

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function benchCollect(): Promise<void> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const moto = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  try {
    for (let i = 0; i < 100; i++) {
      const up = await fetch(`${endpoint}/moto-api/`).then((r) => r.ok, () => false);
      if (up) break;
      await new Promise((r) => setTimeout(r, 150));
    }
    const region = 'eu-west-1';
    const config = { endpoint, region, credentials: FAKE_CREDENTIALS };
    const s = new Scenario({ endpoint, region, ec2: new EC2Client(config), elbv2: new ElasticLoadBalancingV2Client(config), elb: new ElasticLoadBalancingClient(config) });
    const vpcId = await s.vpc({ cidr: '10.0.0.0/16' });
    const subnets = await Promise.all(['a', 'b', 'c'].map((az, i) => s.subnet(vpcId, { cidr: `10.0.${i}.0/24`, az: `${region}${az}` })));
    const sg = await s.securityGroup(vpcId, { ingress: [{ port: 443, cidr: '0.0.0.0/0' }] });
    for (let n = 0; n < 12; n++) {
      const lb = await s.alb({ name: `bench-${n}`, subnets, securityGroups: [sg] });
      const tg = await s.targetGroup(vpcId, { name: `bench-tg-${n}`, port: 8080, protocol: 'HTTP' });
      await s.listener(lb, { port: 80, protocol: 'HTTP', targetGroup: tg });
    }
    const collect = (concurrency: number) => () =>
      collectInventory({ regions: [region], profiles: [], endpointUrl: endpoint, concurrency, credentials: async () => FAKE_CREDENTIALS });
    await collect(8)();
    const serial = await timeMedian(3, collect(1));
    const parallel = await timeMedian(3, collect(8));
    report('collect', parallel, serial, `12 ALBs from moto: --concurrency 8 ${parallel.toFixed(0)} ms vs --concurrency 1 ${serial.toFixed(0)} ms`);
  } finally {
    moto.kill('SIGKILL');
  }
}

// ---------------------------------------------------------------- probe

async function benchProbe(): Promise<void> {
  const ips = Array.from({ length: 30 }, (_, i) => `127.0.0.${i + 10}`);
  const hanging = ips.filter((_, i) => i % 3 === 0);
  const answering = ips.filter((ip) => !hanging.includes(ip));
  const port = await sharedFreePort(ips);
  const servers = [await startHangingListeners(hanging, port), ...(await Promise.all(answering.map((ip) => startHttpServer(ip, port))))];
  const dns = await startDnsServer({ a: { 'bench.lbcheck.test': ips } });
  const timeoutMs = 1000;
  try {
    const probe = () =>
      probeTargets([{ host: 'bench.lbcheck.test', port, protocol: 'http' }], { dnsServer: parseDnsServer(dns.address), timeoutMs, attempts: 3 });
    const total = await timeMedian(3, probe);
    report('probe', total, timeoutMs, `30 addresses x 3 attempts, 10 hanging: ${total.toFixed(0)} ms vs one ${timeoutMs} ms timeout`);
  } finally {
    await closeAll([...servers, dns]);
  }
}

process.stdout.write(`lbcheck bench (node ${process.version}): ratios to a baseline measured in this run; lower is better\n`);
await benchStartup();
await benchEngine();
await benchCollect();
await benchProbe();
process.exit(0);
