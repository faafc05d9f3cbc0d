/** A study's free-text note; `version` counts saves, so two people editing at once cannot overwrite each other unseen. */
export interface StudyNote {
  readonly text: string;
  /** 0 before the first save. */
  readonly version: number;
  /** When it was last saved (ms), or null before the first save. */
  readonly updatedAt: number | null;
}

/** What `setStudyNote` did: `saved` is false when the stored version was not the expected one (nothing written). */
export interface NoteSave {
  readonly saved: boolean;
  /** The stored note after the call: the new one when saved, the one that was in the way when not. */
  readonly note: StudyNote;
}

/** The note of a study nobody has written one for. */
export const EMPTY_NOTE: StudyNote = { text: '', version: 0, updatedAt: null };
