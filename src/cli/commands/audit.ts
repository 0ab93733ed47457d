import { LbcheckError } from '../errors.js';

export async function run(..._args: unknown[]): Promise<number> {
  throw new LbcheckError('audit: not implemented yet');
}
