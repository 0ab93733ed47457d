import { escapeControlCharacters } from '../text-safety.js';
import { main } from './main.js';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`lbcheck: internal error: ${escapeControlCharacters(String(error))}\n`);
    process.exit(2);
  },
);
