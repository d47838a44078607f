import { useTranslation } from "react-i18next";
import { ApiProblem } from "../api/client";

/** Shows an API problem's title and detail (or any error's message): never a blank page. */
export function ProblemMessage({ error }: { error: unknown }) {
  const { t } = useTranslation("common");
  if (!error) return null;
  const problem =
    error instanceof ApiProblem
      ? error.problem
      : { title: t("error.title"), detail: error instanceof Error ? error.message : String(error) };
  return (
    <div role="alert" className="problem">
      <strong>{problem.title}</strong>
      {problem.detail ? <p>{problem.detail}</p> : null}
      {"errors" in problem && problem.errors?.length ? (
        <ul>
          {problem.errors.map((e) => (
            <li key={`${e.path}:${e.message}`}>{e.path ? `${e.path}: ${e.message}` : e.message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
