/**
 * Tokenizer corpora as text: documents are paragraphs separated by blank lines (the
 * `engine init --corpus` file format), and a sample set becomes such a text through its
 * LoopTool `{instruction, input, output}` records, one record per paragraph.
 */
import { sampleToLoopTool } from '../core/convert/looptool.ts';
import type { Sample } from '../core/types.ts';

/** One document per paragraph: blank lines separate documents. */
export function splitCorpus(text: string): string[] {
  return text.split(/\n\s*\n/).filter((d) => d.trim() !== '');
}

/** The corpus file text for samples: each one's LoopTool record as `instruction\ninput\noutput`. */
export function loopToolCorpusText(samples: readonly Sample[]): string {
  return samples
    .map((s) => {
      const r = sampleToLoopTool(s);
      return `${r.instruction}\n${r.input}\n${r.output}`;
    })
    .join('\n\n');
}
