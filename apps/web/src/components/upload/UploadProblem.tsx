import { useTranslation } from "react-i18next";
import { useFormat } from "../../lib/format";
import { UploadError } from "../../lib/upload";
import { ProblemMessage } from "../ProblemMessage";

/** An upload's failure in words: storage and file trouble in the UI's language, API problems as they come. */
export function UploadProblem({ error }: { error: unknown }) {
  const { t } = useTranslation("upload");
  const f = useFormat();
  if (!(error instanceof UploadError)) return <ProblemMessage error={error} />;
  const d = error.details;
  return (
    <div role="alert" className="problem">
      <strong>{t(`errors.${error.kind}.title`)}</strong>
      <p>
        {t(`errors.${error.kind}.detail`, {
          status: d.status ?? "",
          name: d.name ?? "",
          size: d.size == null ? "" : f.fileSize(d.size),
          expected: d.expected == null ? "" : f.fileSize(d.expected),
        })}
      </p>
    </div>
  );
}
