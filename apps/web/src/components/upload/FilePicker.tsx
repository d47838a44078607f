/** A file input dressed as a button; its text is the input's label. */
export function FilePicker({ label, onPick }: { label: string; onPick: (file: File | undefined) => void }) {
  return (
    <label className="button-like">
      {label}
      <input type="file" accept="video/*" onChange={(e) => onPick(e.target.files?.[0])} />
    </label>
  );
}
