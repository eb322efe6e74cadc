// The sequence model (issue 10 §2): transitions between endpoint templates learned from all
// traffic, per service and kind of client, with smoothing; a session's likelihood; behaviour
// clusters. Placeholder until the model lands: it reports nothing.
import type { ActorSignal, Analyzer, EngineEvent } from './types';

export class SequenceAnalyzer implements Analyzer {
  readonly name = 'sequence';

  observe(_e: EngineEvent): void {}

  collect(_watermark: number): ActorSignal[] {
    return [];
  }
}
