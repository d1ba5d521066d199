import { Handover } from '../../model/handover.js';
import type { EngineContext } from '../../runtime/context.js';
import { KIND, readAs } from '../../runtime/records.js';

/** The id of a project's handover record in an environment. @internal */
export const handoverId = (environment: string, project: string) => `${environment}/${project}`;

/** A project's handover record in an environment, or `null`. @internal */
export const readHandover = (context: EngineContext, environment: string, project: string) =>
  readAs(context, KIND.handover, handoverId(environment, project), Handover);
