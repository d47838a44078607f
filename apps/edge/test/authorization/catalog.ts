/** Authorisation-matrix entries of the catalog routes (issue 5; see matrix.ts). */
import type { MatrixEntry } from "./matrix";

export const CATALOG_ENTRIES: MatrixEntry[] = [];

/** Operations anyone may call, with the reason. */
export const CATALOG_PUBLIC_OPERATIONS: Record<string, string> = {};
