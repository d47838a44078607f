import { Tabs as RadixTabs } from "radix-ui";
import type { ReactNode } from "react";
import { NavLink } from "react-router";
import "./tabs.css";

/**
 * In-page tabs (ARIA tabs: arrow keys move between them):
 * `<Tabs defaultValue="videos"><TabList label={t("sections")}><Tab value="videos">…</Tab></TabList>
 * <TabPanel value="videos">…</TabPanel></Tabs>`. For tabs that are pages (own URL), use NavTabs.
 */
export function Tabs({
  value,
  defaultValue,
  onValueChange,
  children,
  className,
}: {
  value?: string;
  defaultValue?: string;
  onValueChange?: (value: string) => void;
  children: ReactNode;
  className?: string;
}) {
  return (
    <RadixTabs.Root
      className={["ui-tabs", className].filter(Boolean).join(" ")}
      value={value}
      defaultValue={defaultValue}
      onValueChange={onValueChange}
    >
      {children}
    </RadixTabs.Root>
  );
}

export function TabList({ label, children }: { label: string; children: ReactNode }) {
  return (
    <RadixTabs.List className="ui-tab-list" aria-label={label}>
      {children}
    </RadixTabs.List>
  );
}

export function Tab({
  value,
  children,
  disabled,
}: {
  value: string;
  children: ReactNode;
  disabled?: boolean;
}) {
  return (
    <RadixTabs.Trigger className="ui-tab" value={value} disabled={disabled}>
      {children}
    </RadixTabs.Trigger>
  );
}

export function TabPanel({ value, children }: { value: string; children: ReactNode }) {
  return (
    <RadixTabs.Content className="ui-tab-panel" value={value}>
      {children}
    </RadixTabs.Content>
  );
}

/**
 * Tabs that are routes (a channel's /videos, /about): links in a labelled nav, the current one
 * marked aria-current="page". Looks like TabList.
 */
export function NavTabs({
  label,
  items,
}: {
  label: string;
  items: { to: string; label: ReactNode; end?: boolean }[];
}) {
  return (
    <nav aria-label={label}>
      <ul className="ui-tab-list ui-nav-tabs">
        {items.map((item) => (
          <li key={item.to}>
            <NavLink to={item.to} end={item.end} className="ui-tab">
              {item.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
