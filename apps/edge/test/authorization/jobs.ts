/** Authorisation-matrix entries of the jobs domain (see matrix.ts). */
import type { MatrixEntry } from "./matrix";

export const JOB_ENTRIES: MatrixEntry[] = [];

/** Mutating jobs operations that need no user (or are authenticated otherwise), and why. */
export const JOB_PUBLIC_OPERATIONS: Record<string, string> = {};
