/**
 * The one glob the config file uses on resource names and ARNs: `*` matches any run of
 * characters, `/` and `:` included (ARNs are not paths, so picomatch's path semantics
 * would make `arn:aws:*:targetgroup/api-*` miss the id after the last `/`), `?` one
 * character. Case-sensitive, as ARNs and names are.
 */
export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** True when the glob matches any of the values (typically a resource's ARN and its name). */
export function matchesGlob(glob: string, ...values: readonly string[]): boolean {
  const pattern = globToRegExp(glob);
  return values.some((value) => pattern.test(value));
}
