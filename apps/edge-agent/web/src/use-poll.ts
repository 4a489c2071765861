import { useEffect, useState } from 'preact/hooks';

/** `load()`'s latest answer, asked again every `periodMs`; the error of the last failed ask, if any. */
export function usePoll<T>(
  load: () => Promise<T>,
  periodMs: number,
  key: string,
): { value?: T; error?: string } {
  const [state, setState] = useState<{ value?: T; error?: string }>({});
  useEffect(() => {
    let live = true;
    const ask = () =>
      load().then(
        (value) => live && setState({ value }),
        (err: Error) => live && setState((s) => ({ ...s, error: err.message })),
      );
    ask();
    const timer = setInterval(ask, periodMs);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [key]);
  return state;
}
