/** Authorisation-matrix entries of the comments domain (see matrix.ts). */
import type { MatrixEntry } from "./matrix";

export const COMMENTS_ENTRIES: MatrixEntry[] = [];

/** Mutating comments operations anyone may call, and why. */
export const COMMENTS_PUBLIC_OPERATIONS: Record<string, string> = {};
