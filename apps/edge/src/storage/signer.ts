/**
 * Signed storage URLs. Clients and the origin move bytes with these, never through API handler
 * memory, and the origin never holds storage credentials.
 *
 * - `local` (development, tests): URLs point at this worker's own `/storage/{key}` route, signed
 *   with HMAC-SHA256 (MEDIA_SIGNING_KEY) over method, key, expiry, exact length and multipart
 *   coordinates. The route verifies the signature and streams into/out of the R2 binding.
 * - `r2` (production): R2 presigned URLs made with @aws-sdk/s3-request-presigner (see r2-presigner.ts).
 */
import type { Config } from "../config";
import { base64url } from "../lib/ids";
import type { R2Presigner } from "./r2-presigner";

export type StorageMethod = "GET" | "PUT";

export interface PresignRequest {
  method: StorageMethod;
  key: string;
  expiresInSeconds: number;
  /** PUT only: the exact byte length the upload must have. */
  contentLength?: number;
  contentType?: string;
  /** Multipart part upload: R2 upload id and 1-based part number. */
  uploadId?: string;
  partNumber?: number;
  /**
   * GET only: the object's ETag (unquoted) the URL is good for; any other version answers 412. R2
   * presigned URLs sign an `If-Match` header, which the caller must then send as `"{etag}"`.
   */
  ifMatch?: string;
}

export interface StorageSigner {
  presign(request: PresignRequest): Promise<string>;
}

export interface SignedParams {
  method: StorageMethod;
  key: string;
  expires: number;
  length: number | null;
  contentType: string | null;
  uploadId: string | null;
  partNumber: number | null;
  ifMatch: string | null;
}

function canonical(p: SignedParams): string {
  const fields = [
    p.method,
    p.key,
    p.expires,
    p.length ?? "",
    p.contentType ?? "",
    p.uploadId ?? "",
    p.partNumber ?? "",
  ];
  // Appended only when signed, so URLs without it keep their signatures.
  if (p.ifMatch !== null) fields.push(`if-match:${p.ifMatch}`);
  return fields.join("\n");
}

/** Imported HMAC keys by secret: a multipart plan signs thousands of URLs with the same key. */
const hmacKeys = new Map<string, Promise<CryptoKey>>();

async function hmac(secret: string, message: string): Promise<string> {
  let key = hmacKeys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    hmacKeys.set(secret, key);
  }
  return base64url(
    new Uint8Array(await crypto.subtle.sign("HMAC", await key, new TextEncoder().encode(message))),
  );
}

/** Keys are path segments of `videos/...`; each segment is encoded so the URL path round-trips. */
export const encodeKey = (key: string) => key.split("/").map(encodeURIComponent).join("/");

export class LocalStorageSigner implements StorageSigner {
  constructor(
    private readonly baseUrl: string,
    private readonly secret: string,
  ) {}

  async presign(r: PresignRequest): Promise<string> {
    const params: SignedParams = {
      method: r.method,
      key: r.key,
      expires: Math.floor(Date.now() / 1000) + r.expiresInSeconds,
      length: r.contentLength ?? null,
      contentType: r.contentType ?? null,
      uploadId: r.uploadId ?? null,
      partNumber: r.partNumber ?? null,
      ifMatch: r.ifMatch ?? null,
    };
    const url = new URL(`/storage/${encodeKey(r.key)}`, this.baseUrl);
    url.searchParams.set("X-Method", params.method);
    url.searchParams.set("X-Expires", String(params.expires));
    if (params.length !== null) url.searchParams.set("X-Length", String(params.length));
    if (params.contentType !== null) url.searchParams.set("X-Content-Type", params.contentType);
    if (params.uploadId !== null) url.searchParams.set("X-Upload-Id", params.uploadId);
    if (params.partNumber !== null) url.searchParams.set("X-Part", String(params.partNumber));
    if (params.ifMatch !== null) url.searchParams.set("X-If-Match", params.ifMatch);
    url.searchParams.set("X-Signature", await hmac(this.secret, canonical(params)));
    return url.toString();
  }

  /**
   * Checks a request against its signature. Returns the signed parameters, or null when the
   * signature is wrong, the URL expired, or the method/key differ from what was signed.
   */
  async verify(method: string, key: string, search: URLSearchParams): Promise<SignedParams | null> {
    const num = (name: string) => {
      const v = search.get(name);
      return v === null || !/^\d{1,15}$/.test(v) ? null : Number(v);
    };
    const signedMethod = search.get("X-Method");
    const expires = num("X-Expires");
    const signature = search.get("X-Signature");
    if ((signedMethod !== "GET" && signedMethod !== "PUT") || expires === null || !signature) return null;
    const params: SignedParams = {
      method: signedMethod,
      key,
      expires,
      length: num("X-Length"),
      contentType: search.get("X-Content-Type"),
      uploadId: search.get("X-Upload-Id"),
      partNumber: num("X-Part"),
      ifMatch: search.get("X-If-Match"),
    };
    const expected = await hmac(this.secret, canonical(params));
    if (!timingSafeEqualStrings(expected, signature)) return null;
    if (params.method !== method && !(params.method === "GET" && method === "HEAD")) return null;
    if (expires < Math.floor(Date.now() / 1000)) return null;
    return params;
  }
}

function timingSafeEqualStrings(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

const signers = new WeakMap<Config, StorageSigner>();
const r2Presigners = new WeakMap<Config, Promise<R2Presigner>>();

/**
 * The R2 presigner of an r2-mode configuration, one per config object. The AWS SDK is loaded on
 * first use, so local mode never pays for it.
 */
export function r2PresignerFor(config: Config): Promise<R2Presigner> {
  const storage = config.storage;
  if (storage.mode !== "r2") throw new Error("r2PresignerFor needs STORAGE_MODE=r2");
  let presigner = r2Presigners.get(config);
  if (!presigner) {
    presigner = import("./r2-presigner").then(({ R2Presigner }) => R2Presigner.forR2(storage));
    r2Presigners.set(config, presigner);
  }
  return presigner;
}

/**
 * The signer the configuration asks for, one per config object: local URLs point at
 * `config.publicUrl`'s /storage route, r2 URLs are presigned for the bucket's S3 endpoint.
 */
export function createStorageSigner(config: Config): StorageSigner {
  let signer = signers.get(config);
  if (!signer) {
    signer =
      config.storage.mode === "local"
        ? new LocalStorageSigner(config.publicUrl, config.storage.signingKey)
        : { presign: async (request) => (await r2PresignerFor(config)).presign(request) };
    signers.set(config, signer);
  }
  return signer;
}
