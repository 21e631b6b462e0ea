/** A small, strict command-line parser shared by every sub-command. */
export interface ParsedArgs {
  positional: string[];
  /** Every value given for each option, in order (repeatable options such as --kernel keep all). */
  options: Map<string, string[]>;
  flags: Set<string>;
}

export class UsageError extends Error {}

/**
 * Parses argv against the options a command accepts: `valued` take one value (`--x v` or `--x=v`),
 * `boolean` take none. Unknown options are a UsageError naming the option.
 */
export function parseArgs(argv: string[], valued: string[], boolean: string[] = []): ParsedArgs {
  const out: ParsedArgs = { positional: [], options: new Map(), flags: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-' || !a.startsWith('--')) {
      out.positional.push(a);
      continue;
    }
    if (a === '--') {
      out.positional.push(...argv.slice(i + 1));
      break;
    }
    const eq = a.indexOf('=');
    const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
    if (boolean.includes(name)) {
      if (eq >= 0) throw new UsageError(`option --${name} takes no value`);
      out.flags.add(name);
    } else if (valued.includes(name)) {
      const value = eq >= 0 ? a.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new UsageError(`option --${name} needs a value`);
      const list = out.options.get(name) ?? [];
      list.push(value);
      out.options.set(name, list);
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  return out;
}

/** The last value of an option, or the default. */
export function option(args: ParsedArgs, name: string, fallback?: string): string | undefined {
  const list = args.options.get(name);
  return list && list.length ? list[list.length - 1] : fallback;
}

/** An option restricted to a set of values. */
export function choice<T extends string>(
  args: ParsedArgs,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const v = option(args, name, fallback) as string;
  if (!(allowed as readonly string[]).includes(v)) {
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')} (got "${v}")`);
  }
  return v as T;
}

/** A positive integer option. */
export function intOption(
  args: ParsedArgs,
  name: string,
  fallback: number,
  min = 1,
  max = 1_000_000,
): number {
  const v = option(args, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (got "${v}")`);
  }
  return n;
}
