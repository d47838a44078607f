import { useSearchParams } from "react-router";
import { api, must } from "../api/client";
import type { paths } from "../api/schema";
import { type Option, SelectField } from "../components/form/Field";
import { ProblemMessage } from "../components/ProblemMessage";
import { PagedVideoGrid } from "../components/VideoCard";
import { useCategories } from "../lib/useCategories";
import { cursorQuery, usePagedList } from "../lib/usePagedList";

type Query = NonNullable<paths["/api/v1/search"]["get"]["parameters"]["query"]>;
type Duration = NonNullable<Query["duration"]>;
type Uploaded = NonNullable<Query["uploaded"]>;

const DURATIONS: Option<Duration>[] = [
  { value: "short", label: "Under 4 minutes" },
  { value: "medium", label: "4–20 minutes" },
  { value: "long", label: "Over 20 minutes" },
];
const UPLOADED: Option<Uploaded>[] = [
  { value: "hour", label: "Last hour" },
  { value: "day", label: "Today" },
  { value: "week", label: "This week" },
  { value: "month", label: "This month" },
  { value: "year", label: "This year" },
];

function oneOf<T extends string>(value: string | null, options: Option<T>[]): T | undefined {
  return options.find((o) => o.value === value)?.value;
}

/** Search results (/search?q=&category=&duration=&uploaded=) with filters and "More results". */
export function SearchPage() {
  const [params, setParams] = useSearchParams();
  const q = (params.get("q") ?? "").trim();
  const category = params.get("category") ?? "";
  const duration = oneOf(params.get("duration"), DURATIONS);
  const uploaded = oneOf(params.get("uploaded"), UPLOADED);
  const categories = useCategories();
  const results = usePagedList(
    (cursor) => {
      const query: Query = {
        q,
        limit: 24,
        ...(category ? { category } : {}),
        ...(duration ? { duration } : {}),
        ...(uploaded ? { uploaded } : {}),
        ...cursorQuery(cursor),
      };
      return must(api.GET("/api/v1/search", { params: { query } }));
    },
    [q, category, duration, uploaded],
    { enabled: q !== "" },
  );

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
        {[
          {
            name: "category",
            label: "Category",
            value: category,
            none: "Any category",
            options: categories.options,
          },
          {
            name: "duration",
            label: "Duration",
            value: duration ?? "",
            none: "Any length",
            options: DURATIONS,
          },
          { name: "uploaded", label: "Uploaded", value: uploaded ?? "", none: "Any time", options: UPLOADED },
        ].map((filter) => (
          <SelectField<string> key={filter.name} {...filter} onChange={(v) => setFilter(filter.name, v)} />
        ))}
      </fieldset>
      <ProblemMessage error={categories.error} />
      {q ? (
        <PagedVideoGrid
          list={results}
          empty={`No videos match “${q}”.`}
          more="More results"
          loadingText="Searching…"
        />
      ) : null}
    </section>
  );
}
