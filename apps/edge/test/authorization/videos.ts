/** Authorisation-matrix entries of the videos domain (see matrix.ts). */
import type { MatrixEntry } from "./matrix";

export const VIDEO_ENTRIES: MatrixEntry[] = [];

/** Mutating videos operations that need no user (or are authenticated otherwise), and why. */
export const VIDEO_PUBLIC_OPERATIONS: Record<string, string> = {};
