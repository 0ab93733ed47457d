import { safeStderrText } from '../text-safety.js';
import { main } from './main.js';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`lbcheck: internal error: ${safeStderrText(String(error))}\n`);
    process.exit(2);
  },
);
