/**
 * `lbcheck probe HOST... [--port N]...`: resolve each host and time every address on
 * every port. Exit 0 when every address answered every attempt, 1 when any address
 * failed an attempt (or a name did not resolve while others did), 2 on bad input or
 * when no name resolved at all (nothing could be checked).
 */
import type { GlobalOptions, ProbeFlags } from '../options.js';
import { LbcheckError } from '../../errors.js';
import { checkOutput, emit } from '../output.js';
import { colorEnabled, stderrProgress, writeErrorLine } from '../progress.js';
import type { Progress } from '../../progress.js';
import type { ProbeProtocol } from '../../probe/connect.js';
import { parseDnsServer } from '../../probe/dns.js';
import { defaultProtocol, probeTargets } from '../../probe/probe.js';
import type { ProbeReport } from '../../inventory/probe-report.js';
import { formatProbeText } from '../../report/probe-text.js';
import { probeSummary } from '../../report/report.js';
import { firstFew, plural } from '../../words.js';

export interface ProbeCommandOptions extends GlobalOptions, ProbeFlags {
  port?: number[];
  protocol?: ProbeProtocol;
  format?: 'text' | 'json';
  output?: string;
}

const DEFAULT_PORT = 443;
/** How long `lbcheck probe` waits to place its addresses in their AZ and subnet (credentials included). */
const PLACE_TIMEOUT_MS = 5_000;

/**
 * Fills each address's AZ and subnet from the ELB network interface that holds it, in the
 * region and through the endpoint the audit would use, when AWS credentials are at hand;
 * without them (or a region, or permission) the addresses stay unplaced and the table says
 * "unknown": a probe never fails for it.
 */
async function placeAddresses(report: ProbeReport, progress: Progress): Promise<void> {
  const hostsByIp = new Map(report.targets.flatMap((target) => target.addresses.map((address) => [address.ip, target.host] as const)));
  if (hostsByIp.size === 0) return;
  const { locateAddresses } = await import('../../aws/locate-addresses.js');
  const places = await locateAddresses(hostsByIp, { timeoutMs: PLACE_TIMEOUT_MS, debug: (message) => progress.debug(message) });
  for (const address of report.targets.flatMap((target) => target.addresses)) {
    const place = places.get(address.ip);
    if (place) Object.assign(address, { az: place.az, subnetId: place.subnetId, networkInterfaceId: place.networkInterfaceId });
  }
}

export async function run(hosts: string[], options: ProbeCommandOptions): Promise<number> {
  const dnsServer = options.dnsServer === undefined ? undefined : parseDnsServer(options.dnsServer);
  const names = hosts.map((host) => host.trim().replace(/\.$/, ''));
  const bad = names.find((host) => host === '' || /[\s/]/.test(host));
  if (bad !== undefined) throw new LbcheckError(`'${bad}' is not a host name or address.`);
  const ports = [...new Set(options.port?.length ? options.port : [DEFAULT_PORT])];
  const progress = stderrProgress({ quiet: options.quiet, debug: options.debug });
  await checkOutput(options.output);

  const requests = names.flatMap((host) => ports.map((port) => ({ host, port, protocol: options.protocol ?? defaultProtocol(port) })));
  // The AWS SDK is loaded only after the probe: evaluating it blocks the event loop for
  // up to a second on a busy machine, which would stall the probe's timers and sockets
  // (false DNS timeouts, inflated connect times).
  const report = await probeTargets(requests, { dnsServer, timeoutMs: options.timeout, attempts: options.attempts, progress });
  await placeAddresses(report, progress);

  const format = options.format ?? (options.output || !process.stdout.isTTY ? 'json' : 'text');
  await emit(format === 'json' ? JSON.stringify(report, null, 2) : formatProbeText(report, { color: !options.output && colorEnabled(process.stdout) }), options.output);

  const unresolved = [...new Set(report.targets.filter((target) => target.dns.error).map((target) => `${target.host}: ${target.dns.error}`))];
  if (report.targets.every((target) => target.addresses.length === 0)) {
    writeErrorLine(`no address to probe: ${unresolved.join('; ')}`);
    return 2;
  }
  for (const line of unresolved) progress.warn(line);
  for (const gap of report.notChecked ?? []) progress.warn(`not checked: ${gap.what}: ${gap.why}`);
  if (report.targets.every((target) => target.addresses.every((address) => address.attempts.length === 0))) {
    writeErrorLine(`nothing could be probed: ${report.notChecked?.[0]?.why ?? 'no attempt was made'}`);
    return 2;
  }
  const { failing } = probeSummary(report);
  // The report lists every address; this line names the first few.
  if (failing.length > 0) progress.step(`probe: ${plural(failing.length, 'address')} failed: ${firstFew(failing)}`);
  return failing.length > 0 || unresolved.length > 0 ? 1 : 0;
}
