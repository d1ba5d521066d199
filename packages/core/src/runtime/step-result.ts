/** What one pass of work achieved, and when something next falls due. @internal */
export interface StepResult {
  progressed: boolean;
  /** Epoch ms at which timed work next falls due, if any. */
  nextAt?: number;
}

/** The result of a pass that committed something (look again at once). @internal */
export const progressed: StepResult = { progressed: true };
