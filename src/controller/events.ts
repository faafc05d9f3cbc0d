import { EventEmitter } from 'node:events';
import type { Metrics, StudyState, TrialRecord } from '../core/types.js';
import type { Decision } from '../schedulers/scheduler.js';

/** Why a search loop stopped starting trials. */
export type StopReason = 'trials' | 'exhausted' | 'timeout' | 'target' | 'failures' | 'aborted';

/** Everything a study announces while it runs, keyed by event name. */
export interface StudyEventMap {
  trialStart: { readonly trial: TrialRecord };
  /** A trained model's epoch starts (`epoch` of at most `epochs`); objectives announce only their reports. */
  trialEpoch: { readonly trial: TrialRecord; readonly epoch: number; readonly epochs: number };
  trialReport: { readonly trial: TrialRecord; readonly step: number; readonly metrics: Metrics; readonly decision: Decision };
  trialEnd: { readonly trial: TrialRecord; readonly best: TrialRecord | null };
  studyEnd: { readonly reason: StopReason; readonly state: StudyState };
}

/**
 * A typed event emitter: `study.events.on('trialEnd', ({ trial }) => …)` is checked against {@link StudyEventMap}.
 * A listener that throws cannot break the study; its error is reported on `listenerError`.
 */
export class StudyEvents {
  private readonly emitter = new EventEmitter();

  on<K extends keyof StudyEventMap>(event: K, listener: (payload: StudyEventMap[K]) => void): () => void {
    const safe = (payload: StudyEventMap[K]) => {
      try {
        listener(payload);
      } catch (error) {
        this.emitter.emit('listenerError', error);
      }
    };
    this.emitter.on(event, safe);
    return () => this.emitter.off(event, safe);
  }

  emit<K extends keyof StudyEventMap>(event: K, payload: StudyEventMap[K]): void {
    this.emitter.emit(event, payload);
  }
}
