// A counting semaphore: the global cap on checks in flight.

/** A FIFO counting semaphore. */
export class Semaphore {
  private free: number;
  private readonly waiters: (() => void)[] = [];

  constructor(readonly capacity: number) {
    this.free = Math.max(1, Math.floor(capacity));
  }

  /** Resolves when a slot is held; call the returned function exactly once to give it back. */
  acquire(): Promise<() => void> {
    return new Promise((resolve) => {
      const grant = (): void => {
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.release();
        });
      };
      if (this.free > 0) {
        this.free -= 1;
        grant();
      } else {
        this.waiters.push(() => grant());
      }
    });
  }

  /** Slots held right now. */
  get inUse(): number {
    return Math.max(1, Math.floor(this.capacity)) - this.free;
  }

  /** Acquirers waiting for a slot. */
  get queued(): number {
    return this.waiters.length;
  }

  private release(): void {
    const next = this.waiters.shift();
    if (next !== undefined) next();
    else this.free += 1;
  }
}
