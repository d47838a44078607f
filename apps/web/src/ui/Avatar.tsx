import { Avatar as RadixAvatar } from "radix-ui";
import "./avatar.css";

const COLOURS = 8;

/** A stable colour index (0–7) for an id: the same channel always gets the same colour. */
export function avatarColour(id: string): number {
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) | 0;
  return Math.abs(hash) % COLOURS;
}

/** Up to two initials of a name: "Web E2E" → "WE", "marquee" → "M". */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : [words[0]];
  return letters
    .map((w) => Array.from(w ?? "")[0] ?? "")
    .join("")
    .toUpperCase();
}

/**
 * A channel's or profile's picture, or its initials on a colour derived from `id`.
 * Decorative by default (the name is next to it); `decorative={false}` makes it an image named `name`.
 */
export function Avatar({
  id,
  name,
  src,
  size = "md",
  decorative = true,
  className,
}: {
  id: string;
  name: string;
  src?: string | null;
  size?: "xs" | "sm" | "md" | "lg" | "xl";
  decorative?: boolean;
  className?: string;
}) {
  const a11y = decorative ? { "aria-hidden": true } : { role: "img", "aria-label": name };
  return (
    <RadixAvatar.Root
      {...a11y}
      className={["ui-avatar", `ui-avatar--${size}`, `ui-avatar--c${avatarColour(id)}`, className]
        .filter(Boolean)
        .join(" ")}
    >
      {src ? <RadixAvatar.Image className="ui-avatar-image" src={src} alt="" /> : null}
      <RadixAvatar.Fallback className="ui-avatar-fallback" delayMs={src ? 400 : undefined}>
        {initials(name)}
      </RadixAvatar.Fallback>
    </RadixAvatar.Root>
  );
}
