import packageJson from '../package.json' with { type: 'json' };

export const TOOL_NAME = 'lbcheck' as const;
export const VERSION: string = packageJson.version;
