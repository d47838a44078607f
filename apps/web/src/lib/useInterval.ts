import { useEffect, useRef } from "react";

/** Calls `callback` every `ms` milliseconds while `ms` is a number (null pauses it): for polling. */
export function useInterval(callback: () => void, ms: number | null): void {
  const latest = useRef(callback);
  latest.current = callback;
  useEffect(() => {
    if (ms === null) return;
    const timer = setInterval(() => latest.current(), ms);
    return () => clearInterval(timer);
  }, [ms]);
}
