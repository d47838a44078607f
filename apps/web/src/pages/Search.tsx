import { useEffect, useState } from "react";
import { useSearchParams } from "react-router";
import { api, must } from "../api/client";
import type { paths } from "../api/schema";
import type { VideoCardData } from "../api/types";
import { ProblemMessage } from "../components/ProblemMessage";
import { VideoGrid } from "../components/VideoCard";
import { useLoad } from "../lib/useLoad";

type Query = NonNullable<paths["/api/v1/search"]["get"]["parameters"]["query"]>;
type Duration = NonNullable<Query["duration"]>;
type Uploaded = NonNullable<Query["uploaded"]>;

const DURATIONS: [Duration, string][] = [
  ["short", "Under 4 minutes"],
  ["medium", "4–20 minutes"],
  ["long", "Over 20 minutes"],
];
const UPLOADED: [Uploaded, string][] = [
  ["hour", "Last hour"],
  ["day", "Today"],
  ["week", "This week"],
  ["month", "This month"],
  ["year", "This year"],
];

function oneOf<T extends string>(value: string | null, options: [T, string][]): T | undefined {
  return options.find(([v]) => v === value)?.[0];
}

/** Search results (/search?q=&category=&duration=&uploaded=) with filters and "More results". */
export function SearchPage() {
  const [params, setParams] = useSearchParams();
  const q = (params.get("q") ?? "").trim();
  const category = params.get("category") ?? "";
  const duration = oneOf(params.get("duration"), DURATIONS);
  const uploaded = oneOf(params.get("uploaded"), UPLOADED);
  const categories = useLoad(() => must(api.GET("/api/v1/categories")), []);

  const [items, setItems] = useState<VideoCardData[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function load(from: string | null, live: () => boolean = () => true) {
    if (!q) return;
    setLoading(true);
    setError(null);
    try {
      const query: Query = {
        q,
        limit: 24,
        ...(category ? { category } : {}),
        ...(duration ? { duration } : {}),
        ...(uploaded ? { uploaded } : {}),
        ...(from ? { cursor: from } : {}),
      };
      const page = await must(api.GET("/api/v1/search", { params: { query } }));
      if (!live()) return;
      setItems((prev) => (from ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (err) {
      if (live()) setError(err);
    } finally {
      if (live()) setLoading(false);
    }
  }

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new query or filter starts over
  useEffect(() => {
    let live = true;
    setItems([]);
    setCursor(null);
    void load(null, () => live);
    return () => {
      live = false;
    };
  }, [q, category, duration, uploaded]);

  function setFilter(name: string, value: string) {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next);
  }

  return (
    <section>
      <h1>{q ? `Results for “${q}”` : "Search"}</h1>
      {!q ? <p>Type something in the search box above.</p> : null}
      <fieldset className="filters">
        <legend className="visually-hidden">Filters</legend>
        <label>
          Category
          <select value={category} onChange={(e) => setFilter("category", e.target.value)}>
            <option value="">Any category</option>
            {(categories.data?.items ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Duration
          <select value={duration ?? ""} onChange={(e) => setFilter("duration", e.target.value)}>
            <option value="">Any length</option>
            {DURATIONS.map(([v, label]) => (
              <option key={v} value={v}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Uploaded
          <select value={uploaded ?? ""} onChange={(e) => setFilter("uploaded", e.target.value)}>
            <option value="">Any time</option>
            {UPLOADED.map(([v, label]) => (
              <option key={v} value={v}>
                {label}
              </option>
            ))}
          </select>
        </label>
      </fieldset>
      <ProblemMessage error={error ?? categories.error} />
      {q && !(loading && items.length === 0) ? (
        <VideoGrid videos={items} empty={`No videos match “${q}”.`} />
      ) : null}
      {loading ? <p className="muted">Searching…</p> : null}
      {cursor && !loading ? (
        <button type="button" className="more" onClick={() => load(cursor)}>
          More results
        </button>
      ) : null}
    </section>
  );
}
