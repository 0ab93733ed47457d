/**
 * `lbcheck completion bash|zsh|fish`: shell completion generated from the commander
 * program itself (its commands, their options, the choices of enum options and
 * arguments), so it can never drift from what the parser accepts. Values commander does
 * not know (rule ids and categories) come from the caller; `<file>` and `<report>`
 * values complete file names.
 *
 * Load it with:
 *   bash:  source <(lbcheck completion bash)        (or save it in ~/.local/share/bash-completion/completions/lbcheck)
 *   zsh:   source <(lbcheck completion zsh)         (after compinit; or save it as _lbcheck in a directory of $fpath)
 *   fish:  lbcheck completion fish | source         (or save it as ~/.config/fish/completions/lbcheck.fish)
 */
import type { Command, Option } from 'commander';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** What a value (an option's or an argument's) completes to. */
type ValueKind = { kind: 'none' } | { kind: 'file' } | { kind: 'choices'; choices: readonly string[] };

interface OptionSpec {
  short?: string;
  long?: string;
  description: string;
  /** Absent: a switch. */
  value?: ValueKind;
  repeatable: boolean;
}

interface CommandSpec {
  name: string;
  description: string;
  options: OptionSpec[];
  /** The positional arguments' values (absent: none). */
  argument?: ValueKind;
}

export interface CompletionSpec {
  program: string;
  globalOptions: OptionSpec[];
  commands: CommandSpec[];
}

/** Values named like these complete file names. */
const FILE_VALUES = new Set(['file', 'report']);

/** The placeholder of `--output <file>` or `<rule-id>`: `file`, `rule-id`. */
function placeholderOf(flags: string): string | undefined {
  return /[<[]([^>\]]+?)(\.\.\.)?[>\]]/.exec(flags)?.[1];
}

function valueKind(placeholder: string | undefined, choices: readonly string[] | undefined, extra: Readonly<Record<string, readonly string[]>>): ValueKind {
  if (choices?.length) return { kind: 'choices', choices };
  if (placeholder !== undefined && extra[placeholder]) return { kind: 'choices', choices: extra[placeholder] };
  if (placeholder !== undefined && FILE_VALUES.has(placeholder)) return { kind: 'file' };
  return { kind: 'none' };
}

/** A help text without its asides (parentheses, after a semicolon), short enough for a completion menu. */
function shortDescription(text: string): string {
  const first = text.replace(/\s*\([^)]*\)/g, '').split(';')[0]?.trim() ?? '';
  return first.length > 80 ? `${first.slice(0, 77)}...` : first;
}

function optionSpec(option: Option, extra: Readonly<Record<string, readonly string[]>>): OptionSpec {
  const takesValue = option.required || option.optional;
  return {
    ...(option.short && { short: option.short }),
    ...(option.long && { long: option.long }),
    description: shortDescription(option.description),
    ...(takesValue && { value: valueKind(placeholderOf(option.flags), option.argChoices, extra) }),
    // The help text of every repeatable option says so ("repeatable"): commander keeps no other mark of it.
    repeatable: /\brepeatable\b/.test(option.description),
  };
}

const HELP_OPTION: OptionSpec = { short: '-h', long: '--help', description: 'display help', repeatable: false };

/**
 * The completion model of `program`. `extra` gives the choices of values commander has no
 * list for, by placeholder name (e.g. `rule-id`: the rule ids).
 */
export function completionSpec(program: Command, extra: Readonly<Record<string, readonly string[]>> = {}): CompletionSpec {
  const commands: CommandSpec[] = program.commands.map((command) => {
    const argument = command.registeredArguments[0];
    return {
      name: command.name(),
      description: shortDescription(command.description()),
      options: [...command.options.filter((option) => !option.hidden).map((option) => optionSpec(option, extra)), HELP_OPTION],
      ...(argument && { argument: valueKind(argument.name(), argument.argChoices, extra) }),
    };
  });
  // Commander's implicit `help [command]`.
  commands.push({ name: 'help', description: 'display help for a command', options: [], argument: { kind: 'choices', choices: commands.map((c) => c.name) } });
  return {
    program: program.name(),
    globalOptions: [...program.options.filter((option) => !option.hidden).map((option) => optionSpec(option, extra)), HELP_OPTION],
    commands,
  };
}

