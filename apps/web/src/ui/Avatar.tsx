import { avatarColour, initials } from "@marquee/shared/format";
import { Avatar as RadixAvatar } from "radix-ui";
import "./avatar.css";

export { avatarColour, initials };

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
