import { IllegalTransitionError, ValidationError } from '../errors/errors.js';

/** One state of a machine: its outgoing transitions by event, and whether it is final. */
export interface StateConfig<TState extends string = string, TEvent extends string = string> {
  readonly on?: { readonly [E in TEvent]?: TState };
  readonly terminal?: boolean;
  readonly description?: string;
}

/** A machine's transition table. Declare it `as const satisfies MachineConfig` so typos do not compile. */
export interface MachineConfig<TState extends string = string, TEvent extends string = string> {
  readonly id: string;
  readonly initial: TState;
  readonly states: { readonly [S in TState]: StateConfig<TState, TEvent> };
}

/** The states of a machine config. */
export type StatesOf<TConfig extends MachineConfig> = keyof TConfig['states'] & string;
/** The events legal in a state (for a union of states, only those legal in all of them). */
export type EventsFrom<TConfig extends MachineConfig, TState extends StatesOf<TConfig>> = keyof NonNullable<
  TConfig['states'][TState]['on']
> &
  string;
/** Every event of a machine. */
export type EventsOf<TConfig extends MachineConfig> = {
  [S in StatesOf<TConfig>]: EventsFrom<TConfig, S>;
}[StatesOf<TConfig>];
/** The state an event leads to from a state. */
export type TargetOf<
  TConfig extends MachineConfig,
  TState extends StatesOf<TConfig>,
  TEvent extends EventsFrom<TConfig, TState>,
> = NonNullable<TConfig['states'][TState]['on']>[TEvent] & string;

/**
 * A typed state machine: a transition table plus pure queries over it. It holds no state.
 *
 * @example
 * ```ts
 * const door = defineMachine({
 *   id: 'door', initial: 'closed',
 *   states: { closed: { on: { open: 'open' } }, open: { on: { close: 'closed' } } },
 * } as const);
 * door.next('closed', 'open'); // 'open'
 * // door.next('closed', 'close'); // does not compile
 * ```
 */
export interface Machine<TConfig extends MachineConfig> {
  readonly config: TConfig;
  readonly id: string;
  readonly states: readonly StatesOf<TConfig>[];
  /** The target of a legal move; illegal moves do not compile (and throw if forced at run time). */
  next<TState extends StatesOf<TConfig>, TEvent extends EventsFrom<TConfig, TState>>(
    state: TState,
    event: TEvent,
  ): TargetOf<TConfig, TState, TEvent>;
  /** The target of a move decided at run time, or `undefined` when it is illegal. */
  tryNext(state: StatesOf<TConfig>, event: EventsOf<TConfig>): StatesOf<TConfig> | undefined;
  can(state: StatesOf<TConfig>, event: EventsOf<TConfig>): boolean;
  /** The events legal in a state. */
  events(state: StatesOf<TConfig>): EventsOf<TConfig>[];
  isTerminal(state: StatesOf<TConfig>): boolean;
}

/**
 * Builds a {@link Machine} from a transition table, checking at run time that every target exists.
 *
 * @example
 * ```ts
 * const light = defineMachine({ id: 'light', initial: 'off', states: { off: { on: { flip: 'on' } }, on: { on: { flip: 'off' } } } } as const);
 * ```
 */
export function defineMachine<const TConfig extends MachineConfig>(config: TConfig): Machine<TConfig> {
  type S = StatesOf<TConfig>;
  type E = EventsOf<TConfig>;
  const states = Object.keys(config.states) as S[];
  const table = config.states as Record<string, StateConfig>;
  if (!(config.initial in table))
    throw new ValidationError(
      `machine ${config.id}: unknown initial state "${config.initial}"; name one of the states in "initial".`,
    );
  for (const [state, node] of Object.entries(table)) {
    for (const [event, target] of Object.entries(node.on ?? {})) {
      if (target === undefined || !(target in table)) {
        throw new ValidationError(
          `machine ${config.id}: ${state} --${event}--> unknown state "${String(target)}"; add that state or fix the target.`,
        );
      }
    }
  }
  const tryNext = (state: S, event: E): S | undefined => table[state]?.on?.[event] as S | undefined;
  return {
    config,
    id: config.id,
    states,
    tryNext,
    next(state, event) {
      const target = tryNext(state, event as E);
      if (target === undefined) throw new IllegalTransitionError({ machine: config.id, from: state, event });
      return target as never;
    },
    can: (state, event) => tryNext(state, event) !== undefined,
    events: (state) => Object.keys(table[state]?.on ?? {}) as E[],
    isTerminal: (state) => table[state]?.terminal === true,
  };
}
