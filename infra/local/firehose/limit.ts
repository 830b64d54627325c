// Runs async jobs at most `n` at a time, in the order they were queued (recovery must not burst the loader or memory).

/** Queues `job`; it starts once fewer than `n` queued jobs are running. Resolves/rejects as the job does. */
export type Limited = <T>(job: () => Promise<T>) => Promise<T>;

/** A limiter of `n` (≥ 1) concurrent jobs. */
export function limit(n: number): Limited {
  let running = 0;
  const waiting: Array<() => void> = [];
  const next = () => {
    if (running >= n) return;
    const start = waiting.shift();
    if (start) {
      running++;
      start();
    }
  };
  return <T>(job: () => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      waiting.push(() => {
        job()
          .then(resolve, reject)
          .finally(() => {
            running--;
            next();
          });
      });
      next();
    });
}
