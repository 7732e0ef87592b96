/**
 * A set of listeners that one call owns. `add` returns the unsubscribe function; `clear`
 * drops them all when the call ends, so nothing keeps a finished call alive.
 */
export class ListenerSet<T> {
  private readonly listeners = new Set<(value: T) => void>();

  add(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Calls each listener; one that throws does not stop the others. */
  emit(value: T, onError: (err: unknown) => void): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (err) {
        onError(err);
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }

  get size(): number {
    return this.listeners.size;
  }
}
