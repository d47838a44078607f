/** Authorisation-matrix entries of the reactions domain (see matrix.ts). */
import type { MatrixEntry } from "./matrix";

export const REACTIONS_ENTRIES: MatrixEntry[] = [];

/** Mutating reactions operations anyone may call, and why. */
export const REACTIONS_PUBLIC_OPERATIONS: Record<string, string> = {};
