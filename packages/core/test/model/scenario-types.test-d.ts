import type {
  ConcurrencyPolicy,
  RunCondition,
  Scenario,
  ScenarioInput,
  ScenarioRecord,
  ScenarioReporter,
  ScenarioStep,
  ScenarioStepInput,
  ScenarioTrigger,
  ScenarioTriggerInput,
} from '@railyard/core';
import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type * as S from '#internal/model/scenario.js';
import type { ScenarioTrigger as TriggerSchema } from '#internal/model/scenario-trigger.js';

// The scenario types are written out as named interfaces; the zod schemas that parse them must
// accept and produce exactly those types, or a field added to one and not the other would go unnoticed.
describe('scenario types equal what their schemas accept and produce', () => {
  it('Scenario and ScenarioInput', () => {
    // Trigger unions mix interfaces and intersections, which toEqualTypeOf cannot compare: both
    // directions of assignability say the same.
    expectTypeOf<z.output<typeof S.Scenario>>().toExtend<Scenario>();
    expectTypeOf<Scenario>().toExtend<z.output<typeof S.Scenario>>();
    expectTypeOf<z.input<typeof S.Scenario>>().toEqualTypeOf<ScenarioInput>();
    expectTypeOf<z.output<typeof S.ScenarioRecord>>().toExtend<ScenarioRecord>();
    expectTypeOf<ScenarioRecord>().toExtend<z.output<typeof S.ScenarioRecord>>();
  });
  it('steps, conditions, reporters and concurrency', () => {
    expectTypeOf<z.output<typeof S.ScenarioStep>>().toEqualTypeOf<ScenarioStep>();
    expectTypeOf<z.input<typeof S.ScenarioStep>>().toEqualTypeOf<ScenarioStepInput>();
    expectTypeOf<z.output<typeof S.RunCondition>>().toEqualTypeOf<RunCondition>();
    expectTypeOf<z.output<typeof S.ScenarioReporter>>().toEqualTypeOf<ScenarioReporter>();
    expectTypeOf<z.output<typeof S.ConcurrencyPolicy>>().toEqualTypeOf<ConcurrencyPolicy>();
  });
  it('triggers', () => {
    expectTypeOf<z.output<typeof TriggerSchema>>().toExtend<ScenarioTrigger>();
    expectTypeOf<ScenarioTrigger>().toExtend<z.output<typeof TriggerSchema>>();
    expectTypeOf<z.input<typeof TriggerSchema>>().toEqualTypeOf<ScenarioTriggerInput>();
  });
});
