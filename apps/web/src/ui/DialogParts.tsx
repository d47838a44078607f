import { X } from "lucide-react";
import { Dialog as RadixDialog } from "radix-ui";
import type { ReactElement, ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { IconButton } from "./Button";
import "./dialog.css";

export interface DialogProps {
  title: ReactNode;
  /** A line under the title, read out when the dialog opens. */
  description?: ReactNode;
  /** The element that opens it (rendered as is); leave out when `open` is controlled. */
  trigger?: ReactElement;
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  /** Buttons at the bottom (wrap a cancel in <DialogClose asChild>). */
  footer?: ReactNode;
  size?: "sm" | "md" | "lg";
  /**
   * Where the dialog is put (default: the end of <body>). While an element is full screen only
   * what is inside it shows: a dialog over it goes inside it.
   */
  container?: HTMLElement | null;
  children?: ReactNode;
}

/** The Radix dialog behind ui/Dialog.tsx, loaded when a dialog is first opened. */
export function DialogRoot({
  title,
  description,
  trigger,
  open,
  defaultOpen,
  onOpenChange,
  footer,
  size = "md",
  container,
  children,
}: DialogProps & { defaultOpen?: boolean }) {
  const { t } = useTranslation("common");
  return (
    <RadixDialog.Root open={open} defaultOpen={defaultOpen} onOpenChange={onOpenChange}>
      {trigger ? <RadixDialog.Trigger asChild>{trigger}</RadixDialog.Trigger> : null}
      <RadixDialog.Portal container={container}>
        <RadixDialog.Overlay className="ui-dialog-overlay" />
        <RadixDialog.Content
          className={`ui-dialog ui-dialog--${size}`}
          {...(description ? {} : { "aria-describedby": undefined })}
        >
          <header className="ui-dialog-header">
            <RadixDialog.Title className="ui-dialog-title">{title}</RadixDialog.Title>
            <RadixDialog.Close asChild>
              <IconButton label={t("actions.close")} icon={<X />} size="sm" tooltip={false} />
            </RadixDialog.Close>
          </header>
          {description ? (
            <RadixDialog.Description className="ui-dialog-description">{description}</RadixDialog.Description>
          ) : null}
          {children ? <div className="ui-dialog-body">{children}</div> : null}
          {footer ? <footer className="ui-dialog-footer">{footer}</footer> : null}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

export const DialogClose = RadixDialog.Close;
