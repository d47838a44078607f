/** Authorisation-matrix entries of the discovery routes (issue 5; see matrix.ts). */
import type { MatrixEntry } from "./matrix";

export const DISCOVERY_ENTRIES: MatrixEntry[] = [];

/** Operations anyone may call, with the reason. */
export const DISCOVERY_PUBLIC_OPERATIONS: Record<string, string> = {};
