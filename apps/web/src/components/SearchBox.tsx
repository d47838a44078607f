import { type FormEvent, type KeyboardEvent, useEffect, useId, useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { api, must } from "../api/client";
import { useDebounced } from "../lib/useDebounced";
import { useLoad } from "../lib/useLoad";

type Suggestion = { text: string; kind: string };

/**
 * The header's search box: suggestions from GET /search/suggest as you type (debounced), a
 * combobox whose listbox is navigable with the arrow keys; Enter searches (/search?q=).
 */
export function SearchBox() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [q, setQ] = useState(params.get("q") ?? "");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const listId = useId();
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

  function go(term: string) {
    const t = term.trim();
    if (!t) return;
    setTyped(false);
    setQ(t);
    setOpen(false);
    navigate(`/search?q=${encodeURIComponent(t)}`);
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
      setOpen(false);
      setActive(-1);
    }
  }

  const showList = open && items.length > 0;
  return (
    <search className="search-box">
      <form className="search-form" onSubmit={submit}>
        <input
          type="search"
          aria-label="Search"
          placeholder="Search"
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
        <button type="submit" aria-label="Search videos">
          <span aria-hidden="true">⌕</span>
        </button>
        <div id={listId} role="listbox" aria-label="Suggestions" className="suggestions" hidden={!showList}>
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
              {item.text} <span className="muted">{item.kind}</span>
            </div>
          ))}
        </div>
      </form>
    </search>
  );
}
