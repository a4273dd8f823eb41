// Child for the kill test: appends records id 0..N-1 in batches, skipping what the stream already holds.
import { JsonlStream } from '../../src/store/jsonl-stream.ts';

const [path, total, batch] = [process.argv[2]!, Number(process.argv[3]), Number(process.argv[4])];
const { stream } = JsonlStream.open(path);
const pad = 'x'.repeat(200);
for (let i = 0; i < total; i += batch) {
  const records = [];
  for (let j = i; j < Math.min(total, i + batch); j++) if (!stream.has(`r${j}`)) records.push({ id: `r${j}`, value: j, pad });
  stream.append(records);
}
stream.close();
process.stdout.write('finished\n');
