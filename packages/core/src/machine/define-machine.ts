import { IllegalTransitionError, ValidationError } from '../errors/errors.js';

/**
 * Where an event leads: a target state, or a target state and the name of the guard that must hold
 * for the move to be legal. The machine names the guard; the transition function that fires the
 * event evaluates it against the record.
 */
export type TransitionConfig<TState extends string = string> =
  | TState
  | {
      /** The state the event leads to. */
      readonly target: TState;
      /** The guard that must hold for the move to be legal. */
      readonly guard: string;
    };

/** One state of a machine: its outgoing transitions by event, and whether it is final. */
export interface StateConfig<TState extends string = string, TEvent extends string = string> {
  /** Where each event legal in this state leads. */
  readonly on?: { readonly [E in TEvent]?: TransitionConfig<TState> };
  /** A final state: no event leaves it. */
  readonly terminal?: boolean;
  /** What the state means, shown in the generated diagrams. */
  readonly description?: string;
}

/** A machine's transition table. Declare it `as const satisfies MachineConfig` so typos do not compile. */
export interface MachineConfig<TState extends string = string, TEvent extends string = string> {
  /** The machine's name, used in errors and diagrams. */
  readonly id: string;
  /** The state a new record starts in. */
  readonly initial: TState;
  /** Every state, by name. */
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
type TargetName<T> = T extends { readonly target: infer TTarget } ? TTarget : T;
/** The state an event leads to from a state. */
export type TargetOf<
  TConfig extends MachineConfig,
  TState extends StatesOf<TConfig>,
  TEvent extends EventsFrom<TConfig, TState>,
> = TargetName<NonNullable<TConfig['states'][TState]['on']>[TEvent]> & string;
/** The names of the guards a machine's transitions name. */
export type GuardsOf<TConfig extends MachineConfig> = {
  [S in StatesOf<TConfig>]: {
    [E in EventsFrom<TConfig, S>]: NonNullable<TConfig['states'][S]['on']>[E] extends {
      /** The guard's name. */
      readonly guard: infer TGuard extends string;
    }
      ? TGuard
      : never;
  }[EventsFrom<TConfig, S>];
}[StatesOf<TConfig>];

/** The shape a table must also have: its initial state and every target name one of its states. */
type KnownStates<TConfig extends MachineConfig> = {
  readonly initial: StatesOf<TConfig>;
  readonly states: {
    readonly [S in keyof TConfig['states']]: {
      readonly on?: { readonly [E in keyof TConfig['states'][S]['on']]?: TransitionConfig<StatesOf<TConfig>> };
    };
  };
};

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
  /** The transition table the machine was built from. */
  readonly config: TConfig;
  /** The machine's name. */
  readonly id: string;
  /** Every state, in the table's order. */
  readonly states: readonly StatesOf<TConfig>[];
  /** The target of a legal move; illegal moves do not compile (and throw if forced at run time). */
  next<TState extends StatesOf<TConfig>, TEvent extends EventsFrom<TConfig, TState>>(
    state: TState,
    event: TEvent,
  ): TargetOf<TConfig, TState, TEvent>;
  /** The target of a move decided at run time, or `undefined` when the table has no such move. */
  tryNext(state: StatesOf<TConfig>, event: EventsOf<TConfig>): StatesOf<TConfig> | undefined;
  /** The guard a move names, if any: the move is legal only when the guard holds. */
  guard(state: StatesOf<TConfig>, event: EventsOf<TConfig>): GuardsOf<TConfig> | undefined;
  /** Whether the table has a move for this event in this state (guards are not evaluated). */
  can(state: StatesOf<TConfig>, event: EventsOf<TConfig>): boolean;
  /** The events legal in a state. */
  events(state: StatesOf<TConfig>): EventsOf<TConfig>[];
  /** Whether the state is final. */
  isTerminal(state: StatesOf<TConfig>): boolean;
}

/**
 * Builds a {@link Machine} from a transition table. A target or initial state that is not one of the
 * table's states does not compile (and throws if forced at run time).
 *
 * @example
 * ```ts
 * const light = defineMachine({ id: 'light', initial: 'off', states: { off: { on: { flip: 'on' } }, on: { on: { flip: 'off' } } } } as const);
 * ```
 */
export function defineMachine<const TConfig extends MachineConfig>(
  config: TConfig & KnownStates<TConfig>,
): Machine<TConfig> {
  type S = StatesOf<TConfig>;
  type E = EventsOf<TConfig>;
  const states = Object.keys(config.states) as S[];
  const table = config.states as Record<string, StateConfig>;
  if (!(config.initial in table))
    throw new ValidationError(
      `machine ${config.id}: unknown initial state "${config.initial}"; name one of the states in "initial".`,
    );
  for (const [state, node] of Object.entries(table)) {
    for (const [event, move] of Object.entries(node.on ?? {})) {
      const target = typeof move === 'object' ? move.target : move;
      if (target === undefined || !(target in table)) {
        throw new ValidationError(
          `machine ${config.id}: ${state} --${event}--> unknown state "${String(target)}"; add that state or fix the target.`,
        );
      }
    }
  }
  const move = (state: S, event: E) => table[state]?.on?.[event];
  const tryNext = (state: S, event: E): S | undefined => {
    const found = move(state, event);
    return (typeof found === 'object' ? found.target : found) as S | undefined;
  };
  return {
    config,
    id: config.id,
    states,
    tryNext,
    guard(state, event) {
      const found = move(state, event);
      return (typeof found === 'object' ? found.guard : undefined) as GuardsOf<TConfig> | undefined;
    },
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
