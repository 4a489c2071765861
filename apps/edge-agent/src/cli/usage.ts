import { type CliOption, COMMAND_SPECS, type CommandSpec } from './command-options.js';

const SYNOPSIS_WIDTH = 100;

/** `--name <value>`, or `-c, --name <value>` in the option list. */
function flagText(name: string, option: CliOption): string {
  return option.type === 'string' ? `--${name} ${option.value ?? '<value>'}` : `--${name}`;
}

/** `edge-agent run [--config <file>] [--source <id>=<url> …] …`, wrapped under the command name. */
export function synopsis(spec: CommandSpec): string {
  const head = `  edge-agent ${spec.name}${spec.subcommand ? ` ${spec.subcommand}` : ''}`;
  const words = Object.entries(spec.options).map(([name, option]) => {
    const flag = `${flagText(name, option)}${option.multiple ? ' …' : ''}`;
    return option.required ? flag : `[${flag}]`;
  });
  if (spec.operands) words.push(spec.operands);
  const indent = ' '.repeat(head.length + 1);
  const lines = [head];
  for (const word of words) {
    const last = lines.length - 1;
    if (`${lines[last]} ${word}`.length > SYNOPSIS_WIDTH && lines[last] !== head)
      lines.push(`${indent}${word}`);
    else lines[last] = `${lines[last]} ${word}`;
  }
  return lines.join('\n');
}

function summaryLines(spec: CommandSpec): string {
  return spec.summary
    .split('\n')
    .map((line) => `      ${line}`)
    .join('\n');
}

/** `edge-agent --help`: every command's synopsis and summary. The README's CLI reference says more. */
export const USAGE = `edge-agent — rxvision video analytics for edge boxes

Usage:
${COMMAND_SPECS.map((spec) => `${synopsis(spec)}\n${summaryLines(spec)}`).join('\n')}

  edge-agent --version · edge-agent <command> --help
      The version; one command's usage and every option it takes.

Exit codes: 0 ok, 1 failure (invalid config, unreadable input), 2 bad command line.
`;

/** `edge-agent <command> --help`: the synopsis, the summary and one line per option. */
export function commandUsage(command: string): string {
  const spec = COMMAND_SPECS.find((s) => s.name === command);
  if (!spec) return USAGE;
  const rows = Object.entries(spec.options).map(([name, option]) => {
    const flag = `${option.short ? `-${option.short}, ` : '    '}${flagText(name, option)}`;
    const notes = `${option.multiple ? ' Repeatable.' : ''}${option.required ? ' Required.' : ''}`;
    return { flag, about: `${option.about}${notes}` };
  });
  rows.push({ flag: '-h, --help', about: 'This usage.' });
  const width = Math.max(...rows.map((r) => r.flag.length));
  const options = rows.map((r) => `  ${r.flag.padEnd(width)}  ${r.about}`).join('\n');
  return `Usage:\n${synopsis(spec)}\n${summaryLines(spec)}\n\nOptions:\n${options}\n`;
}
