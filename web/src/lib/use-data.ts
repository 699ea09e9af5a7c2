// Data for a view, refreshed by polling while the tab is visible (the API has no push channel the
// dashboard can rely on; a poll every few seconds keeps a live demo moving and costs little).
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Data<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
}

export function useData<T>(load: () => Promise<T>, deps: unknown[], pollMs = 0): Data<T> {
  const [state, setState] = useState<{ data: T | undefined; error: Error | undefined; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: true,
  });
  const seq = useRef(0);
  const loader = useRef(load);
  loader.current = load;
  const run = useCallback(() => {
    const mine = ++seq.current;
    loader.current().then(
      (data) => {
        if (mine === seq.current) setState({ data, error: undefined, loading: false });
      },
      (error: unknown) => {
        if (mine === seq.current)
          setState((s) => ({
            data: s.data,
            error: error instanceof Error ? error : new Error(String(error)),
            loading: false,
          }));
      },
    );
  }, []);
  useEffect(() => {
    setState((s) => ({ ...s, loading: true }));
    run();
    if (!pollMs) return undefined;
    const timer = window.setInterval(() => {
      if (!document.hidden) run();
    }, pollMs);
    return () => window.clearInterval(timer);
  }, deps);
  return { ...state, reload: run };
}
