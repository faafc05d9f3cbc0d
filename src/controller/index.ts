export { Study, type AskedTrial, type TellInput } from './study.js';
export { runSearch, requireBest, type SearchOptions, type SearchSummary } from './search.js';
export { StudyEvents, type StudyEventMap, type StopReason } from './events.js';
export { taskBuilder, workerTaskBuilder, type TaskFor } from './tasks.js';
export { DUPLICATES_AVOIDED, duplicatesAvoided } from './duplicates.js';
