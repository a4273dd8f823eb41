/** Whether a directory holds a whole 🤗 model: `config.json` and the weights in one of the layouts `from_pretrained` loads. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const WEIGHTS = ['model.safetensors', 'model.safetensors.index.json', 'pytorch_model.bin', 'pytorch_model.bin.index.json'];

export function isHfModelDir(dir: string): boolean {
  return existsSync(join(dir, 'config.json')) && WEIGHTS.some((name) => existsSync(join(dir, name)));
}