export function completionScript(spec: CompletionSpec, shell: Shell): string {
  switch (shell) {
    case 'bash':
      return bashScript(spec);
    case 'zsh':
      return zshScript(spec);
    case 'fish':
      return fishScript(spec);
  }
}

// ---------------------------------------------------------------- bash

const flagsOf = (option: OptionSpec) => [option.short, option.long].filter((flag): flag is string => flag !== undefined);

/** A word list for compgen -W, single-quoted (the words are option names, commands and ids: no quotes in them). */
const words = (list: readonly string[]) => `'${list.join(' ')}'`;

function bashValueCase(options: readonly OptionSpec[], indent: string): string[] {
  const lines: string[] = [];
  for (const option of options) {
    if (!option.value) continue;
    const pattern = flagsOf(option).join('|');
    const value = option.value;
    const action =
      value.kind === 'choices'
        ? `COMPREPLY=($(compgen -W ${words(value.choices)} -- "$cur"))`
        : value.kind === 'file'
          ? 'compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur"))'
          : 'COMPREPLY=()';
    lines.push(`${indent}${pattern}) ${action}; return ;;`);
  }
  return lines;
}

function bashArgument(argument: ValueKind | undefined): string {
  if (argument?.kind === 'choices') return `COMPREPLY=($(compgen -W ${words(argument.choices)} -- "$cur"))`;
  if (argument?.kind === 'file') return 'compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur"))';
  return 'COMPREPLY=()';
}

function bashScript(spec: CompletionSpec): string {
  const fn = `_${spec.program.replace(/\W/g, '_')}_completion`;
  const globalFlags = spec.globalOptions.flatMap(flagsOf);
  const commandCases = spec.commands.flatMap((command) => [
    `    ${command.name})`,
    '      case "$prev" in',
    ...bashValueCase(command.options, '        '),
    '      esac',
    `      if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W ${words(command.options.flatMap(flagsOf))} -- "$cur")); else ${bashArgument(command.argument)}; fi`,
    '      ;;',
  ]);
  return [
    `# ${spec.program} completion for bash, generated by \`${spec.program} completion bash\`.`,
    `# Load it with: source <(${spec.program} completion bash)`,
    `${fn}() {`,
    '  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" command="" i',
    '  # --opt=value: bash splits at "=", so the option is two words back.',
    '  if [[ "$cur" == "=" ]]; then cur=""; elif [[ "$prev" == "=" ]]; then prev="${COMP_WORDS[COMP_CWORD-2]}"; fi',
    '  # The command: the first word that is not an option (no global option takes a value).',
    '  for ((i = 1; i < COMP_CWORD; i++)); do',
    '    if [[ "${COMP_WORDS[i]}" != -* ]]; then command="${COMP_WORDS[i]}"; break; fi',
    '  done',
    '  case "$command" in',
    '    "")',
    `      if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W ${words(globalFlags)} -- "$cur")); else COMPREPLY=($(compgen -W ${words(spec.commands.map((c) => c.name))} -- "$cur")); fi`,
    '      ;;',
    ...commandCases,
    '  esac',
    '}',
    `complete -F ${fn} ${spec.program}`,
    '',
  ].join('\n');
}

// ---------------------------------------------------------------- zsh

/** Text inside an _arguments spec's [description] or a _describe entry, inside single quotes. */
function zshText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/([[\]:])/g, '\\$1').replace(/'/g, "'\\''");
}

function zshValueAction(value: ValueKind): string {
  if (value.kind === 'choices') return `(${value.choices.join(' ')})`;
  if (value.kind === 'file') return '_files';
  return ' ';
}

function zshOptionSpecs(option: OptionSpec): string[] {
  const flags = flagsOf(option);
  const exclusive = !option.repeatable && flags.length > 1 ? `(${flags.join(' ')})` : '';
  const star = option.repeatable ? '*' : '';
  const value = option.value ? `:${placeholderName(option)}:${zshValueAction(option.value)}` : '';
  const equals = option.value ? '=' : '';
  return flags.map((flag) => `'${exclusive}${star}${flag}${flag.startsWith('--') ? equals : ''}[${zshText(option.description)}]${value}'`);
}

