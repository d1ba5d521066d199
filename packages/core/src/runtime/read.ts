/** A value read from the store with the version to write it back at. @internal */
export interface Read<T> {
  value: T;
  version: number;
}
