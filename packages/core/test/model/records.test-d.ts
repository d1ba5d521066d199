import type {
  Actor,
  BundleRecord,
  Deployment,
  EnvironmentRecord,
  JournalEntry,
  ScenarioRun,
  StepReport,
} from '@railyard/core';
import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { Actor as ActorSchema } from '#internal/model/actor.js';
import type { BundleRecord as BundleRecordSchema } from '#internal/model/bundle.js';
import type { Deployment as DeploymentSchema } from '#internal/model/deployment.js';
import type { EnvironmentRecord as EnvironmentRecordSchema } from '#internal/model/environment.js';
import type { JournalEntry as JournalEntrySchema } from '#internal/model/journal.js';
import type { ScenarioRun as ScenarioRunSchema, StepReport as StepReportSchema } from '#internal/model/scenario-run.js';

// The public records are written out as named interfaces; the zod schemas that validate them must
// produce exactly those types, or a field added to one and not the other would go unnoticed.
describe('public record types equal what their schemas produce', () => {
  it('Deployment', () => {
    expectTypeOf<z.output<typeof DeploymentSchema>>().toEqualTypeOf<Deployment>();
  });
  it('EnvironmentRecord', () => {
    expectTypeOf<z.output<typeof EnvironmentRecordSchema>>().toEqualTypeOf<EnvironmentRecord>();
  });
  it('ScenarioRun and StepReport', () => {
    expectTypeOf<z.output<typeof ScenarioRunSchema>>().toEqualTypeOf<ScenarioRun>();
    expectTypeOf<z.output<typeof StepReportSchema>>().toEqualTypeOf<StepReport>();
  });
  it('BundleRecord', () => {
    expectTypeOf<z.output<typeof BundleRecordSchema>>().toEqualTypeOf<BundleRecord>();
  });
  it('JournalEntry', () => {
    expectTypeOf<z.output<typeof JournalEntrySchema>>().toEqualTypeOf<JournalEntry>();
  });
  it('Actor', () => {
    expectTypeOf<z.output<typeof ActorSchema>>().toEqualTypeOf<Actor>();
  });
});