function placeholderName(option: OptionSpec): string {
  return option.value?.kind === 'file' ? 'file' : 'value';
}

function zshArgumentSpec(argument: ValueKind | undefined): string[] {
  if (!argument) return [];
  return [`'*:argument:${zshValueAction(argument)}'`];
}

function zshScript(spec: CompletionSpec): string {
  const fn = `_${spec.program.replace(/\W/g, '_')}`;
  const commandEntries = spec.commands.map((command) => `'${zshText(command.name)}:${zshText(command.description)}'`);
  const commandCases = spec.commands.flatMap((command) => [
    `        ${command.name})`,
    '          _arguments -s \\',
    ...[...command.options.flatMap(zshOptionSpecs), ...zshArgumentSpec(command.argument)].map((line) => `            ${line} \\`),
    '            && ret=0',
    '          ;;',
  ]);
  return [
    `#compdef ${spec.program}`,
    `# ${spec.program} completion for zsh, generated by \`${spec.program} completion zsh\`.`,
    `# Load it with: source <(${spec.program} completion zsh)  (after compinit), or save it as ${fn} in a directory of $fpath.`,
    `${fn}() {`,
    '  local context state state_descr line ret=1',
    '  typeset -A opt_args',
    '  _arguments -C \\',
    ...spec.globalOptions.flatMap(zshOptionSpecs).map((line) => `    ${line} \\`),
    "    '1: :->command' \\",
    "    '*:: :->argument' \\",
    '    && ret=0',
    '  case $state in',
    '    command)',
    `      local -a commands=(${commandEntries.join(' ')})`,
    `      _describe -t commands '${spec.program} command' commands && ret=0`,
    '      ;;',
    '    argument)',
    '      case $words[1] in',
    ...commandCases,
    '      esac',
    '      ;;',
    '  esac',
    '  return ret',
    '}',
    `if [[ "\${zsh_eval_context[-1]}" == loadautofunc ]]; then`,
    `  ${fn} "$@"`,
    'else',
    `  compdef ${fn} ${spec.program}`,
    'fi',
    '',
  ].join('\n');
}

// ---------------------------------------------------------------- fish

function fishQuote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function fishOption(program: string, condition: string, option: OptionSpec): string {
  const parts = [`complete -c ${program} -n ${fishQuote(condition)}`];
  if (option.short) parts.push(`-s ${option.short.slice(1)}`);
  if (option.long) parts.push(`-l ${option.long.slice(2)}`);
  if (option.value?.kind === 'choices') parts.push(`-x -a ${fishQuote(option.value.choices.join(' '))}`);
  else if (option.value?.kind === 'file') parts.push('-r -F');
  else if (option.value) parts.push('-x');
  parts.push(`-d ${fishQuote(option.description)}`);
  return parts.join(' ');
}

function fishScript(spec: CompletionSpec): string {
  const { program } = spec;
  const lines = [
    `# ${program} completion for fish, generated by \`${program} completion fish\`.`,
    `# Load it with: ${program} completion fish | source  (or save it as ~/.config/fish/completions/${program}.fish)`,
    `complete -c ${program} -e`,
    `complete -c ${program} -f`,
    ...spec.globalOptions.map((option) => fishOption(program, '__fish_use_subcommand', option)),
    ...spec.commands.map((command) => `complete -c ${program} -n '__fish_use_subcommand' -a ${command.name} -d ${fishQuote(command.description)}`),
  ];
  for (const command of spec.commands) {
    const condition = `__fish_seen_subcommand_from ${command.name}`;
    lines.push(...command.options.map((option) => fishOption(program, condition, option)));
    if (command.argument?.kind === 'choices') lines.push(`complete -c ${program} -n ${fishQuote(condition)} -x -a ${fishQuote(command.argument.choices.join(' '))}`);
    if (command.argument?.kind === 'file') lines.push(`complete -c ${program} -n ${fishQuote(condition)} -F`);
  }
  lines.push('');
  return lines.join('\n');
}
