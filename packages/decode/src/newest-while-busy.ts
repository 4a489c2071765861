import { defer, Observable, type ObservableInput, type OperatorFunction, Subscription } from 'rxjs';

/**
 * Runs `project` on one value at a time; values that arrive while it is busy overwrite a
 * single pending slot, so the newest one runs next and the others are dropped (and counted).
 *
 * This is how a camera meets a slow detector: memory stays bounded at one waiting frame per
 * camera and latency never grows, unlike `concatMap` (unbounded queue) or `exhaustMap`
 * (runs a stale frame next).
 *
 * ## Example
 * ```ts
 * frames$.pipe(newestWhileBusy((frame) => detector.run(frame), { onDrop: () => drops++ }));
 * ```
 */
export function newestWhileBusy<T, R>(
  project: (value: T) => ObservableInput<R>,
  options: { readonly onDrop?: (dropped: T) => void } = {},
): OperatorFunction<T, R> {
  return (source) =>
    new Observable<R>((subscriber) => {
      const inner = new Subscription();
      let busy = false;
      let pending: { value: T } | undefined;
      let sourceDone = false;

      const run = (value: T): void => {
        busy = true;
        inner.add(
          // defer: a synchronous throw in `project` becomes an error of this stream, not an uncaught exception.
          defer(() => project(value)).subscribe({
            next: (result) => subscriber.next(result),
            error: (error: unknown) => subscriber.error(error),
            complete: () => {
              busy = false;
              const next = pending;
              pending = undefined;
              if (next) run(next.value);
              else if (sourceDone) subscriber.complete();
            },
          }),
        );
      };

      const outer = source.subscribe({
        next: (value) => {
          if (!busy) return run(value);
          if (pending) options.onDrop?.(pending.value);
          pending = { value };
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          sourceDone = true;
          if (!busy) subscriber.complete();
        },
      });
      return () => {
        outer.unsubscribe();
        inner.unsubscribe();
      };
    });
}
