import { useState } from "react";

export interface Action<A extends unknown[]> {
  /** Runs the work; its error is kept in `error` (shown with <ProblemMessage>), never thrown. */
  run: (...args: A) => Promise<void>;
  busy: boolean;
  error: unknown;
  setError: (error: unknown) => void;
}

/**
 * The one way a button or form changes something: `busy` while the work runs (disable the button),
 * the error it ended with, cleared when it runs again.
 */
export function useAction<A extends unknown[]>(work: (...args: A) => Promise<unknown>): Action<A> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function run(...args: A) {
    setBusy(true);
    setError(null);
    try {
      await work(...args);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return { run, busy, error, setError };
}
