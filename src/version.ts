import packageJson from '../package.json' with { type: 'json' };

export const TOOL_NAME = 'lbcheck' as const;
export const VERSION: string = packageJson.version;

/** The project's web page, from package.json `repository` (a string or `{ url }`); undefined while it has none, so no report links to a page that does not exist. */
export function projectUrl(repository: unknown): string | undefined {
  const url = typeof repository === 'string' ? repository : (repository as { url?: unknown } | undefined)?.url;
  if (typeof url !== 'string' || url.trim() === '') return undefined;
  const github = /^github:(.+)$/.exec(url) ?? /^([\w.-]+\/[\w.-]+)$/.exec(url);
  if (github?.[1]) return `https://github.com/${github[1]}`;
  return url.replace(/^git\+/, '').replace(/\.git$/, '');
}

export const PROJECT_URL: string | undefined = projectUrl((packageJson as { repository?: unknown }).repository);
