import { Check } from "lucide-react";
import { DropdownMenu } from "radix-ui";
import type { ReactElement, ReactNode } from "react";
import { Link } from "react-router";
import "./menu.css";

/** The Radix menu behind ui/Menu.tsx, loaded when a menu is first opened (see there). */
export interface MenuProps {
  trigger: ReactElement;
  children: ReactNode;
  align?: "start" | "center" | "end";
  /** The menu's accessible name when its items don't make it obvious. */
  label?: string;
  /** Where the menu is drawn (default: the page's body); inside a full-screen element, that element. */
  container?: HTMLElement | null;
  /** A class beside `ui-menu` (a menu with a place of its own, e.g. the player's). */
  className?: string;
}

export function MenuRoot({
  trigger,
  children,
  align = "end",
  label,
  container,
  className,
  defaultOpen,
}: MenuProps & { defaultOpen?: boolean }) {
  return (
    <DropdownMenu.Root defaultOpen={defaultOpen}>
      <DropdownMenu.Trigger asChild>{trigger}</DropdownMenu.Trigger>
      <DropdownMenu.Portal container={container}>
        <DropdownMenu.Content
          className={["ui-menu", className].filter(Boolean).join(" ")}
          align={align}
          sideOffset={6}
          aria-label={label}
        >
          {children}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

export interface ItemProps {
  icon?: ReactNode;
  children: ReactNode;
  disabled?: boolean;
  tone?: "danger";
}

const itemClass = (tone?: "danger") =>
  tone === "danger" ? "ui-menu-item ui-menu-item--danger" : "ui-menu-item";

/** A menu command. */
export function MenuItem({ icon, children, disabled, tone, onSelect }: ItemProps & { onSelect: () => void }) {
  return (
    <DropdownMenu.Item className={itemClass(tone)} disabled={disabled} onSelect={onSelect}>
      {icon}
      {children}
    </DropdownMenu.Item>
  );
}

/** A menu entry that goes to a page of the app. */
export function MenuLinkItem({ to, icon, children, disabled, tone }: ItemProps & { to: string }) {
  return (
    <DropdownMenu.Item className={itemClass(tone)} disabled={disabled} asChild>
      <Link to={to}>
        {icon}
        {children}
      </Link>
    </DropdownMenu.Item>
  );
}

/** A heading inside the menu (not focusable). */
export function MenuLabel({ children }: { children: ReactNode }) {
  return <DropdownMenu.Label className="ui-menu-label">{children}</DropdownMenu.Label>;
}

export function MenuSeparator() {
  return <DropdownMenu.Separator className="ui-menu-separator" />;
}

/** A choice in a MenuRadioGroup; `data-*` attributes (test ids) go on the item. */
export interface RadioItemProps {
  value: string;
  icon?: ReactNode;
  children: ReactNode;
  [data: `data-${string}`]: string | undefined;
}

/** One-of-several choices inside a menu (menuitemradio): `<MenuRadioGroup value onValueChange>`. */
export function MenuRadioGroup({
  value,
  onValueChange,
  children,
}: {
  value: string;
  onValueChange: (value: string) => void;
  children: ReactNode;
}) {
  return (
    <DropdownMenu.RadioGroup value={value} onValueChange={onValueChange}>
      {children}
    </DropdownMenu.RadioGroup>
  );
}

export function MenuRadioItem({ value, icon, children, ...data }: RadioItemProps) {
  return (
    <DropdownMenu.RadioItem {...data} className="ui-menu-item" value={value}>
      {icon}
      <span className="ui-menu-item-text">{children}</span>
      <DropdownMenu.ItemIndicator className="ui-menu-indicator">
        <Check aria-hidden="true" />
      </DropdownMenu.ItemIndicator>
    </DropdownMenu.RadioItem>
  );
}
