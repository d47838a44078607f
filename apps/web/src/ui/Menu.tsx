import type { ReactElement, ReactNode } from "react";
import { lazyParts, standInTrigger } from "./lazyParts";
import type { ItemProps, MenuProps, RadioItemProps } from "./MenuParts";

const menu = lazyParts(() => import("./MenuParts"));

/**
 * A dropdown menu opened by `trigger` (a Button or IconButton, rendered as is): arrow keys move,
 * Escape closes and focus returns to the trigger. Radix DropdownMenu, loaded on first use.
 * `<Menu trigger={<IconButton label={t("more")} icon={<Ellipsis />} />}><MenuItem …/></Menu>`
 */
export function Menu(props: MenuProps) {
  const loaded = menu.useLoaded();
  if (!loaded.parts)
    return standInTrigger(props.trigger as ReactElement<Record<string, unknown>>, "menu", loaded);
  return <loaded.parts.MenuRoot {...props} defaultOpen={loaded.openOnLoad} />;
}

/** A menu command. */
export function MenuItem(props: ItemProps & { onSelect: () => void }) {
  const { MenuItem: Item } = menu.get();
  return <Item {...props} />;
}

/** A menu entry that goes to a page of the app. */
export function MenuLinkItem(props: ItemProps & { to: string }) {
  const { MenuLinkItem: Item } = menu.get();
  return <Item {...props} />;
}

/** A heading inside the menu (not focusable). */
export function MenuLabel(props: { children: ReactNode }) {
  const { MenuLabel: Label } = menu.get();
  return <Label {...props} />;
}

export function MenuSeparator() {
  const { MenuSeparator: Separator } = menu.get();
  return <Separator />;
}

/** One-of-several choices inside a menu (menuitemradio): `<MenuRadioGroup value onValueChange>`. */
export function MenuRadioGroup(props: {
  value: string;
  onValueChange: (value: string) => void;
  children: ReactNode;
}) {
  const { MenuRadioGroup: Group } = menu.get();
  return <Group {...props} />;
}

export function MenuRadioItem(props: RadioItemProps) {
  const { MenuRadioItem: Item } = menu.get();
  return <Item {...props} />;
}
