import { LoaderCircle } from "lucide-react";
import { useTranslation } from "react-i18next";
import "./spinner.css";

/** A turning circle; decorative unless given a `label` (then it is a status with that name). */
export function Spinner({ size = "md", label }: { size?: "sm" | "md" | "lg"; label?: string }) {
  const icon = <LoaderCircle className={`ui-spinner ui-spinner--${size}`} aria-hidden="true" />;
  if (!label) return icon;
  return (
    <span role="status" className="ui-spinner-status">
      {icon}
      <span className="visually-hidden">{label}</span>
    </span>
  );
}

/** A page (or a big region) on its way: a centred spinner with "Loading…", announced politely. */
export function PageLoading({ label }: { label?: string }) {
  const { t } = useTranslation("common");
  return (
    <div className="ui-page-loading" role="status">
      <LoaderCircle className="ui-spinner ui-spinner--lg" aria-hidden="true" />
      <span className="visually-hidden">{label ?? t("status.loading")}</span>
    </div>
  );
}
