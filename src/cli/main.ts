/**
 * The `lbcheck` command line. Parsing only: each command's work lives in
 * src/cli/commands/<name>.ts and is imported when the command runs, so
 * `lbcheck --version` and `--help` never load the AWS SDK.
 *
 * Exit codes (as eslint): 0 nothing at or above --fail-on, 1 findings at or above it,
 * 2 usage error, bad input, or nothing could be checked.
 */
import { Argument, Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { VERSION } from '../version.js';
import { safeStderrText } from '../text-safety.js';
import { LbcheckError, errorLine } from '../errors.js';
import { DURATION_FORMAT, parseDuration, type Duration } from '../duration.js';
import { DEFAULT_CONCURRENCY, DEFAULT_PROBE_ATTEMPTS, DEFAULT_PROBE_TIMEOUT_MS, type GlobalOptions } from './options.js';
import { writeErrorLine } from './progress.js';

function positiveInteger(name: string, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < 1 || parsed > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from 1 to ${max}.`);
    }
    return parsed;
  };
}

/** --max-time: src/duration.ts says what a duration is. */
function duration(name: string) {
  return (value: string): Duration => {
    const parsed = parseDuration(value);
    if (!parsed) throw new InvalidArgumentError(`${name} must be ${DURATION_FORMAT}.`);
    return parsed;
  };
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function port(value: string, previous: number[] | undefined): number[] {
  return [...(previous ?? []), positiveInteger('--port', 65535)(value)];
}

function addScopeOptions(command: Command): Command {
  return command
    .option('--region <region>', 'AWS region to scan (repeatable; default: the profile/env region)', collect)
    .option('--all-regions', 'scan every region enabled for the account (DescribeRegions)')
    .option('--profile <profile>', 'AWS shared-config profile (repeatable: one scan per profile; with --role-arn or --org-role, the caller)', collect)
    .option('--role-arn <arn>', 'assume this IAM role and audit its account (repeatable: one account each)', collect)
    .option('--org-role <name>', 'assume role NAME in every active account of the AWS Organization (organizations:ListAccounts) and audit each')
    .option('--external-id <id>', 'the external ID to pass when assuming --role-arn or --org-role roles')
    .option('--endpoint-url <url>', 'send every AWS call to this endpoint (an emulator); AWS_ENDPOINT_URL is honoured too')
    .option('--concurrency <n>', 'AWS calls in flight at once, per account and region', positiveInteger('--concurrency', 64), DEFAULT_CONCURRENCY)
    .option('--no-pace', "do not pace calls to AWS's documented request rates (an emulator without limits)");
}

/** --lb / --tag (src/engine/lb-filter.ts): any value of one flag, and every flag given. */
function addFilterOptions(command: Command): Command {
  return command
    .option('--lb <name|arn-glob>', 'only load balancers whose name or ARN matches this glob (* any run, ? one character); repeatable: any of them', collect)
    .option('--tag <key=value>', 'only load balancers with this tag (the value may be a glob: env=prod*, env=*); repeatable: any of them. With --lb too, both must match', collect);
}

function addProbeOptions(command: Command): Command {
  return command
    .option('--dns-server <ip[:port]>', 'resolve with this DNS server instead of the system resolver')
    .option('--timeout <ms>', 'hard timeout of each connect/TLS/HTTP attempt', positiveInteger('--timeout', 600_000), DEFAULT_PROBE_TIMEOUT_MS)
    .option('--attempts <n>', 'attempts per address (an intermittent address shows)', positiveInteger('--attempts', 100), DEFAULT_PROBE_ATTEMPTS);
}

const formatOption = (choices: string[], description: string) => new Option('--format <format>', description).choices(choices);

export function buildProgram(): Command {
  const program = new Command('lbcheck')
    .description(
      'Lint live AWS load balancers and the network around them: collect ALBs, NLBs and Classic LBs ' +
        'with their listeners, target groups, subnets, route tables, security groups and network ACLs ' +
        '(read-only calls), run rules over them, and probe every address an LB name resolves to.',
    )
    .version(VERSION, '-V, --version')
    .option('--debug', 'show stack traces and AWS call details on stderr')
    .option('-q, --quiet', 'no progress on stderr')
    .configureOutput({
      // One line per usage error, prefixed like every other lbcheck error (commander puts "(Did you mean ...?)" on a line of its own).
      outputError: (text, write) => write(`lbcheck: ${safeStderrText(text.trim().replace(/\s*\n\s*/g, ' '))} (see lbcheck --help)\n`),
    })
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  lbcheck audit --region us-east-1                 audit one region with the default credentials\n' +
        '  lbcheck audit --all-regions --format json        every enabled region, JSON on stdout\n' +
        '  lbcheck audit --org-role lbcheck-audit           every active account of the AWS Organization\n' +
        '  lbcheck audit --snapshot inv.json                audit a snapshot offline\n' +
        '  lbcheck audit --region eu-west-1 --probe         also probe every resolved LB address\n' +
        "  lbcheck audit --lb 'web-*' --tag env=prod       only LBs named web-* that are tagged env=prod\n" +
        '  lbcheck snapshot --region us-east-1 --output inv.json\n' +
        '  lbcheck probe my-alb-123.us-east-1.elb.amazonaws.com --port 443\n' +
        '  lbcheck explain internet-facing-subnet-without-igw-route\n' +
        '  source <(lbcheck completion bash)                 shell completion (bash, zsh, fish: see lbcheck completion --help)\n\n' +
        'Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage error, nothing checked, a failed listing or --max-time reached.',
    );

  const audit = program
    .command('audit')
    .description('collect (or read --snapshot), run every rule, report findings')
    .option('--snapshot <file>', 'audit this snapshot offline instead of calling AWS')
    .option('--probe', 'also probe every resolved address of every LB DNS name')
    .option('--no-probe', 'do not probe (default)')
    .option('--measure-keepalive', 'with --probe: measure how long reachable targets keep idle connections')
    .option(
      '--keepalive-max-wait <duration>',
      "with --measure-keepalive: wait at most this long for a target to close an idle connection, e.g. 90s, 5m (default 2m; a target still open then, before the LB's idle timeout, is listed as not checked)",
      duration('--keepalive-max-wait'),
    )
    .addOption(formatOption(['text', 'json', 'sarif', 'markdown', 'html'], 'report format (default: text on a TTY, json otherwise)'))
    .option('--output <file>', 'write the report here instead of stdout (repeatable: the format of each from its extension .json .sarif .md .html .txt, else --format)', collect)
    .option('--verbose', 'text report: print each finding\'s evidence, whole')
    .option('--max-bytes <n>', 'markdown report: stop at this many bytes, counting what is left out (default 1048576, GitHub\'s step summary limit; 65536 fits an issue comment)', positiveInteger('--max-bytes', 1024 * 1024 * 1024))
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity').choices(['error', 'warning', 'info', 'none']).default('error'),
    )
    .option('--config <file>', 'config file (default: .lbcheck.yml found from the working directory up)')
    .option('--baseline <file>', 'a previous JSON report (or --write-baseline file): findings in it are not new, and only new ones fail the run')
    .option('--write-baseline <file>', "write this audit's findings as the next --baseline (atomically)")
    .option('--rule <id|category>', 'run only this rule, or this category (reachability|resilience|security|operations); repeatable', collect)
    .option('--sarif-category <id>', 'SARIF automationDetails.id (default: lbcheck/<accounts>/<regions>/, so uploads per account do not replace each other)')
    .option(
      '--max-time <duration>',
      'bound the whole audit (collection and probe), e.g. 90s, 15m, 1h (a unit is required); when reached, report what was collected and exit 2',
      duration('--max-time'),
    );
  addScopeOptions(audit);
  addFilterOptions(audit);
  addProbeOptions(audit);
  audit.action(async (options, command: Command) => {
    const { run } = await import('./commands/audit.js');
    process.exitCode = await run({ ...program.opts<GlobalOptions>(), ...options }, command);
  });

  const snapshot = program
    .command('snapshot')
    .description('collect the inventory only (no rules) and write it as versioned JSON')
    .requiredOption('--output <file>', 'where to write the snapshot (written atomically)')
    .option('--full', 'also fetch the optional data no rule reads (default: what every rule, or --rule\'s, reads; the rest is recorded as not collected)')
    .option('--rule <id|category>', 'fetch only what this rule or category reads (repeatable); an audit of the snapshot with other rules says what they could not check', collect);
  addScopeOptions(snapshot);
  addFilterOptions(snapshot);
  snapshot.action(async (options) => {
    const { run } = await import('./commands/snapshot.js');
    process.exitCode = await run({ ...program.opts<GlobalOptions>(), ...options });
  });

  const probe = program
    .command('probe')
    .description('resolve each HOST and time DNS, TCP connect, TLS and first byte for every address')
    .argument('<host...>', 'host names (or addresses) to probe')
    .option('--port <n>', 'port to probe (repeatable; default 443)', port)
    .addOption(
      new Option('--protocol <protocol>', 'what to speak on every port (default: https on 443, http on 80, tcp elsewhere)').choices([
        'tcp',
        'tls',
        'http',
        'https',
      ]),
    )
    .addOption(formatOption(['text', 'json'], 'output format (default: text on a TTY, json otherwise)'))
    .option('--output <file>', 'write the result here instead of stdout');
  addProbeOptions(probe);
  probe.action(async (hosts: string[], options) => {
    const { run } = await import('./commands/probe.js');
    process.exitCode = await run(hosts, { ...program.opts<GlobalOptions>(), ...options });
  });

  program
    .command('merge')
    .description('combine the JSON reports of the shards of one audit (a matrix of accounts x regions) into one report')
    .argument('<report...>', 'JSON reports from lbcheck audit --format json')
    .addOption(formatOption(['text', 'json', 'sarif', 'markdown'], 'report format (default: text on a TTY, json otherwise)'))
    .option('--output <file>', 'write the report here instead of stdout (repeatable: the format of each from its extension)', collect)
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a merged finding is at or above this severity').choices(['error', 'warning', 'info', 'none']).default('error'),
    )
    .action(async (files: string[], options) => {
      const { run } = await import('./commands/merge.js');
      process.exitCode = await run(files, { ...program.opts<GlobalOptions>(), ...options });
    });

  program
    .command('rules')
    .description('list every rule with its metadata')
    .addOption(formatOption(['text', 'json'], 'output format').default('text'))
    .action(async (options) => {
      const { run } = await import('./commands/rules.js');
      process.exitCode = await run({ ...program.opts<GlobalOptions>(), ...options });
    });

  program
    .command('explain')
    .description("a rule's rationale, remediation and references")
    .argument('<rule-id>', 'the rule id (see lbcheck rules)')
    .action(async (ruleId: string) => {
      const { run } = await import('./commands/explain.js');
      process.exitCode = await run(ruleId, program.opts<GlobalOptions>());
    });

  program
    .command('completion')
    .description('print the shell completion script for bash, zsh or fish on stdout')
    .addArgument(new Argument('<shell>', 'the shell to complete in').choices(['bash', 'zsh', 'fish']))
    .addHelpText(
      'after',
      '\nLoad it in the current shell, or save it where the shell looks for completions:\n' +
        '  bash:  source <(lbcheck completion bash)     or  lbcheck completion bash > ~/.local/share/bash-completion/completions/lbcheck\n' +
        '  zsh:   source <(lbcheck completion zsh)      (after compinit)  or  lbcheck completion zsh > "${fpath[1]}/_lbcheck"\n' +
        '  fish:  lbcheck completion fish | source      or  lbcheck completion fish > ~/.config/fish/completions/lbcheck.fish',
    )
    .action(async (shell: 'bash' | 'zsh' | 'fish') => {
      const { run } = await import('./commands/completion.js');
      process.exitCode = run(shell, program);
    });

  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  program.exitOverride();
  for (const command of program.commands) command.exitOverride();
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version exit 0; every parse error has already been printed by commander.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof LbcheckError) {
      writeErrorLine(errorLine(error));
    } else {
      process.stderr.write(`lbcheck: internal error: ${safeStderrText(errorLine(error))}${debug ? '' : ' (run with --debug for details)'}\n`);
    }
    if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack.split('\n').map(safeStderrText).join('\n')}\n`);
    return 2;
  }
}
