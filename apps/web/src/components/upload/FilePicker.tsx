import type { ReactNode } from "react";
import { type ButtonVariant, buttonClass } from "../../ui";

/**
 * A file input dressed as a button: its text is the input's label (the name tests and screen
 * readers use); the input itself is visually hidden and carries the focus (ring on the label).
 */
export function FilePicker({
  label,
  onPick,
  icon,
  variant = "secondary",
}: {
  label: string;
  onPick: (file: File | undefined) => void;
  icon?: ReactNode;
  variant?: ButtonVariant;
}) {
  return (
    <label className={buttonClass({ variant }, "upload-file-picker")}>
      {icon}
      {label}
      <input
        type="file"
        accept="video/*"
        className="visually-hidden"
        onChange={(e) => {
          onPick(e.target.files?.[0]);
          e.target.value = ""; // picking the same file again fires a change again
        }}
      />
    </label>
  );
}
