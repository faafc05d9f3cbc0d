export { LIMITS } from './limits.js';
export * from './schema.js';
export { compileSpace, allNodes, type CompiledSpace, type ParamNode } from './compile.js';
export { walkActive, nestParams } from './params.js';
export { sampleDistribution, gridValues, snapToStep } from './distributions.js';
export { parseStudy, loadStudyFile, resolveStudyPaths, type LoadedStudyFile } from './load.js';
export { formatIssues, formatPath } from './errors.js';
export { studyJsonSchema, studyJsonSchemaText } from './json-schema.js';
export { checkSpaceLimits } from './space-limits.js';
