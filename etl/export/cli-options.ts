/** `--name value` options of the etl CLI commands, checked against the names a command knows. */
export function readOptions(
  args: readonly string[],
  known: readonly string[],
): { options: Record<string, string>; rest: string[] } {
  const options: Record<string, string> = {};
  const rest: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const a = args[i]!;
    if (!a.startsWith('--')) {
      rest.push(a);
      continue;
    }
    const [name, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
    if (!known.includes(name))
      throw new Error(`unknown option --${name}; known: ${known.map((k) => `--${k}`).join(', ')}`);
    const value = inline ?? args[++i];
    if (value === undefined || value.startsWith('--')) throw new Error(`option --${name} needs a value`);
    options[name] = value;
  }
  return { options, rest };
}
