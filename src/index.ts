/**
 * mixsmith's public API. The CLI is a thin layer over exactly these functions.
 *
 * ```ts
 * import { loadRecipe, compose } from 'mixsmith';
 * const loaded = await loadRecipe('recipes/medical.yaml', { set: ['mixture.volume=20000'] });
 * const { manifest } = await compose(loaded, { out: 'out/v20k', force: true });
 * ```
 */
export { loadRecipe, parseRecipe, type LoadRecipeOptions } from './recipe/load.js';
export type {
  LoadedRecipe,
  Recipe,
  SourceSpec,
  MixtureSpec,
  OutputSpec,
  FieldMapping,
  TokenizerSpec,
} from './recipe/types.js';
export { planMixture, type MixturePlan, type PointPlan } from './plan/plan.js';
export { planReport, type PlanReport } from './compose/plan-report.js';
export { compose, type ComposeOptions, type ComposeResult, type ComposedPoint } from './compose/compose.js';
export type { SweepFlag, SweepIndex, SweepPointEntry } from './manifest/sweep-index.js';
export type { ComposeEvent, Phase } from './compose/events.js';
export type { Manifest } from './manifest/manifest.js';
export type { Sample, Message, SampleBody } from './sample.js';
export { MixsmithError, ERROR_CODES, type ErrorCode, type Diagnostic, type Where } from './errors.js';
export { inspectEachSource, inspectSources, type FileFailure, type InspectOutcome } from './inspect/inspect-sources.js';
export type { FileInspection, InspectOptions } from './inspect/inspect-file.js';
export { audit, type AuditOptions } from './audit/audit.js';
export type { AuditResult } from './audit/report.js';
export { diffMixtures, type DiffOptions, type DiffReport } from './diff/diff.js';
export { readResults, type ResultRun, type ResultValue, type ResultsFormat } from './results/read-results.js';
export {
  joinResults,
  type ResultsOptions,
  type ResultsReport,
  type ResultsPoint,
  type ResultsCurve,
  type SaturationReadout,
} from './results/join.js';
export { createTokenCounter, type TokenCounter } from './tokens/token-counter.js';
