import { ArrowLeft, Search } from "lucide-react";
import { type FormEvent, type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useSearchParams } from "react-router";
import { api, must } from "../api/client";
import { useDebounced } from "../lib/useDebounced";
import { useLoad } from "../lib/useLoad";
import { IconButton } from "../ui";

type Suggestion = { text: string; kind: "title" | "tag" | "channel" };

/**
 * The header's search box: suggestions from GET /search/suggest as you type (debounced), a
 * combobox whose listbox is navigable with the arrow keys; Enter searches (/search?q=). On small
 * screens it is a search icon until `expanded` (then it takes the whole header, with a back button).
 */
export function SearchBox({
  expanded,
  onExpandedChange,
}: {
  expanded: boolean;
  onExpandedChange: (expanded: boolean) => void;
}) {
  const { t } = useTranslation("layout");
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [q, setQ] = useState(params.get("q") ?? "");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const listId = useId();
  const input = useRef<HTMLInputElement>(null);
  // Suggestions follow what the reader types, not the query a search put in the box.
  const [typed, setTyped] = useState(false);
  const term = useDebounced(q.trim(), 200);
  const wanted = typed && term.length > 0 && term.length <= 200;
  const suggestions = useLoad(
    () => must(api.GET("/api/v1/search/suggest", { params: { query: { q: term } } })).then((b) => b.items),
    [term],
    { enabled: wanted },
  );
  const items: Suggestion[] = wanted ? (suggestions.data ?? []) : [];
  useEffect(() => {
    setActive(-1);
    if (suggestions.data?.length) setOpen(true);
  }, [suggestions.data]);
  useEffect(() => {
    if (expanded) input.current?.focus();
  }, [expanded]);

  function go(term: string) {
    const text = term.trim();
    if (!text) return;
    setTyped(false);
    setQ(text);
    setOpen(false);
    onExpandedChange(false);
    input.current?.blur();
    navigate(`/search?q=${encodeURIComponent(text)}`);
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    go(active >= 0 && items[active] ? items[active].text : q);
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === "ArrowDown" && items.length) {
      e.preventDefault();
      setOpen(true);
      setActive((i) => (i + 1) % items.length);
    } else if (e.key === "ArrowUp" && items.length) {
      e.preventDefault();
      setOpen(true);
      setActive((i) => (i <= 0 ? items.length - 1 : i - 1));
    } else if (e.key === "Escape") {
      if (!open && expanded) onExpandedChange(false);
      setOpen(false);
      setActive(-1);
    }
  }

  const showList = open && items.length > 0;
  return (
    <search className="site-search">
      <IconButton
        className="site-search-open"
        label={t("search.open")}
        icon={<Search />}
        aria-expanded={expanded}
        onClick={() => onExpandedChange(true)}
      />
      <form className="site-search-form" onSubmit={submit}>
        <IconButton
          className="site-search-back"
          label={t("search.close")}
          icon={<ArrowLeft />}
          tooltip={false}
          onClick={() => onExpandedChange(false)}
        />
        <div className="site-search-field">
          <input
            ref={input}
            type="search"
            className="ui-input site-search-input"
            aria-label={t("search.label")}
            placeholder={t("search.placeholder")}
            role="combobox"
            aria-autocomplete="list"
            aria-expanded={showList}
            aria-controls={listId}
            aria-activedescendant={showList && active >= 0 ? `${listId}-${active}` : undefined}
            value={q}
            maxLength={200}
            onChange={(e) => {
              setTyped(true);
              setQ(e.target.value);
            }}
            onKeyDown={onKeyDown}
            onFocus={() => setOpen(true)}
            onBlur={() => setTimeout(() => setOpen(false), 150)}
          />
          <button type="submit" className="site-search-submit" aria-label={t("search.submit")}>
            <Search aria-hidden="true" />
          </button>
          <div
            id={listId}
            role="listbox"
            aria-label={t("search.suggestions")}
            className="site-search-suggestions"
            hidden={!showList}
          >
            {items.map((item, i) => (
              <div
                key={`${item.kind}:${item.text}`}
                id={`${listId}-${i}`}
                role="option"
                tabIndex={-1}
                aria-selected={i === active}
                onMouseDown={(e) => {
                  e.preventDefault();
                  go(item.text);
                }}
              >
                <Search aria-hidden="true" className="site-search-option-icon" />
                <span className="site-search-option-text">{item.text}</span>
                <span className="site-search-option-kind">{t(`search.kind.${item.kind}`)}</span>
              </div>
            ))}
          </div>
        </div>
      </form>
    </search>
  );
}
