/** The analysis pipeline: decode, per-capture stats, detection, correlation, assembly. */
export { AnalysisPipeline, type PipelineOptions, type PipelineEnd, type PipelineIncidentListener } from './analysis-pipeline.js';
