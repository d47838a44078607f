/**
 * How a file of a given size is uploaded: one PUT, or a multipart upload following R2's rules
 * (every part but the last the same size, at least 5 MiB; at most 10,000 parts).
 */
import { MAX_PART_BYTES, MAX_PARTS, MIN_PART_BYTES } from "./schemas";

const MiB = 1024 ** 2;
/** Parts are at least this big unless the client asks otherwise: fewer URLs, fewer round trips. */
export const DEFAULT_PART_BYTES = 8 * MiB;

export type UploadShape = { kind: "single" } | { kind: "multipart"; partSize: number; partCount: number };

export class PartPlanError extends Error {}

export function shapeUpload(size: number, singleMaxBytes: number, requestedPartSize?: number): UploadShape {
  if (requestedPartSize === undefined && size <= singleMaxBytes) return { kind: "single" };
  const partSize = requestedPartSize ?? defaultPartSize(size);
  if (partSize < MIN_PART_BYTES || partSize > MAX_PART_BYTES) {
    throw new PartPlanError(`Parts must be between ${MIN_PART_BYTES} and ${MAX_PART_BYTES} bytes`);
  }
  const partCount = Math.ceil(size / partSize);
  if (partCount > MAX_PARTS) {
    throw new PartPlanError(
      `${partSize}-byte parts would make ${partCount} parts; at most ${MAX_PARTS} are allowed (use parts of at least ${Math.ceil(size / MAX_PARTS)} bytes)`,
    );
  }
  return { kind: "multipart", partSize, partCount };
}

/** 8 MiB, or the smallest whole number of MiB that keeps the count within 10,000 parts. */
export function defaultPartSize(size: number): number {
  return Math.max(DEFAULT_PART_BYTES, Math.ceil(size / MAX_PARTS / MiB) * MiB);
}

/** The size of part `partNumber` (1-based): `partSize`, except the last, which holds the rest. */
export function partLength(partNumber: number, size: number, partSize: number): number {
  const partCount = Math.ceil(size / partSize);
  return partNumber < partCount ? partSize : size - partSize * (partCount - 1);
}
