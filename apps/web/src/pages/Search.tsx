import { SearchX, X } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { api, must } from "../api/client";
import type { paths } from "../api/schema";
import { type Option, SelectField } from "../components/form/Field";
import { ProblemMessage } from "../components/ProblemMessage";
import { PagedVideoGrid } from "../components/VideoCard";
import { useCategories } from "../lib/useCategories";
import { useLoad } from "../lib/useLoad";
import { cursorQuery, usePagedList } from "../lib/usePagedList";
import { Button, EmptyState } from "../ui";

type Query = NonNullable<paths["/api/v1/search"]["get"]["parameters"]["query"]>;
type Duration = NonNullable<Query["duration"]>;
type Uploaded = NonNullable<Query["uploaded"]>;

const DURATIONS: Duration[] = ["short", "medium", "long"];
const UPLOADED: Uploaded[] = ["hour", "day", "week", "month", "year"];
const FILTERS = ["category", "duration", "uploaded"] as const;

function oneOf<T extends string>(value: string | null, options: readonly T[]): T | undefined {
  return options.find((o) => o === value);
}

/** Search results (/search?q=&category=&duration=&uploaded=) with filters and "More results". */
export function SearchPage() {
  const { t } = useTranslation("search");
  const [params, setParams] = useSearchParams();
  const q = (params.get("q") ?? "").trim();
  const category = params.get("category") ?? "";
  const duration = oneOf(params.get("duration"), DURATIONS);
  const uploaded = oneOf(params.get("uploaded"), UPLOADED);
  const filtered = Boolean(category || duration || uploaded);
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
  function clearFilters() {
    const next = new URLSearchParams(params);
    for (const name of FILTERS) next.delete(name);
    setParams(next);
  }

  const durationOptions: Option<Duration>[] = DURATIONS.map((d) => ({ value: d, label: t(`duration.${d}`) }));
  const uploadedOptions: Option<Uploaded>[] = UPLOADED.map((u) => ({ value: u, label: t(`uploaded.${u}`) }));
  const filters = [
    {
      name: "category",
      label: t("filter.category"),
      value: category,
      none: t("filter.anyCategory"),
      options: categories.options,
    },
    {
      name: "duration",
      label: t("filter.duration"),
      value: duration ?? "",
      none: t("filter.anyDuration"),
      options: durationOptions,
    },
    {
      name: "uploaded",
      label: t("filter.uploaded"),
      value: uploaded ?? "",
      none: t("filter.anyTime"),
      options: uploadedOptions,
    },
  ];

  if (!q)
    return (
      <section className="search-page">
        <h1 className="visually-hidden">{t("title")}</h1>
        <EmptyState title={t("start.title")} description={t("start.hint")} />
      </section>
    );

  return (
    // A watch reached from the results is a search view (lib/trafficSource.ts).
    <section className="search-page" data-traffic-source="search">
      <h1>{t("resultsFor", { q })}</h1>
      <fieldset className="search-filters">
        <legend className="visually-hidden">{t("filter.legend")}</legend>
        {filters.map((filter) => (
          <SelectField<string> key={filter.name} {...filter} onChange={(v) => setFilter(filter.name, v)} />
        ))}
        {filtered ? (
          <Button variant="ghost" icon={<X />} onClick={clearFilters} className="search-clear">
            {t("filter.clear")}
          </Button>
        ) : null}
      </fieldset>
      <ProblemMessage error={categories.error} />
      {!results.loading && !results.error && results.items.length === 0 ? (
        <EmptyState
          icon={<SearchX />}
          title={t("empty.title", { q })}
          description={
            <>
              {filtered ? t("empty.hintFiltered") : t("empty.hint")}
              <Suggestions q={q} />
            </>
          }
          action={
            filtered ? (
              <Button variant="primary" onClick={clearFilters}>
                {t("filter.clear")}
              </Button>
            ) : undefined
          }
        />
      ) : (
        <PagedVideoGrid list={results} more={t("more")} loadingText={t("searching")} />
      )}
    </section>
  );
}

/** Other searches close to `q` (the search box's suggestions), offered when it found nothing. */
function Suggestions({ q }: { q: string }) {
  const { t } = useTranslation("search");
  const suggestions = useLoad(
    () => must(api.GET("/api/v1/search/suggest", { params: { query: { q } } })).then((b) => b.items),
    [q],
  );
  const others = (suggestions.data ?? []).filter((s) => s.text.toLowerCase() !== q.toLowerCase()).slice(0, 5);
  if (others.length === 0) return null;
  return (
    <span className="search-suggestions">
      <span>{t("empty.tryInstead")}</span>
      {others.map((s) => (
        <Link key={`${s.kind}:${s.text}`} to={`/search?q=${encodeURIComponent(s.text)}`}>
          {s.text}
        </Link>
      ))}
    </span>
  );
}
