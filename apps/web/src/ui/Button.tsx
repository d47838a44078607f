import { Slot } from "radix-ui";
import type { ButtonHTMLAttributes, ReactNode, Ref } from "react";
import { Link, type LinkProps } from "react-router";
import { Spinner } from "./Spinner";
import "./button.css";

export type ButtonVariant = "primary" | "secondary" | "ghost" | "danger";
export type ButtonSize = "sm" | "md" | "lg";

export interface ButtonLook {
  variant?: ButtonVariant;
  size?: ButtonSize;
  /** Full width of its container. */
  block?: boolean;
}

/** The classes of a button look, for anything that must look like one (a file input's label). */
export function buttonClass(
  { variant = "secondary", size = "md", block }: ButtonLook,
  ...extra: (string | undefined)[]
) {
  return [
    "ui-button",
    `ui-button--${variant}`,
    `ui-button--${size}`,
    block ? "ui-button--block" : "",
    ...extra,
  ]
    .filter(Boolean)
    .join(" ");
}

export type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> &
  ButtonLook & {
    ref?: Ref<HTMLButtonElement>;
    /** Draw the single child (a link, a label) as the button instead of a <button>. */
    asChild?: boolean;
    /** An icon before the text (lucide-react element, aria-hidden by lucide). */
    icon?: ReactNode;
    /** Working: disabled, a spinner instead of the icon, aria-busy. */
    busy?: boolean;
  };

/** A button: `<Button variant="primary" onClick={…}>Save</Button>`. type="button" unless given. */
export function Button({
  variant,
  size,
  block,
  asChild,
  icon,
  busy,
  className,
  children,
  ...rest
}: ButtonProps) {
  const look = buttonClass({ variant, size, block }, className);
  if (asChild) {
    return (
      <Slot.Root className={look} {...rest}>
        {children}
      </Slot.Root>
    );
  }
  return (
    <button
      type="button"
      {...rest}
      className={look}
      disabled={rest.disabled || busy}
      aria-busy={busy || undefined}
    >
      {busy ? <Spinner size="sm" /> : icon}
      {children}
    </button>
  );
}

/** A router link that looks like a button: `<ButtonLink to="/studio/upload" variant="primary">`. */
export function ButtonLink({
  variant,
  size,
  block,
  icon,
  className,
  children,
  ...link
}: LinkProps & ButtonLook & { icon?: ReactNode }) {
  return (
    <Link {...link} className={buttonClass({ variant, size, block }, className)}>
      {icon}
      {children}
    </Link>
  );
}

/**
 * A button that is only an icon; `label` is its accessible name and its tooltip:
 * `<IconButton label={t("close")} icon={<X />} onClick={…} />`.
 */
export function IconButton({
  label,
  icon,
  variant = "ghost",
  size,
  tooltip = true,
  className,
  ...rest
}: Omit<ButtonProps, "children" | "aria-label" | "asChild" | "block"> & {
  label: string;
  icon: ReactNode;
  /** Show `label` as a small tooltip under it on hover and keyboard focus (default true). */
  tooltip?: boolean;
}) {
  // The tooltip is CSS only (button.css, [data-tooltip]): no positioning library in every page's JS.
  return (
    <Button
      {...rest}
      variant={variant}
      size={size}
      className={["ui-button--icon", className].filter(Boolean).join(" ")}
      aria-label={label}
      data-tooltip={tooltip ? label : undefined}
    >
      {rest.busy ? null : icon}
    </Button>
  );
}
