import { type FormEvent, type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { api, must } from "../api/client";

type Suggestion = { text: string; kind: string };

/**
 * The header's search box: suggestions from GET /search/suggest as you type (debounced), a
 * combobox whose listbox is navigable with the arrow keys; Enter searches (/search?q=).
 */
export function SearchBox() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [q, setQ] = useState(params.get("q") ?? "");
  const [items, setItems] = useState<Suggestion[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const listId = useId();
  const typed = useRef(false);

  useEffect(() => {
    const term = q.trim();
    if (!typed.current || term.length === 0 || term.length > 200) {
      setItems([]);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      must(api.GET("/api/v1/search/suggest", { params: { query: { q: term } } })).then(
        (body) => {
          if (!live) return;
          setItems(body.items);
          setActive(-1);
          setOpen(true);
        },
        () => live && setItems([]),
      );
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [q]);

  function go(term: string) {
    const t = term.trim();
    if (!t) return;
    typed.current = false;
    setQ(t);
    setOpen(false);
    setItems([]);
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
            typed.current = true;
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
