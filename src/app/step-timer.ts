/**
 * Named steps of a long evaluation, each announced before it starts and timed (seconds, one decimal),
 * so a report can say where its time went.
 * @module
 */
export interface StepTimer {
  timed<T>(step: string, fn: () => Promise<T>): Promise<T>;
  readonly seconds: Readonly<Record<string, number>>;
}

export function stepTimer(onStep: (step: string) => void = () => {}): StepTimer {
  const seconds: Record<string, number> = {};
  return {
    seconds,
    async timed(step, fn) {
      onStep(step);
      const t = performance.now();
      const r = await fn();
      seconds[step] = Math.round((performance.now() - t) / 100) / 10;
      return r;
    },
  };
}
