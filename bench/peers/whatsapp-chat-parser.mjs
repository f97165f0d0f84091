// Parses WhatsApp exports with the npm `whatsapp-chat-parser` (Pustur, 4.0.2) and prints the
// message count, for bench/run.sh --peers. Usage: node whatsapp-chat-parser.mjs FILE|DIR...
// Run it from the folder where `npm i whatsapp-chat-parser@4.0.2` was done (run.sh copies it there).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseString } from 'whatsapp-chat-parser';

const files = [];
for (const arg of process.argv.slice(2)) {
  if (statSync(arg).isDirectory()) {
    for (const name of readdirSync(arg).sort()) {
      if (name.endsWith('.txt')) files.push(join(arg, name));
    }
  } else {
    files.push(arg);
  }
}
if (files.length === 0) {
  console.error('usage: node whatsapp-chat-parser.mjs FILE|DIR...');
  process.exit(2);
}
let messages = 0;
const t0 = process.hrtime.bigint();
for (const file of files) {
  messages += parseString(readFileSync(file, 'utf8')).length;
}
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
console.log(`messages=${messages} files=${files.length} read_and_parse_ms=${ms.toFixed(0)}`);
