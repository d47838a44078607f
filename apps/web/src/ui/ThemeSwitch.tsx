import { Monitor, Moon, Sun } from "lucide-react";
import { useTranslation } from "react-i18next";
import { THEMES, type Theme, useTheme } from "../lib/theme";
import { IconButton } from "./Button";
import { Menu, MenuLabel, MenuRadioGroup, MenuRadioItem } from "./Menu";

const ICONS = { system: Monitor, light: Sun, dark: Moon } as const;

/** The header's theme switch: a menu of System / Light / Dark (menuitemradio), saved on the profile. */
export function ThemeSwitch() {
  const { t } = useTranslation("common");
  const { theme, setTheme } = useTheme();
  const Current = ICONS[theme];
  return (
    <Menu
      label={t("theme.label")}
      trigger={<IconButton label={t("theme.current", { theme: t(`theme.${theme}`) })} icon={<Current />} />}
    >
      <MenuLabel>{t("theme.label")}</MenuLabel>
      <MenuRadioGroup value={theme} onValueChange={(value) => setTheme(value as Theme)}>
        {THEMES.map((option) => {
          const Icon = ICONS[option];
          return (
            <MenuRadioItem key={option} value={option} icon={<Icon aria-hidden="true" />}>
              {t(`theme.${option}`)}
            </MenuRadioItem>
          );
        })}
      </MenuRadioGroup>
    </Menu>
  );
}
