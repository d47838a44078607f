import { useEffect, useState } from "react";

type Health = { state: "loading" } | { state: "ok"; detail: string } | { state: "down"; detail: string };

/** Asks the edge for /healthz (same origin: the edge serves this app's assets too). */
function usePlatformHealth(): Health {
  const [health, setHealth] = useState<Health>({ state: "loading" });
  useEffect(() => {
    const ctrl = new AbortController();
    fetch("/healthz", { signal: ctrl.signal, headers: { accept: "application/json" } })
      .then(async (res) => {
        const text = await res.text();
        let detail = text;
        try {
          const body = JSON.parse(text) as { status?: unknown };
          if (typeof body.status === "string") detail = body.status;
        } catch {
          // not JSON: show the raw text
        }
        setHealth(res.ok ? { state: "ok", detail } : { state: "down", detail: `HTTP ${res.status}` });
      })
      .catch((err: unknown) => {
        if (!ctrl.signal.aborted) setHealth({ state: "down", detail: String(err) });
      });
    return () => ctrl.abort();
  }, []);
  return health;
}

export function App() {
  const health = usePlatformHealth();
  return (
    <main
      style={{ fontFamily: "system-ui, sans-serif", maxWidth: 720, margin: "4rem auto", padding: "0 1rem" }}
    >
      <h1>Marquee</h1>
      <p>Video at the edge.</p>
      <p data-testid="platform-status">
        Platform status:{" "}
        {health.state === "loading"
          ? "checking…"
          : `${health.state === "ok" ? "up" : "down"} (${health.detail})`}
      </p>
      <p>
        <a href="/api/docs">API documentation</a>
      </p>
    </main>
  );
}
