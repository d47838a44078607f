import { api, must } from "../api/client";
import type { Option } from "../components/form/Field";
import { useLoad } from "./useLoad";

/** The API's categories as select options (search filters, upload and edit forms). */
export function useCategories(): { options: Option<string>[]; error: unknown } {
  const categories = useLoad(() => must(api.GET("/api/v1/categories")), []);
  return {
    options: (categories.data?.items ?? []).map((c) => ({ value: c.id, label: c.name })),
    error: categories.error,
  };
}
