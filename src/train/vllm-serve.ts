/** The command that serves a trained 🤗 model for the next round's probe: vLLM with Hermes tool calls, as LoopTool's Qwen models speak. */
import { shellLine } from './shell-words.ts';

export function vllmServeCommand(modelDir: string, servedName: string, port: number): string {
  return shellLine(['vllm', 'serve', modelDir, '--served-model-name', servedName, '--enable-auto-tool-choice', '--tool-call-parser', 'hermes', '--port', String(port)]);
}
